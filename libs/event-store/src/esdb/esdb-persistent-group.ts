import {
  END,
  EventStoreDBClient,
  PersistentSubscriptionExistsError,
  PINNED,
  START,
  persistentSubscriptionToStreamSettingsFromDefaults,
  type PersistentAction,
  type PersistentSubscriptionToStream,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { StoredEvent } from '../event-store.port';
import { toStoredEvent } from './esdb-mapping';

/** Every customer stream, through EventStoreDB's by-category system projection (`--run-projections=System`). */
export const CUSTOMER_CATEGORY_STREAM = '$ce-customer';

export interface PersistentGroupSettings {
  /** Where a new group starts: the first customer event (default) or only new ones. */
  startFrom?: 'beginning' | 'now';
  /** Seconds the server waits for an ack before it sends the event again (default 30). */
  messageTimeoutSeconds?: number;
  /** Redeliveries before the server parks an event in the group's parked stream (default 10). */
  maxRetryCount?: number;
}

/** One event of a persistent subscription, to acknowledge (or refuse) once handled. */
export interface PersistentGroupEvent {
  event: StoredEvent;
  /** Times the server has sent it before (0 on the first delivery). */
  retryCount: number;
  ack(): Promise<void>;
  /** `retry` sends it again, `park` moves it to the parked stream (replayable from the server UI/API), `skip` drops it. */
  nack(action: Extract<PersistentAction, 'retry' | 'park' | 'skip'>, reason: string): Promise<void>;
}

/**
 * Consumer groups on EventStoreDB: a persistent subscription to `$ce-customer` with the Pinned
 * consumer strategy, so the server keeps the checkpoint, spreads members over the customer streams
 * by a hash of the stream id, and sends one stream's events to one member while it stays connected.
 * What the server guarantees (and what it does not) is in docs/subscribing.md.
 */
export class EsdbPersistentGroups {
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  /** Creates the group; an existing group of that name is kept as it is. Returns whether it was created. */
  async ensureGroup(group: string, settings: PersistentGroupSettings = {}): Promise<boolean> {
    try {
      await this.client.createPersistentSubscriptionToStream(
        CUSTOMER_CATEGORY_STREAM,
        group,
        persistentSubscriptionToStreamSettingsFromDefaults({
          resolveLinkTos: true,
          startFrom: settings.startFrom === 'now' ? END : START,
          consumerStrategyName: PINNED,
          messageTimeout: (settings.messageTimeoutSeconds ?? 30) * 1000,
          maxRetryCount: settings.maxRetryCount ?? 10,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof PersistentSubscriptionExistsError) return false;
      throw error;
    }
  }

  async deleteGroup(group: string): Promise<void> {
    await this.client.deletePersistentSubscriptionToStream(CUSTOMER_CATEGORY_STREAM, group);
  }

  /** Joins the group as one member: iterate, handle, then `ack`. `close()` leaves (the server moves its streams). */
  join(group: string, bufferSize = 32): AsyncIterable<PersistentGroupEvent> & { close(): Promise<void> } {
    const subscription: PersistentSubscriptionToStream = this.client.subscribeToPersistentSubscriptionToStream(
      CUSTOMER_CATEGORY_STREAM,
      group,
      { bufferSize },
    );
    return {
      close: () => subscription.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        for await (const resolved of subscription as AsyncIterable<ResolvedEvent & { retryCount?: number }>) {
          const event = toStoredEvent(resolved);
          // A link to a deleted event, or a non-JSON one: acknowledged so it does not come back.
          if (!event) {
            await subscription.ack(resolved);
            continue;
          }
          yield {
            event,
            retryCount: resolved.retryCount ?? 0,
            ack: () => subscription.ack(resolved),
            nack: (action, reason) => subscription.nack(action, reason, resolved),
          };
        }
      },
    };
  }

  close(): Promise<void> {
    return this.client.dispose();
  }
}
