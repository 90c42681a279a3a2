import type { ExpectedRevision } from './event-store.port';

/** The stream was not where the caller expected it; `actualRevision` is null for a missing stream. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: number | null,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expectedRevision)}, actual ${actualRevision ?? 'no stream'}`,
    );
  }
}
