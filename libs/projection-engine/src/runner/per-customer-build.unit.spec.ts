import { MemoryEventStore, type EventStore } from '@rapport/event-store';
import { LeaseFencedError, MemoryReadStore, type AppliedDoc, type Doc } from '@rapport/read-store';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import type { Projection } from '../projection';
import { fencedReadStore } from './fenced-read-store';
import { makeEvent, passThroughDecoder, seedHistory } from '../testing/history';
import { buildPerCustomer, progressKeyOf, type PerCustomerProgress } from './per-customer-build';
import { ProjectionRunner } from './projection-runner';
import { partitionCheckpoints } from './projection-units';
import type { TrackContext } from './projection-track';
import { silentLogger, type ProjectionRunnerOptions } from './runner-options';

const projection: Projection = customerProfileProjection;
const NAME = projection.name;

/** A real in-memory read store that counts the documents read back (a build re-reading what it evicted). */
class CountingReadStore extends MemoryReadStore {
  readBack = 0;
  override async getManyApplied<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, AppliedDoc<T>>> {
    const found = await super.getManyApplied<T>(collection, ids);
    this.readBack += found.size;
    return found;
  }
}

async function allDocs(store: MemoryReadStore, collection: string): Promise<Doc[]> {
  const docs: Doc[] = [];
  for await (const doc of store.scan(collection)) docs.push(doc);
  return docs.sort((a, b) => a.id.localeCompare(b.id));
}

interface Built {
  docs: Doc[];
  reads: CountingReadStore;
  /** Checkpoints reported while the build ran: a per-customer build reports 0 until its last commit. */
  positions: number[];
  warnings: string[];
}

async function rebuild(events: EventStore, options: Partial<ProjectionRunnerOptions> = {}): Promise<Built> {
  const reads = new CountingReadStore();
  const positions: number[] = [];
  const warnings: string[] = [];
  const runner = new ProjectionRunner({
    eventStore: events,
    readStore: reads,
    decoder: passThroughDecoder,
    projections: [projection],
    batchSize: 16,
    onProgress: (p) => positions.push(p.position),
    logger: { ...silentLogger, warn: (message) => warnings.push(message) },
    ...options,
  });
  await runner.rebuild(NAME);
  return { docs: await allDocs(reads, runner.liveCollection(NAME)), reads, positions, warnings };
}

const contextOf = (events: EventStore, reads: MemoryReadStore, maxCachedDocs: number): TrackContext => ({
  eventStore: events,
  readStore: reads,
  decoder: passThroughDecoder,
  batchSize: 16,
  shadowFlushEvents: 1_000_000,
  rebuild: { maxCachedDocs, perCustomer: true },
  retry: { attempts: 1, baseDelayMs: 1 },
  clock: Date.now,
  logger: silentLogger,
  onParked: () => undefined,
});

const call = (customerId: string, callId: string) =>
  makeEvent(
    'CallLogged',
    { customerId, callId, direction: 'inbound', durationSeconds: 5, agentId: 'a', topic: 't', outcome: 'resolved' },
    new Date(Date.UTC(2024, 5, 1)),
    'phone',
  );

describe('rebuild with fewer cached documents than customers', () => {
  let events: MemoryEventStore;
  beforeEach(async () => {
    events = new MemoryEventStore();
    // 60 customers whose events interleave: every batch in global order touches many customers.
    await seedHistory(events, 60, 12, 3, 2);
  });
  afterEach(() => events.close());

  it('given a cache of 7 documents, when rebuilt customer by customer and in global order, then both equal a full-cache build', async () => {
    const full = await rebuild(events, { rebuild: { perCustomer: false, maxCachedDocs: 1_000_000 } });
    expect(full.docs).toHaveLength(60);
    expect(full.reads.readBack).toBe(0);

    const global = await rebuild(events, { rebuild: { perCustomer: false, maxCachedDocs: 7 } });
    // The eviction path ran: documents written, forgotten, read back when touched again.
    expect(global.reads.readBack).toBeGreaterThan(60);
    expect(global.docs).toEqual(full.docs);

    const perCustomer = await rebuild(events, { rebuild: { maxCachedDocs: 7 } });
    // Each document completed once and written once: nothing read back, checkpoint 0 until the end.
    expect(perCustomer.reads.readBack).toBe(0);
    expect(perCustomer.positions.filter((p) => p === 0).length).toBeGreaterThan(5);
    expect(perCustomer.docs).toEqual(full.docs);
  });

  it('given a build asked to stop after 20 customers, when run again, then it resumes after the last stream committed, up to the first head', async () => {
    const reads = new MemoryReadStore();
    const collection = 'customer-profile_v1_r1';
    await reads.ensureCollection({ name: collection, indexes: projection.indexes, deferIndexes: true });
    const ctx = contextOf(events, reads, 7);
    const head = await events.headPosition();
    let streamsEnded = 0;
    const progressed = (): void => undefined;
    const stopped = (): boolean => ++streamsEnded >= 20;
    expect(await buildPerCustomer(ctx, projection, collection, { stopped, progressed })).toBe(null);
    const progress = await reads.getMeta<PerCustomerProgress>(progressKeyOf(collection));
    expect(progress?.head).toBe(head);
    expect(progress?.afterStream).toMatch(/^customer-c3-/);
    // Commits of 7 documents, then what was complete when asked to stop: 20 customers, one document each.
    expect(await reads.count(collection)).toBe(20);
    expect(await reads.getCheckpoint(collection)).toBe(0);

    // Appended after the first head: left for the global-order catch-up that follows the build.
    await events.appendToStream('customer-c3-0', [call('c3-0', 'late')]);
    expect(await buildPerCustomer(ctx, projection, collection, { stopped: () => false, progressed })).toBe(head);
    expect(await reads.getCheckpoint(collection)).toBe(head);
    expect(await reads.getMeta(progressKeyOf(collection))).toBeNull();

    const reference = new MemoryEventStore();
    for await (const stored of events.readAll({ maxCount: head }))
      await reference.appendToStream(stored.streamId, [
        { type: stored.type, data: stored.data, metadata: { ...stored.metadata } },
      ]);
    expect(await allDocs(reads, collection)).toEqual(
      (await rebuild(reference, { rebuild: { perCustomer: false } })).docs,
    );
  });

  it('given two shares of the customers built side by side, when both return, then together they equal a full build', async () => {
    const reads = new MemoryReadStore();
    const collection = 'customer-profile_v1_r1';
    await reads.ensureCollection({ name: collection, indexes: projection.indexes, deferIndexes: true });
    const head = await events.headPosition();
    const ctx = contextOf(events, reads, 7);
    const hooks = { stopped: () => false, progressed: (): void => undefined };
    const results = await Promise.all(
      [0, 1].map((index) =>
        buildPerCustomer(ctx, projection, collection, hooks, { partition: { count: 2, index }, head }),
      ),
    );
    expect(results).toEqual([head, head]);
    // Each share's checkpoint is its partition's own; the collection's is left to the runner's partitions.
    expect(await partitionCheckpoints(reads, collection, 2)).toEqual([head, head]);
    expect(await reads.getCheckpoint(collection)).toBeNull();
    const docs = await allDocs(reads, collection);
    expect(docs).toEqual((await rebuild(events, { rebuild: { perCustomer: false } })).docs);
  });

  it("given the lease passed to another worker, when the stale owner builds, then its progress record is refused and the successor's stands", async () => {
    const reads = new MemoryReadStore();
    const collection = 'customer-profile_v1_r1';
    const lease = 'projection:customer-profile';
    await reads.ensureCollection({ name: collection, indexes: projection.indexes, deferIndexes: true });
    const stale = await reads.acquireLease(lease, 'worker-a', 1_000, 0);
    const successor = await reads.acquireLease(lease, 'worker-b', 1_000, 5_000);
    const hooks = { stopped: () => false, progressed: (): void => undefined };
    const theirs = { head: 7, afterStream: 'customer-c3-1' };
    await reads.setMeta(progressKeyOf(collection), theirs, { lease, token: successor!.token });

    const ctx = { ...contextOf(events, reads, 7), readStore: fencedReadStore(reads, { lease, token: stale!.token }) };
    await expect(buildPerCustomer(ctx, projection, collection, hooks)).rejects.toBeInstanceOf(LeaseFencedError);
    expect(await reads.getMeta(progressKeyOf(collection))).toEqual(theirs);
    expect(await reads.count(collection)).toBe(0);
  });

  it('given an event outside its customer stream, when rebuilt, then the build falls back to global order and equals it', async () => {
    await events.appendToStream('customer-elsewhere', [call('c3-4', 'misfiled')]);
    const perCustomer = await rebuild(events, { rebuild: { maxCachedDocs: 7 } });
    expect(perCustomer.warnings.join('\n')).toMatch(/names customer c3-4; rebuilding in global order/);
    const global = await rebuild(events, { rebuild: { perCustomer: false } });
    expect(perCustomer.docs).toEqual(global.docs);
  });
});
