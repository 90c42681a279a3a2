// What the command path refuses besides the decider's rules; the HTTP edge maps each to its status
// (problem-mapping.ts), the CLI reports them as they are.

/** 412: `If-Match` named a revision the stream has moved past. Nothing was stored. */
export class StaleRevisionError extends Error {
  override readonly name = 'StaleRevisionError';
  constructor(
    readonly expected: number,
    readonly actual: number | null,
  ) {
    super(`If-Match revision ${expected} is stale: the customer is at revision ${actual ?? 'none'}`);
  }
}

/** 409: the stream kept moving under concurrent writers beyond the retry budget. Nothing was stored. */
export class ConcurrencyRetriesExhaustedError extends Error {
  override readonly name = 'ConcurrencyRetriesExhaustedError';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`stream ${streamId} kept changing concurrently; gave up after ${attempts} attempts, retry later`);
  }
}

/** 422: an Idempotency-Key was reused for a different request. */
export class IdempotencyKeyReuseError extends Error {
  override readonly name = 'IdempotencyKeyReuseError';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request`);
  }
}
