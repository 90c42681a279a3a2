import type { StoredEvent, Subscription } from '../event-store.port';

export interface SubscriptionPage {
  /** Matching events strictly after the requested position, in order, at most the page size. */
  events: StoredEvent[];
  /** Everything up to this position was examined (so non-matching rows are never scanned twice). */
  scannedTo: number;
}

export interface SubscriptionSource {
  readPage(after: number, limit: number): SubscriptionPage | Promise<SubscriptionPage>;
  /** An opaque token taken before a read; `waitForChange` returns once something committed since. */
  changeToken(): number;
  waitForChange(token: number, signal: AbortSignal): Promise<void>;
}

/**
 * Catch-up-then-live subscription that pulls one page at a time only when the consumer asks for
 * more, so a slow consumer holds at most one page in memory (backpressure by construction).
 */
export class PullSubscription implements Subscription {
  private closed = false;
  private started = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly source: SubscriptionSource,
    private readonly fromPosition: number,
    private readonly pageSize: number,
    private readonly onClose: () => void = () => undefined,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    return this.run();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.onClose();
  }

  private async *run(): AsyncGenerator<StoredEvent> {
    let after = this.fromPosition;
    try {
      while (!this.closed) {
        const token = this.source.changeToken();
        const page = await this.source.readPage(after, this.pageSize);
        for (const event of page.events) {
          if (this.closed) return;
          yield event;
          after = event.position;
        }
        after = Math.max(after, page.scannedTo);
        if (page.events.length < this.pageSize && !this.closed) {
          await this.source.waitForChange(token, this.abort.signal);
        }
      }
    } finally {
      await this.close();
    }
  }
}
