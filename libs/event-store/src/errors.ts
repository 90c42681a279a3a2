import type { ExpectedRevision } from './event-store.port';

/** The stream was not where the caller expected it; `actualRevision` is null for a missing stream. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: number | null,
  ) {
    super(`stream ${streamId}: expected revision ${String(expectedRevision)}, actual ${actualRevision ?? 'no stream'}`);
  }
}

/**
 * An event id in the batch is already stored, but the batch is not an exact replay of an earlier
 * append at that place (partial overlap, or an id used elsewhere). Nothing was written.
 */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`stream ${streamId}: event id ${eventId} is already stored and the batch is not an exact replay`);
  }
}

/** The append request is malformed; `field` names the offending field. Nothing was written. */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

/** The store was closed; no further operation is accepted. */
export class EventStoreClosedError extends Error {
  override readonly name = 'EventStoreClosedError';
  constructor() {
    super('event store is closed');
  }
}
