import { START, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';
import type { StoredEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { passes, toEsdbPosition, toServerFilter, toStoredEvent } from './esdb-mapping';

const RETRY_DELAY_MS = 500;

/**
 * A catch-up subscription to `$all` that, when the server drops it, subscribes again from the last
 * position it delivered (exclusive), so the consumer misses nothing and sees nothing twice. The
 * client's readable stream is iterated with a small high-water mark: a slow consumer pauses the
 * gRPC stream instead of buffering.
 */
export class EsdbSubscription implements Subscription {
  private closed = false;
  private started = false;
  private current: AllStreamSubscription | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
    private readonly onClose: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    return this.run();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.onClose();
    await this.current?.unsubscribe();
  }

  private async *run(): AsyncGenerator<StoredEvent> {
    let after = this.options.fromPosition ?? 0;
    try {
      while (!this.closed) {
        this.current = this.client.subscribeToAll(
          { fromPosition: after > 0 ? toEsdbPosition(after) : START, filter: toServerFilter(this.options.filter) },
          { highWaterMark: 64 },
        );
        try {
          for await (const resolved of this.current) {
            if (this.closed) return;
            const event = toStoredEvent(resolved);
            if (!event || event.position <= after || !passes(this.options.filter, event)) continue;
            yield event;
            after = event.position;
          }
          if (this.closed) return;
        } catch {
          if (this.closed) return;
          // Dropped (server restart, network): resume from the last delivered position.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, RETRY_DELAY_MS);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } finally {
      await this.close();
    }
  }
}
