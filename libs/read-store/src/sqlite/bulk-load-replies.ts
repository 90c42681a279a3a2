import type { BulkLoadReply } from './sqlite-bulk-load.protocol';

/** Batches awaiting their reply beyond the newest: enough to keep the load's thread busy, few enough to bound memory. */
const MAX_QUEUED = 2;

/**
 * What a writer into a bulk load's thread awaits: each request's reply by sequence number, at most
 * MAX_QUEUED batches in flight beyond the newest, and the load's first failure, kept rather than thrown
 * (so none goes unhandled) until the writer next checks it.
 */
export class BulkLoadReplies {
  failure: Error | null = null;
  private readonly waiting = new Map<number, () => void>();
  private queued: Promise<void>[] = [];
  private seq = 0;

  constructor(private readonly failureOf: (error: string) => Error) {}

  /** The sequence number of the next request, and its reply. */
  expect(): { seq: number; replied: Promise<void> } {
    const seq = ++this.seq;
    return { seq, replied: new Promise<void>((resolve) => this.waiting.set(seq, resolve)) };
  }

  /** A reply from the thread: its request is settled, a failure kept. */
  answer({ seq, error }: BulkLoadReply): void {
    if (error !== null) this.failure ??= this.failureOf(error);
    this.waiting.get(seq)?.();
    this.waiting.delete(seq);
  }

  /** The thread failed or went: every request still waiting is settled, the failure kept. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const settle of this.waiting.values()) settle();
    this.waiting.clear();
  }

  get awaiting(): number {
    return this.waiting.size;
  }

  /** Queues a reply that `drain` waits for. */
  track(replied: Promise<void>): void {
    this.queued.push(replied);
  }

  /** Queues a batch's reply; past MAX_QUEUED, waits for the oldest. */
  async throttle(replied: Promise<void>): Promise<void> {
    this.track(replied);
    if (this.queued.length > MAX_QUEUED) await this.queued.shift();
  }

  /** Waits for every queued reply. */
  async drain(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    await Promise.all(queued);
  }
}
