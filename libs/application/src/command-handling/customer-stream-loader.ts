import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { CustomerEvent } from '@rapport/domain';
import { initialState, restoreCustomerState } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import { foldIntoOwned, rehydrate, upcastStored, type CustomerState } from './customer-domain';
import { SnapshotStore } from './snapshot-store';

export interface RecordedEventRef {
  revision: number;
  position: number;
  type: string;
  /** The digest of the request its Idempotency-Key came with (events recorded with a key). */
  requestDigest?: string;
}

/** A customer's decision state at a revision, plus the ids of its latest events (for idempotent replays). */
export interface CustomerSnapshot {
  /** The loader's own: read it, never keep it past the command (the loader folds new events into it). */
  state: CustomerState;
  /** null: no stream yet. */
  revision: number | null;
  recent: Map<string, RecordedEventRef>;
}

/** How many recent event ids a snapshot remembers for Idempotency-Key replays without a stream scan. */
const RECENT_IDS = 1_000;
/** Customers whose snapshots stay in memory (least recently used go first). */
const CACHED_CUSTOMERS = 20_000;
/** A snapshot is persisted once this many events were folded since the last persisted one. */
export const PERSIST_SNAPSHOT_EVERY = 200;

/**
 * Loads a customer's decision state: a snapshot (in memory, else persisted) plus the events after it,
 * upcast but not decrypted (the decision state holds no personal data). A customer with 10,000 events
 * is never folded from the start twice: each command reads only what was appended since.
 */
@Injectable()
export class CustomerStreamLoader {
  private readonly logger = new Logger(CustomerStreamLoader.name);
  private readonly snapshots = new Map<string, CustomerSnapshot>();
  /** Revision of the last persisted snapshot per stream (in memory). */
  private readonly persistedAt = new Map<string, number>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(SnapshotStore) private readonly persisted?: SnapshotStore,
  ) {}

  async load(streamId: string): Promise<CustomerSnapshot> {
    const inMemory = this.snapshots.get(streamId);
    // The common case: nothing appended since our own last write; one indexed lookup confirms it.
    if (inMemory && (await this.store.streamRevision(streamId)) === inMemory.revision)
      return this.touch(streamId, inMemory);
    const snapshot = inMemory ? await this.catchUp(streamId, inMemory) : await this.loadCold(streamId);
    this.maybePersist(streamId, snapshot);
    return this.touch(streamId, snapshot);
  }

  /**
   * The snapshot in memory as this process left it, unchecked against the store (another process may
   * have appended since): fit only for a decision whose append carries its revision as the expected one.
   */
  cached(streamId: string): CustomerSnapshot | undefined {
    const inMemory = this.snapshots.get(streamId);
    return inMemory && this.touch(streamId, inMemory);
  }

  /** The snapshot in memory plus what was appended since (by another writer, or after a conflict). */
  private async catchUp(streamId: string, from: CustomerSnapshot): Promise<CustomerSnapshot> {
    const tail = await this.readAfter(streamId, from.revision, from.recent);
    if (tail.events.length === 0) return from;
    return { state: foldIntoOwned(from.state, tail.events), revision: tail.revision, recent: from.recent };
  }

  /**
   * Nothing in memory (a fresh process, an evicted customer): the persisted snapshot decoded straight
   * into a state of its own with the events after it folded in, or, without a usable one, a full fold.
   */
  private async loadCold(streamId: string): Promise<CustomerSnapshot> {
    const persisted = await this.persisted?.get(streamId);
    if (persisted) {
      const recent = new Map<string, RecordedEventRef>();
      const tail = await this.readAfter(streamId, persisted.revision, recent);
      try {
        const state = restoreCustomerState(persisted.encoded, tail.events);
        this.persistedAt.set(streamId, persisted.revision);
        return { state, revision: tail.revision, recent };
      } catch (error) {
        this.logger.warn(`snapshot of ${streamId} unusable, folding from the start: ${(error as Error).message}`);
      }
    }
    const recent = new Map<string, RecordedEventRef>();
    const all = await this.readAfter(streamId, null, recent);
    return { state: rehydrate(all.events, initialState()), revision: all.revision, recent };
  }

  /** The events after `revision` (all when null), upcast, in one indexed range read; their ids are remembered. */
  private async readAfter(
    streamId: string,
    revision: number | null,
    recent: Map<string, RecordedEventRef>,
  ): Promise<{ events: CustomerEvent[]; revision: number | null }> {
    const events: CustomerEvent[] = [];
    let last = revision;
    for await (const stored of this.store.readStream(streamId, {
      fromRevision: revision === null ? 0 : revision + 1,
    })) {
      events.push(upcastStored(stored));
      remember(recent, stored);
      last = stored.revision;
    }
    return { events, revision: last };
  }

  /** Persists in the background: a lost snapshot only costs a longer load, never correctness. */
  private maybePersist(streamId: string, snapshot: CustomerSnapshot): void {
    if (!this.persisted || snapshot.revision === null) return;
    const last = this.persistedAt.get(streamId) ?? -1;
    if (snapshot.revision - last < PERSIST_SNAPSHOT_EVERY) return;
    this.persistedAt.set(streamId, snapshot.revision);
    const { state, revision } = snapshot;
    this.persisted.put(streamId, { state, revision }).catch((error: unknown) => {
      this.persistedAt.delete(streamId);
      this.logger.warn(`could not persist the snapshot of ${streamId}: ${(error as Error).message}`);
    });
  }

  /** Records what a successful append produced, so the next command starts from it. */
  advance(
    streamId: string,
    base: CustomerSnapshot,
    appended: { event: CustomerEvent; stored: StoredEventRef }[],
  ): void {
    const recent = base.recent;
    for (const { stored } of appended) remember(recent, stored);
    const last = appended.at(-1);
    const snapshot = {
      state: foldIntoOwned(
        base.state,
        appended.map((a) => a.event),
      ),
      revision: last ? last.stored.revision : base.revision,
      recent,
    };
    this.maybePersist(streamId, snapshot);
    this.touch(streamId, snapshot);
  }

  /** Drops what is cached about a stream (after a conflict, or erasure). */
  forget(streamId: string): void {
    this.snapshots.delete(streamId);
  }

  /** Every stored event of the stream with one of these ids (a full scan: the rare replay beyond RECENT_IDS). */
  async findByIds(streamId: string, eventIds: string[]): Promise<Map<string, RecordedEventRef>> {
    const wanted = new Set(eventIds);
    const found = new Map<string, RecordedEventRef>();
    for await (const stored of this.store.readStream(streamId)) {
      if (wanted.has(stored.metadata.eventId)) found.set(stored.metadata.eventId, refOf(stored));
    }
    return found;
  }

  private touch(streamId: string, snapshot: CustomerSnapshot): CustomerSnapshot {
    this.snapshots.delete(streamId);
    this.snapshots.set(streamId, snapshot);
    if (this.snapshots.size > CACHED_CUSTOMERS) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest !== undefined) this.snapshots.delete(oldest);
    }
    return snapshot;
  }
}

export type StoredEventRef = Pick<StoredEvent, 'revision' | 'position' | 'type'> & {
  metadata: { eventId: string; requestDigest?: unknown };
};

const refOf = ({ revision, position, type, metadata }: StoredEventRef): RecordedEventRef =>
  typeof metadata.requestDigest === 'string'
    ? { revision, position, type, requestDigest: metadata.requestDigest }
    : { revision, position, type };

function remember(recent: Map<string, RecordedEventRef>, stored: StoredEventRef): void {
  recent.set(stored.metadata.eventId, refOf(stored));
  if (recent.size > RECENT_IDS) {
    const oldest = recent.keys().next().value;
    if (oldest !== undefined) recent.delete(oldest);
  }
}
