import { randomUUID } from 'node:crypto';
import { MemoryEventStore, type StoredEvent } from '@rapport/event-store';
import { MemoryReadStore } from '@rapport/read-store';
import type { StreamedEvent } from '../events/streamed-event';
import { ConsumerGroup, type ConsumerGroupDefinition, type GroupEvent } from './consumer-group';

const present = async (s: StoredEvent): Promise<StreamedEvent> => ({
  streamId: s.streamId,
  revision: s.revision,
  position: s.position,
  type: s.type,
  data: s.data,
  metadata: s.metadata,
});

const event = (customerId: string, n: number, type = 'CallLogged') => ({
  type,
  data: { customerId, callId: `call-${n}` },
  metadata: {
    eventId: randomUUID(),
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 2,
  },
});

const definition = (extra: Partial<ConsumerGroupDefinition> = {}): ConsumerGroupDefinition => ({
  id: 'crm',
  eventTypes: [],
  categories: [],
  partitions: 8,
  startAfter: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('a consumer group', () => {
  let events: MemoryEventStore;
  let reads: MemoryReadStore;
  let clock: number;
  const LEASE = 10_000;
  const open = (extra?: Partial<ConsumerGroupDefinition>) =>
    ConsumerGroup.open(definition(extra), { events, reads, now: () => clock, leaseMs: LEASE });
  const append = async (customers: number, each: number) => {
    for (let n = 0; n < each; n++)
      for (let c = 0; c < customers; c++) await events.appendToStream(`customer-c${c}`, [event(`c${c}`, n)]);
  };
  const drain = async (group: ConsumerGroup, member: string, ack = true): Promise<GroupEvent[]> => {
    const all: GroupEvent[] = [];
    for (;;) {
      const { events: batch } = await group.fetch(member, 7, present);
      if (batch.length === 0) return all;
      all.push(...batch);
      if (ack)
        await group.ack(
          member,
          batch.map((e) => e.ackToken),
        );
    }
  };
  const expectOrderedPerCustomer = (got: GroupEvent[]) => {
    const byStream = new Map<string, number[]>();
    for (const e of got) byStream.set(e.event.streamId, [...(byStream.get(e.event.streamId) ?? []), e.event.revision]);
    for (const revisions of byStream.values()) expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  };

  beforeEach(() => {
    events = new MemoryEventStore();
    reads = new MemoryReadStore();
    clock = 1_000_000;
  });

  it('given two members, then they own disjoint partitions and together get every event once, each customer in order', async () => {
    await append(20, 5);
    const group = await open();
    await group.fetch('a', 0, present);
    await group.fetch('b', 0, present);
    const a = await drain(group, 'a');
    const b = await drain(group, 'b');
    const status = group.status();
    const ownedA = new Set(status.members.find((m) => m.id === 'a')!.partitions);
    const ownedB = new Set(status.members.find((m) => m.id === 'b')!.partitions);
    expect(ownedA.size).toBe(4);
    expect(ownedB.size).toBe(4);
    expect([...ownedA].some((p) => ownedB.has(p))).toBe(false);
    expect(a.every((e) => ownedA.has(e.partition))).toBe(true);
    const ids = [...a, ...b].map((e) => e.event.metadata.eventId as string);
    expect(new Set(ids).size).toBe(100);
    expect(ids).toHaveLength(100);
    const streamsOfA = new Set(a.map((e) => e.event.streamId));
    expect(b.some((e) => streamsOfA.has(e.event.streamId))).toBe(false);
    expectOrderedPerCustomer(a);
    expectOrderedPerCustomer(b);
  });

  it('given a member that stops acknowledging, when its lease runs out, then the survivor gets its partitions and the unacknowledged events again, in order; the dead member’s late acks are refused', async () => {
    await append(12, 4);
    const group = await open();
    await group.fetch('a', 0, present);
    await group.fetch('b', 0, present);
    const taken = (await group.fetch('b', 1000, present)).events; // b takes its events, never acknowledges them
    expect(taken.length).toBeGreaterThan(0);
    const a = await drain(group, 'a');

    clock += LEASE / 2;
    expect(
      group
        .status()
        .members.map((m) => m.id)
        .sort(),
    ).toEqual(['a', 'b']);
    await group.fetch('a', 0, present); // a keeps its lease by fetching with nothing outstanding
    clock += LEASE / 2 + 1;
    const again = await drain(group, 'a');
    expect(group.status().members.map((m) => m.id)).toEqual(['a']);
    expect(again.map((e) => e.event.metadata.eventId).sort()).toEqual(
      taken.map((e) => e.event.metadata.eventId).sort(),
    );
    expectOrderedPerCustomer(again);
    expect(new Set([...a, ...again].map((e) => e.event.metadata.eventId)).size).toBe(48);

    const late = await group.ack(
      'b',
      taken.map((e) => e.ackToken),
    );
    expect(late.acked).toBe(0);
    expect(late.rejected).toHaveLength(taken.length);
  });

  it('given a member joining, then partitions move to it and nothing acknowledged is delivered again', async () => {
    await append(16, 2);
    const group = await open();
    const first = await drain(group, 'a');
    expect(first).toHaveLength(32);
    await group.fetch('b', 0, present);
    await append(16, 1);
    const a = await drain(group, 'a');
    const b = await drain(group, 'b');
    expect(a.length + b.length).toBe(16);
    expect(b.length).toBeGreaterThan(0);
  });

  it('the checkpoint is the server’s: a reopened group (engine restart) delivers only what was not acknowledged', async () => {
    await append(10, 3);
    const group = await open();
    const { events: batch } = await group.fetch('a', 10, present);
    await group.ack(
      'a',
      batch.map((e) => e.ackToken),
    );
    const unacked = (await group.fetch('a', 1000, present)).events;
    expect(unacked).toHaveLength(20);

    const reopened = await open();
    const after = await drain(reopened, 'z');
    expect(after.map((e) => e.event.metadata.eventId).sort()).toEqual(
      unacked.map((e) => e.event.metadata.eventId).sort(),
    );
  });

  it('a group filtered to alerts gets only alert events', async () => {
    await append(3, 2);
    await events.appendToStream('customer-c1', [event('c1', 9, 'PromiseBecameOverdue')]);
    const group = await open({ categories: ['alerts'] });
    const got = await drain(group, 'a');
    expect(got.map((e) => e.event.type)).toEqual(['PromiseBecameOverdue']);
  });
});
