import { CUSTOMER_STREAM_PREFIX } from '@rapport/domain';
import { partitionOf, type EventStore, type StoredEvent } from '@rapport/event-store';
import type { Doc, LeaseFence, ReadStore } from '@rapport/read-store';
import type { StreamedEvent } from '../events/streamed-event';
import { selectedEventTypes } from '../events/event-categories';
import { balance } from './partition-of';

/** A group as stored: its filter and partition count never change (the partition of a customer must not). */
export interface ConsumerGroupDefinition extends Doc {
  id: string;
  eventTypes: string[];
  categories: string[];
  partitions: number;
  startAfter: number;
  createdAt: string;
}

export interface GroupEvent {
  /** Give it back to `ack`: names the partition, its owner's generation and the position. */
  ackToken: string;
  partition: number;
  event: StreamedEvent;
}

export interface AckResult {
  acked: number;
  rejected: { token: string; reason: string }[];
}

interface PartitionState {
  owner: string | null;
  /** Fencing: moves on every change of owner, so a former owner's acks are refused. */
  generation: number;
  /** Everything of the partition up to here is acknowledged (durable). */
  ackedTo: number;
  /** Everything of the partition up to here was handed to the current owner. */
  deliveredTo: number;
  /** Handed out, in position order, not all acknowledged yet. */
  inFlight: { position: number; acked: boolean }[];
}

interface Member {
  leaseUntil: number;
}

export interface GroupDeps {
  events: EventStore;
  reads: ReadStore;
  now(): number;
  leaseMs: number;
  /** Checkpoints are written under the lease of the instance serving the group; a stale token is refused. */
  fence?: LeaseFence;
}

/** Events handed out per partition and not acknowledged, at most. */
const MAX_IN_FLIGHT_PER_PARTITION = 1000;
/** Events scanned per fetch, at most (filtered-out ones included). */
const SCAN_LIMIT = 5000;

export const groupCheckpoint = (group: string, partition: number): string => `group:${group}:${partition}`;

/**
 * A consumer group over HTTP: the customer streams are split into `partitions` by a hash of the
 * customer id; each partition has one owner at a time and a durable checkpoint (acknowledged up to
 * a position). Members fetch from their partitions in order and acknowledge explicitly; a member
 * that neither acknowledges nor fetches with nothing outstanding for a lease loses its partitions,
 * and what it had not acknowledged goes to the new owner (at least once, per-customer order kept).
 */
export class ConsumerGroup {
  private readonly partitions: PartitionState[];
  private readonly members = new Map<string, Member>();
  private readonly wanted: Set<string> | null;
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly definition: ConsumerGroupDefinition,
    private readonly deps: GroupDeps,
    checkpoints: number[],
  ) {
    this.partitions = checkpoints.map((ackedTo) => ({
      owner: null,
      generation: 0,
      ackedTo,
      deliveredTo: ackedTo,
      inFlight: [],
    }));
    const types = selectedEventTypes(definition.eventTypes, definition.categories);
    this.wanted = types === null ? null : new Set(types);
  }

  static async open(definition: ConsumerGroupDefinition, deps: GroupDeps): Promise<ConsumerGroup> {
    const checkpoints: number[] = [];
    for (let p = 0; p < definition.partitions; p++)
      checkpoints.push((await deps.reads.getCheckpoint(groupCheckpoint(definition.id, p))) ?? definition.startAfter);
    return new ConsumerGroup(definition, deps, checkpoints);
  }

  /** Up to `max` events from the member's partitions, in position order (joins the group on first call). */
  fetch(
    memberId: string,
    max: number,
    present: (stored: StoredEvent) => Promise<StreamedEvent>,
  ): Promise<{ partitions: number[]; events: GroupEvent[] }> {
    return this.serialized(async () => {
      this.join(memberId);
      const owned = this.ownedBy(memberId);
      if (owned.every((p) => this.partitions[p]!.inFlight.length === 0)) this.renew(memberId);
      const open = owned.filter((p) => this.partitions[p]!.inFlight.length < MAX_IN_FLIGHT_PER_PARTITION);
      if (open.length === 0) return { partitions: owned, events: [] };
      const start = Math.min(...open.map((p) => this.partitions[p]!.deliveredTo));
      const handed: GroupEvent[] = [];
      const full = new Set<number>();
      let scannedTo = start;
      for await (const stored of this.deps.events.readAll({
        fromPosition: start + 1,
        maxCount: SCAN_LIMIT,
        filter: { streamPrefixes: [CUSTOMER_STREAM_PREFIX] },
      })) {
        if (handed.length >= max) break;
        scannedTo = stored.position;
        if (this.wanted !== null && !this.wanted.has(stored.type)) continue;
        const p = partitionOf(stored.streamId.slice(CUSTOMER_STREAM_PREFIX.length), this.definition.partitions);
        const state = this.partitions[p]!;
        if (!open.includes(p) || full.has(p) || stored.position <= state.deliveredTo) continue;
        if (state.inFlight.length >= MAX_IN_FLIGHT_PER_PARTITION) {
          full.add(p);
          continue;
        }
        state.inFlight.push({ position: stored.position, acked: false });
        state.deliveredTo = stored.position;
        handed.push({
          ackToken: `${p}.${state.generation}.${stored.position}`,
          partition: p,
          event: await present(stored),
        });
      }
      // Everything scanned was handed out for partitions that were not full: skip it next time.
      for (const p of open) {
        if (full.has(p)) continue;
        const state = this.partitions[p]!;
        state.deliveredTo = Math.max(state.deliveredTo, scannedTo);
        if (state.inFlight.length === 0) state.ackedTo = state.deliveredTo;
      }
      return { partitions: owned, events: handed };
    });
  }

  /** Acknowledges handed-out events; a token from a partition the member no longer owns is refused. */
  ack(memberId: string, tokens: readonly string[]): Promise<AckResult> {
    return this.serialized(async () => {
      this.expire();
      const result: AckResult = { acked: 0, rejected: [] };
      const touched = new Set<number>();
      for (const token of tokens) {
        const [p, generation, position] = token.split('.').map(Number) as [number, number, number];
        const state = this.partitions[p];
        if (!state || !Number.isInteger(position))
          result.rejected.push({ token, reason: 'not a token this group issued' });
        else if (state.owner !== memberId || state.generation !== generation)
          result.rejected.push({
            token,
            reason: 'the partition has moved to another member since; the event is delivered again there',
          });
        else {
          const entry = state.inFlight.find((e) => e.position === position);
          if (entry) entry.acked = true;
          result.acked++;
          touched.add(p);
        }
      }
      if (result.acked > 0) this.renew(memberId);
      for (const p of touched) {
        const state = this.partitions[p]!;
        while (state.inFlight.length > 0 && state.inFlight[0]!.acked) state.ackedTo = state.inFlight.shift()!.position;
        if (state.inFlight.length === 0) state.ackedTo = state.deliveredTo;
        await this.deps.reads.commit(
          [],
          { name: groupCheckpoint(this.definition.id, p), position: state.ackedTo },
          this.deps.fence,
        );
      }
      return result;
    });
  }

  /** A member leaving on purpose: its partitions move at once. */
  leave(memberId: string): Promise<void> {
    return this.serialized(async () => {
      if (this.members.delete(memberId)) this.rebalance();
    });
  }

  status(): {
    members: { id: string; leaseUntil: string; partitions: number[] }[];
    partitions: { partition: number; owner: string | null; generation: number; ackedTo: number; inFlight: number }[];
  } {
    this.expire();
    return {
      members: [...this.members.entries()].map(([id, m]) => ({
        id,
        leaseUntil: new Date(m.leaseUntil).toISOString(),
        partitions: this.ownedBy(id),
      })),
      partitions: this.partitions.map((s, partition) => ({
        partition,
        owner: s.owner,
        generation: s.generation,
        ackedTo: s.ackedTo,
        inFlight: s.inFlight.length,
      })),
    };
  }

  private join(memberId: string): void {
    this.expire();
    if (this.members.has(memberId)) return;
    this.members.set(memberId, { leaseUntil: this.deps.now() + this.deps.leaseMs });
    this.rebalance();
  }

  private renew(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) member.leaseUntil = this.deps.now() + this.deps.leaseMs;
  }

  /** Members whose lease ran out leave; their partitions move. */
  private expire(): void {
    const now = this.deps.now();
    let changed = false;
    for (const [id, member] of this.members) {
      if (member.leaseUntil <= now) {
        this.members.delete(id);
        changed = true;
      }
    }
    if (changed) this.rebalance();
  }

  private rebalance(): void {
    const owners = balance(
      this.partitions.map((s) => s.owner),
      [...this.members.keys()],
    );
    owners.forEach((owner, p) => {
      const state = this.partitions[p]!;
      if (state.owner === owner) return;
      // A new owner starts after the last acknowledged event: what the old one had not acknowledged goes out again.
      state.owner = owner;
      state.generation++;
      state.deliveredTo = state.ackedTo;
      state.inFlight = [];
    });
  }

  private ownedBy(memberId: string): number[] {
    return this.partitions.flatMap((s, p) => (s.owner === memberId ? [p] : []));
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work, work);
    this.lock = next.catch(() => undefined);
    return next;
  }
}
