// What consumer groups refuse; the HTTP edge maps each to its status (problem-mapping.ts).

/** 404: no consumer group of that name. */
export class UnknownConsumerGroupError extends Error {
  override readonly name = 'UnknownConsumerGroupError';
  constructor(readonly group: string) {
    super(`no consumer group ${group}`);
  }
}

/**
 * 409: the group exists with another definition, or another engine instance serves it (holds its
 * lease, or took it over while this one served it); the message says which and what to do.
 */
export class ConsumerGroupConflictError extends Error {
  override readonly name = 'ConsumerGroupConflictError';
  constructor(
    readonly group: string,
    message: string,
  ) {
    super(message);
  }
}
