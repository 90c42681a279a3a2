import { randomUUID } from 'node:crypto';
import {
  customerStreamId,
  isDomainError,
  type Actor,
  type Channel,
  type CustomerEvent,
  type EventMetadata,
} from '@rapport/domain';
import { WrongExpectedRevisionError, type EventStore } from '@rapport/event-store';
import {
  currentSchemaVersion,
  decide,
  rehydrate,
  type CustomerCommand,
} from '../../../engine/src/command-handling/customer-domain';
import type {
  CustomerStreamLoader,
  RecordedEventRef,
} from '../../../engine/src/command-handling/customer-stream-loader';
import { eventIdFor } from '../../../engine/src/command-handling/event-ids';
import type { PersonalDataProtection } from '../../../engine/src/command-handling/personal-data-protection';
import type { Clock } from '../../../engine/src/infrastructure/clock';

/** One command to record, with its envelope. */
export interface BulkItem {
  command: CustomerCommand;
  idempotencyKey: string;
  channel: Channel;
  actor: Actor;
}

export type BulkOutcome =
  | { status: 'recorded'; events: number }
  /** Its idempotency key's events are already stored: nothing written. */
  | { status: 'duplicate' }
  | { status: 'rejected'; reason: string };

const MAX_ATTEMPTS = 5;
/** The loader remembers this many recent event ids; beyond, duplicates are looked up in the stream. */
const RECENT_IDS = 1_000;

/**
 * Records many commands of one customer with one append: load the state once, decide each command
 * in order against the state the previous ones left (so every rule holds), then append all accepted
 * events together. A rejected command is reported and skipped; the others still go in. Event ids
 * derive from the idempotency keys exactly as the engine's command service derives them, so a
 * command already recorded (by an import or over HTTP) is recognised and stores nothing twice.
 */
export class BulkCommandRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly loader: CustomerStreamLoader,
    private readonly personalData: PersonalDataProtection,
    private readonly clock: Clock,
  ) {}

  async recordCustomer(
    customerId: string,
    items: readonly BulkItem[],
    correlationId = randomUUID(),
  ): Promise<BulkOutcome[]> {
    const streamId = customerStreamId(customerId);
    const firstIds = items.map((item) => eventIdFor(customerId, item.idempotencyKey, 0));
    for (let attempt = 1; ; attempt++) {
      const snapshot = await this.loader.load(streamId);
      const known = await this.knownIds(streamId, firstIds, snapshot.recent, snapshot.revision);
      const outcomes: BulkOutcome[] = [];
      const events: CustomerEvent[] = [];
      let state = snapshot.state;
      for (const [i, item] of items.entries()) {
        const firstId = firstIds[i]!;
        if (known.has(firstId)) {
          outcomes.push({ status: 'duplicate' });
          continue;
        }
        if (item.command.customerId !== customerId)
          throw new Error(`command of ${item.command.customerId} in the batch of ${customerId}`);
        try {
          const decided = decide(item.command, state).map((event, index) =>
            this.withMetadata(
              event,
              item,
              correlationId,
              index === 0 ? firstId : eventIdFor(customerId, item.idempotencyKey, index),
            ),
          );
          state = rehydrate(decided, state);
          events.push(...decided);
          decided.forEach((e) => known.add(e.metadata.eventId));
          outcomes.push({ status: 'recorded', events: decided.length });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          outcomes.push({ status: 'rejected', reason: `${error.rule}: ${error.message}` });
        }
      }
      if (events.length === 0) return outcomes;
      const sealed = await Promise.all(events.map((event) => this.personalData.encrypt(customerId, event)));
      try {
        await this.store.appendToStream(streamId, sealed as never, {
          expectedRevision: snapshot.revision ?? 'no_stream',
        });
        // Not cached: a bulk load touches each customer once or twice, and caching tens of
        // thousands of snapshots costs more (memory, GC) than re-reading the rare second batch.
        this.loader.forget(streamId);
        return outcomes;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
        this.loader.forget(streamId);
      }
    }
  }

  /** Event ids already in the stream among those the batch would write. */
  private async knownIds(
    streamId: string,
    wanted: string[],
    recent: Map<string, RecordedEventRef>,
    revision: number | null,
  ): Promise<Set<string>> {
    const known = new Set<string>();
    if (revision !== null && revision + 1 > RECENT_IDS) {
      for (const id of (await this.loader.findByIds(streamId, wanted)).keys()) known.add(id);
    } else {
      for (const id of wanted) if (recent.has(id)) known.add(id);
    }
    return known;
  }

  private withMetadata(
    event: { type: string; data: unknown },
    item: BulkItem,
    correlationId: string,
    eventId: string,
  ): CustomerEvent {
    const metadata: EventMetadata = {
      eventId,
      occurredAt: item.command.occurredAt,
      recordedAt: this.clock.now().toISOString(),
      actor: item.actor,
      channel: item.channel,
      correlationId,
      causationId: null,
      schemaVersion: currentSchemaVersion(event.type as CustomerEvent['type']),
    };
    return { ...event, metadata } as CustomerEvent;
  }
}
