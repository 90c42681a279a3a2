import { MemoryEventStore } from '@rapport/event-store';
import { LeaseFencedError, MemoryReadStore, type Doc } from '@rapport/read-store';
import type { Projection } from '../projection';
import { makeEvent, passThroughDecoder } from '../testing/history';
import { ProjectionRunner } from '../runner/projection-runner';
import { JOBS_LEADER_LEASE, projectionLease } from './fair-share';
import { ProjectionCoordinator } from './projection-coordinator';

const TTL = 1000;
const counter = (name: string): Projection<Doc & { calls: number }> => ({
  name,
  version: 1,
  handles: ['CallLogged'],
  indexes: [],
  evolve: (doc, event) =>
    event.type === 'CallLogged' ? { id: event.data.customerId, calls: (doc?.calls ?? 0) + 1 } : doc,
});
const PROJECTIONS = ['p1', 'p2', 'p3', 'p4'].map((name): Projection => counter(name));
const call = (n: number) =>
  makeEvent(
    'CallLogged',
    {
      customerId: 'k',
      callId: `c${n}`,
      direction: 'inbound',
      durationSeconds: 1,
      agentId: 'a',
      topic: 't',
      outcome: 'resolved',
    },
    new Date(Date.UTC(2024, 0, 1, 0, n)),
  );

describe('projector workers sharing projections through leases (ProjectionCoordinator)', () => {
  const events = new MemoryEventStore();
  const reads = new MemoryReadStore();
  let now = 1_000_000;
  const clock = () => now;
  const leadership: string[] = [];
  const worker = (id: string) => {
    const runner = new ProjectionRunner({
      eventStore: events,
      readStore: reads,
      decoder: passThroughDecoder,
      projections: PROJECTIONS,
      clock,
    });
    const coordinator = new ProjectionCoordinator({
      readStore: reads,
      host: runner,
      projections: PROJECTIONS.map((p) => p.name),
      workerId: id,
      leaseMs: TTL,
      leader: true,
      onLeadership: (leading) => leadership.push(`${id}:${leading}`),
      clock,
    });
    return { runner, coordinator };
  };
  const owned = (w: ReturnType<typeof worker>) =>
    w.coordinator
      .ownership()
      .owned.map((o) => o.projection)
      .sort();
  const calls = async (projection: string): Promise<number> =>
    (await reads.get<Doc & { calls: number }>(`${projection}_v1`, 'k'))?.calls ?? 0;

  it('given one worker, then it runs every projection and leads; a second joins: 2 and 2; the first dies: the second takes all from the checkpoints; the first, resumed, writes nothing', async () => {
    await events.appendToStream('customer-k', [call(1), call(2)], { expectedRevision: 'any' });
    const a = worker('a');
    await a.coordinator.pass();
    expect(owned(a)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(a.coordinator.isLeader).toBe(true);
    for (const p of PROJECTIONS) expect(await a.runner.waitFor(p.name, 2, 2000)).toBe(true);

    const b = worker('b');
    await b.coordinator.pass(); // counts two workers now, but everything is held
    expect(owned(b)).toEqual([]);
    await a.coordinator.pass(); // over its share of 2: hands two over
    await b.coordinator.pass();
    expect(owned(a)).toHaveLength(2);
    expect(owned(b)).toHaveLength(2);
    expect([...owned(a), ...owned(b)].sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    for (const name of owned(a)) expect(a.runner.runsHere(name)).toBe(true);
    for (const name of owned(b)) expect(a.runner.runsHere(name)).toBe(false);
    expect(b.coordinator.isLeader).toBe(false);

    // a stops renewing (paused); its leases expire and b takes everything over.
    const staleNames = owned(a);
    const stale = a.coordinator.ownership().owned;
    now += TTL + 1;
    await events.appendToStream('customer-k', [call(3)], { expectedRevision: 'any' });
    await b.coordinator.pass();
    await b.coordinator.pass();
    expect(owned(b)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(b.coordinator.isLeader).toBe(true);
    for (const p of PROJECTIONS) expect(await b.runner.waitFor(p.name, 3, 2000)).toBe(true);
    for (const p of PROJECTIONS) expect(await calls(p.name)).toBe(3); // nothing applied twice

    // a wakes up: its renewals fail, so it stops those projections at once, and its old fence is refused.
    await a.coordinator.pass();
    expect(owned(a)).toEqual([]);
    for (const name of staleNames) expect(a.runner.runsHere(name)).toBe(false);
    expect(a.coordinator.isLeader).toBe(false);
    const lease = stale[0]!;
    await expect(
      reads.commit(
        [],
        { name: `${lease.projection}_v1`, position: 1 },
        { lease: projectionLease(lease.projection), token: lease.token },
      ),
    ).rejects.toBeInstanceOf(LeaseFencedError);
    expect(leadership).toEqual(['a:true', 'b:true', 'a:false']);

    // b shuts down: it releases everything, and a takes over on its next pass without waiting for expiry.
    await b.coordinator.stop();
    await a.coordinator.pass();
    expect(owned(a)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(a.coordinator.isLeader).toBe(true);
    expect((await reads.listLeases(JOBS_LEADER_LEASE))[0]?.owner).toBe('a');
    await a.coordinator.stop();
    await a.runner.stop();
    await b.runner.stop();
    expect((await reads.listLeases('projection:')).every((l) => l.owner === null)).toBe(true);
  });

  it('given a runner whose fenced write is refused (its lease passed on), then it stops that projection and tells its owner', async () => {
    const store = new MemoryReadStore();
    const log = new MemoryEventStore();
    const runner = new ProjectionRunner({
      eventStore: log,
      readStore: store,
      decoder: passThroughDecoder,
      projections: [PROJECTIONS[0]!],
    });
    const grant = (await store.acquireLease(projectionLease('p1'), 'old', TTL, 0))!;
    const fenced: LeaseFencedError[] = [];
    await runner.startProjection('p1', {
      fence: { lease: projectionLease('p1'), token: grant.token },
      onFenced: (error) => fenced.push(error),
    });
    await log.appendToStream('customer-k', [call(1)], { expectedRevision: 'any' });
    expect(await runner.waitFor('p1', 1, 2000)).toBe(true);
    // Another owner takes the expired lease; the old one's next write must not land.
    expect(await store.acquireLease(projectionLease('p1'), 'new', TTL, TTL + 1)).toMatchObject({ token: 2 });
    await log.appendToStream('customer-k', [call(2)], { expectedRevision: 'any' });
    for (let i = 0; i < 100 && fenced.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fenced).toHaveLength(1);
    expect(fenced[0]).toMatchObject({ token: 1, currentToken: 2, currentOwner: 'new' });
    expect(runner.runsHere('p1')).toBe(false);
    expect(await store.getCheckpoint('p1_v1')).toBe(1);
    expect((await store.get<Doc & { calls: number }>('p1_v1', 'k'))?.calls).toBe(1);
    await runner.stop();
  });

  it('given leases a dead predecessor held under the same worker id, then the restarted worker takes them back at once, with the same tokens', async () => {
    const store = new MemoryReadStore();
    const log = new MemoryEventStore();
    const boot = (): { runner: ProjectionRunner; coordinator: ProjectionCoordinator } => {
      const runner = new ProjectionRunner({
        eventStore: log,
        readStore: store,
        decoder: passThroughDecoder,
        projections: PROJECTIONS,
        clock: () => 0,
      });
      const coordinator = new ProjectionCoordinator({
        readStore: store,
        host: runner,
        projections: PROJECTIONS.map((p) => p.name),
        workerId: 'same',
        leaseMs: 60_000,
        clock: () => 0,
      });
      return { runner, coordinator };
    };
    const first = boot();
    await first.coordinator.pass();
    const tokens = first.coordinator.ownership().owned.map((o) => [o.projection, o.token]);
    await first.runner.stop(); // dies without giving anything up
    const second = boot();
    await second.coordinator.pass();
    expect(second.coordinator.ownership().owned.map((o) => [o.projection, o.token])).toEqual(tokens);
    for (const p of PROJECTIONS) expect(second.runner.runsHere(p.name)).toBe(true);
    await second.coordinator.stop();
    await second.runner.stop();
  });
});

describe('projector workers sharing partitions of the projections', () => {
  it('given 2 projections in 3 partitions, then 2 workers take 3 each, a third joining takes 2 from them, and one leaving hands its partitions over', async () => {
    const events = new MemoryEventStore();
    const reads = new MemoryReadStore();
    let now = 5_000_000;
    const clock = () => now;
    const projections = ['q1', 'q2'].map((name): Projection => counter(name));
    const worker = (id: string) => {
      const runner = new ProjectionRunner({
        eventStore: events,
        readStore: reads,
        decoder: passThroughDecoder,
        projections,
        partitions: 3,
        clock,
      });
      const coordinator = new ProjectionCoordinator({
        readStore: reads,
        host: runner,
        projections: runner.units(),
        workerId: id,
        leaseMs: TTL,
        clock,
      });
      return {
        runner,
        coordinator,
        units: () =>
          coordinator
            .ownership()
            .owned.map((o) => o.projection)
            .sort(),
      };
    };
    const pass = async (...ws: ReturnType<typeof worker>[]) => {
      for (const w of ws) await w.coordinator.pass();
      for (const w of ws) await w.coordinator.pass();
    };
    const a = worker('a');
    const b = worker('b');
    expect(a.runner.units()).toEqual(['q1#0/3', 'q1#1/3', 'q1#2/3', 'q2#0/3', 'q2#1/3', 'q2#2/3']);
    await pass(a, b);
    expect([a.units().length, b.units().length]).toEqual([3, 3]);
    expect([...a.units(), ...b.units()].sort()).toEqual(a.runner.units());
    expect(a.units().every((unit) => a.runner.runsHere(unit))).toBe(true);

    const c = worker('c');
    now += 10;
    await pass(a, b, c);
    await pass(a, b, c);
    expect([a.units().length, b.units().length, c.units().length]).toEqual([2, 2, 2]);
    expect([...a.units(), ...b.units(), ...c.units()].sort()).toEqual(a.runner.units());

    // c leaves without a word (its leases run out): a and b share its partitions again.
    now += 2 * TTL;
    await pass(a, b);
    expect([a.units().length, b.units().length]).toEqual([3, 3]);
    expect([...a.units(), ...b.units()].sort()).toEqual(a.runner.units());
    for (const w of [a, b, c]) {
      await w.coordinator.stop();
      await w.runner.stop();
    }
  });

  it('given another worker holding a whole projection this worker runs in partitions, then it warns once that the partition counts differ', async () => {
    const reads = new MemoryReadStore();
    const now = 9_000_000;
    await reads.acquireLease(projectionLease('q1'), 'old-worker', TTL, now);
    const warnings: string[] = [];
    const coordinator = new ProjectionCoordinator({
      readStore: reads,
      host: { startProjection: async () => undefined, stopProjection: async () => undefined },
      projections: ['q1#0/2', 'q1#1/2'],
      workerId: 'new-worker',
      leaseMs: TTL,
      clock: () => now,
      logger: { log: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    await coordinator.pass();
    await coordinator.pass();
    expect(warnings).toEqual([
      'projection leases held by other workers for units this worker does not run: q1; do all workers have the same PROJECTION_PARTITIONS?',
    ]);
    expect(
      coordinator
        .ownership()
        .owned.map((o) => o.projection)
        .sort(),
    ).toEqual(['q1#0/2', 'q1#1/2']);
  });
});
