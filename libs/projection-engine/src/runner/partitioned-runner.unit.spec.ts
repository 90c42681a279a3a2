import { MemoryEventStore, streamPartition } from '@rapport/event-store';
import { MemoryReadStore, type Doc, type LeaseFence, type ReadStore } from '@rapport/read-store';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import type { Projection } from '../projection';
import { projectionLease } from '../ownership/fair-share';
import { makeEvent, passThroughDecoder, seedHistory } from '../testing/history';
import { readRecord } from './projection-catalog';
import { ProjectionRunner } from './projection-runner';
import { followingKeyOf, partitionCheckpoints, unitsOf } from './projection-units';

const profile: Projection = customerProfileProjection;
const NAME = profile.name;
const PARTITIONS = 3;

/** A projection whose one document gathers every customer: never partitioned. */
const totals: Projection = {
  name: 'call-totals',
  version: 1,
  handles: ['CallLogged'],
  indexes: [],
  keyOf: () => 'all',
  evolve: (doc) => ({ id: 'all', calls: Number((doc as { calls?: number } | null)?.calls ?? 0) + 1 }),
};

const call = (customerId: string, callId: string) =>
  makeEvent(
    'CallLogged',
    { customerId, callId, direction: 'inbound', durationSeconds: 5, agentId: 'a', topic: 't', outcome: 'resolved' },
    new Date(Date.UTC(2024, 5, 1)),
    'phone',
  );

async function allDocs(store: MemoryReadStore, collection: string): Promise<Doc[]> {
  const docs: Doc[] = [];
  for await (const doc of store.scan(collection)) docs.push(doc);
  return docs.sort((a, b) => a.id.localeCompare(b.id));
}

/** The documents one unpartitioned runner builds from the same events. */
async function reference(events: MemoryEventStore): Promise<Doc[]> {
  const reads = new MemoryReadStore();
  const runner = new ProjectionRunner({
    eventStore: events,
    readStore: reads,
    decoder: passThroughDecoder,
    projections: [profile],
  });
  await runner.rebuild(NAME);
  return allDocs(reads, runner.liveCollection(NAME));
}

const until = async (condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** One runner per partition on one read store (workers), each holding its partition's lease. */
async function workers(events: MemoryEventStore, reads: MemoryReadStore, version = 1) {
  /** The documents each worker wrote, by id. */
  const written = Array.from({ length: PARTITIONS }, () => new Set<string>());
  const writesOf = (i: number): ReadStore =>
    new Proxy(reads, {
      get(target, property) {
        if (property === 'commit')
          return (...args: Parameters<ReadStore['commit']>) => {
            for (const change of args[0])
              if (change.collection.startsWith('customer'))
                written[i]!.add(change.kind === 'upsert' ? change.doc.id : change.id);
            return target.commit(...args);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const runners = Array.from(
    { length: PARTITIONS },
    (_, i) =>
      new ProjectionRunner({
        eventStore: events,
        readStore: writesOf(i),
        decoder: passThroughDecoder,
        projections: [{ ...profile, version }],
        partitions: PARTITIONS,
        batchSize: 16,
        recordPollMs: 20,
      }),
  );
  const units = runners[0]!.units();
  for (const [i, runner] of runners.entries()) {
    const grant = await reads.acquireLease(projectionLease(units[i]!), `worker-${i}`, 60_000, Date.now());
    const fence: LeaseFence = { lease: grant!.name, token: grant!.token };
    await runner.startProjection(units[i]!, { fence });
  }
  const caughtUp = async (): Promise<void> => {
    const head = await events.headPosition();
    await until(async () => {
      const { active } = await readRecord(reads, NAME);
      return active !== null && ((await reads.getCheckpoint(active.collection)) ?? 0) >= head;
    });
  };
  return { runners, units, caughtUp, written, stop: () => Promise.all(runners.map((r) => r.stop())) };
}

describe('a projection split into partitions by customer hash', () => {
  let events: MemoryEventStore;
  beforeEach(async () => {
    events = new MemoryEventStore();
    await seedHistory(events, 40, 8, 5, 2);
  });
  afterEach(() => events.close());

  it('names one unit per partition for per-customer projections, and keeps one gathering customers whole', () => {
    expect(unitsOf(profile, 3).map((u) => u.name)).toEqual([`${NAME}#0/3`, `${NAME}#1/3`, `${NAME}#2/3`]);
    expect(unitsOf(profile, 1).map((u) => u.name)).toEqual([NAME]);
    expect(unitsOf(totals, 3)).toEqual([{ name: 'call-totals', projection: 'call-totals', partition: null }]);
  });

  it("given three workers each owning a partition, when built from scratch and fed live, then the documents equal one runner's and each partition wrote only its customers", async () => {
    const reads = new MemoryReadStore();
    const cluster = await workers(events, reads);
    await cluster.caughtUp();
    const { active } = await readRecord(reads, NAME);
    const collection = active!.collection;
    expect(await allDocs(reads, collection)).toEqual(await reference(events));
    const head = await events.headPosition();
    expect(await partitionCheckpoints(reads, collection, PARTITIONS)).toEqual([head, head, head]);

    // Live: a new customer's events land through its partition only.
    await events.appendToStream('customer-late', [
      makeEvent(
        'CustomerRegistered',
        {
          customerId: 'late',
          name: 'n',
          acquisitionChannel: 'web',
          acquisitionCost: 1,
          region: 'r',
          city: 'c',
          demographics: {},
        },
        new Date(Date.UTC(2024, 5, 1)),
      ),
      call('late', 'l1'),
    ]);
    await cluster.caughtUp();
    expect(await allDocs(reads, collection)).toEqual(await reference(events));
    for (const [i, ids] of cluster.written.entries()) {
      expect(ids.size).toBeGreaterThan(0);
      expect([...ids].filter((id) => streamPartition(`customer-${id}`, PARTITIONS) !== i)).toEqual([]);
    }
    const statuses = await cluster.runners[streamPartition('customer-late', PARTITIONS)]!.status();
    expect(statuses[0]).toMatchObject({ state: 'live', checkpoint: await events.headPosition(), eventsBehind: 0 });
    expect(statuses[0]?.partitions?.map((p) => [p.unit, p.running])).toEqual(
      cluster.units.map((unit, i) => [unit, i === streamPartition('customer-late', PARTITIONS)]),
    );
    await cluster.stop();
  });

  it('given a rebuild asked on one worker, when every partition has built its share, then the switch happens once and the old collection goes when all follow the new', async () => {
    const reads = new MemoryReadStore();
    const cluster = await workers(events, reads);
    await cluster.caughtUp();
    const before = (await readRecord(reads, NAME)).active!.collection;
    await cluster.runners[1]!.rebuild(NAME);
    const record = await readRecord(reads, NAME);
    expect(record.active!.collection).not.toBe(before);
    expect(record.shadow).toBeNull();
    await until(async () => (await readRecord(reads, NAME)).retired.length === 0);
    for (const unit of cluster.units) expect(await reads.getMeta(followingKeyOf(unit))).toBe(record.active!.collection);
    expect(await reads.getCheckpoint(before)).toBeNull();
    expect(await allDocs(reads, before)).toEqual([]);

    await events.appendToStream('customer-c5-3', [call('c5-3', 'after-switch')], { expectedRevision: 7 });
    await cluster.caughtUp();
    expect(await allDocs(reads, record.active!.collection)).toEqual(await reference(events));
    await cluster.stop();
  });

  it('given the code moved to a new version, when the partitions start, then each builds its share of the new version beside the old one, switched in once all are built', async () => {
    const reads = new MemoryReadStore();
    const first = await workers(events, reads, 1);
    await first.caughtUp();
    await first.stop();
    const next = await workers(events, reads, 2);
    await until(async () => (await readRecord(reads, NAME)).active?.version === 2);
    await next.caughtUp();
    const { active } = await readRecord(reads, NAME);
    expect(await allDocs(reads, active!.collection)).toEqual(await reference(events));
    await next.stop();
  });

  it("given a poison event parked in one partition, when the fix is replayed on each worker, then only the owner of that customer's partition re-applies it", async () => {
    const state = { fixed: false };
    const counter: Projection = {
      name: 'calls',
      version: 1,
      handles: ['CallLogged'],
      indexes: [],
      evolve: (doc, event) => {
        if (event.type === 'CallLogged' && event.data.topic === 'poison' && !state.fixed)
          throw new Error('cannot handle poison');
        return { id: event.data.customerId, calls: Number((doc as { calls?: number } | null)?.calls ?? 0) + 1 };
      },
    };
    const reads = new MemoryReadStore();
    const runners = [0, 1].map(
      () =>
        new ProjectionRunner({
          eventStore: events,
          readStore: reads,
          decoder: passThroughDecoder,
          projections: [counter],
          partitions: 2,
          retry: { attempts: 1, baseDelayMs: 1 },
          recordPollMs: 20,
        }),
    );
    for (const [i, runner] of runners.entries()) await runner.startProjection(runner.units()[i]!);
    const poisoned = 'customer-c5-7';
    await events.appendToStream(poisoned, [
      { ...call('c5-7', 'bad'), data: { ...call('c5-7', 'bad').data, topic: 'poison' } },
    ]);
    const owner = streamPartition(poisoned, 2);
    await until(async () => (await runners[0]!.parked('calls')).length === 1);
    state.fixed = true;
    expect(await runners[1 - owner]!.replayParked('calls')).toEqual({ replayed: [], stillFailing: [] });
    const replayed = await runners[owner]!.replayParked('calls');
    expect(replayed.replayed).toHaveLength(1);
    expect(await runners[0]!.parked('calls')).toEqual([]);
    // The replayed poison call now counts with the customer's other calls.
    let inStream = 0;
    for await (const stored of events.readStream(poisoned)) if (stored.type === 'CallLogged') inStream++;
    const doc = await reads.get<Doc & { calls: number }>(runners[0]!.liveCollection('calls'), 'c5-7');
    expect(doc?.calls).toBe(inStream);
    await Promise.all(runners.map((r) => r.stop()));
  });
});
