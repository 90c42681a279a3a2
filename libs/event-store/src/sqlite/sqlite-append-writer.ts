import type { AppendResult } from '../event-store.port';
import type { AppendOutcome, QueuedAppend, SqliteAppendTransaction } from './sqlite-append-transaction';

/** A queued append with the promise it answers. */
export interface PendingAppend extends QueuedAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Told after each transaction: how many appends it carried, BEGIN to COMMIT, whether any was stored. */
export type OnCommitted = (appends: number, seconds: number, anyStored: boolean) => void;

/** Commits the appends of one turn of the event loop together and answers each after COMMIT. */
export interface AppendWriter {
  submit(batch: PendingAppend[]): void;
  /** Resolves once every submitted append is answered and the writer's resources are released. */
  close(): Promise<void>;
}

/** Answers each append of a committed batch with its outcome. */
export function settle(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
  batch.forEach((pending, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) pending.resolve(outcome.result);
    else pending.reject(outcome.error);
  });
}

/**
 * The commit on the event loop itself: for `:memory:` (one connection only) and when the writer
 * thread is turned off. The fsync of `synchronous = FULL` then blocks the loop while it waits.
 */
export class InlineAppendWriter implements AppendWriter {
  constructor(
    private readonly transaction: SqliteAppendTransaction,
    private readonly onCommitted: OnCommitted,
  ) {}

  submit(batch: PendingAppend[]): void {
    const started = process.hrtime.bigint();
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.transaction.run(batch);
    } catch (failure) {
      for (const pending of batch) pending.reject(failure);
      return;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    settle(batch, outcomes);
    this.onCommitted(
      batch.length,
      seconds,
      outcomes.some((o) => o.ok),
    );
  }

  async close(): Promise<void> {}
}
