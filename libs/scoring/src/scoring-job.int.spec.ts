import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import { MemoryReadStore, type Doc, type ReadStore } from '@rapport/read-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { findCustomers } from '@rapport/analytics/customers.query';
import { getSegments } from '@rapport/analytics/segments.query';
import { customerValueProjection } from '@rapport/projections/customer-value/customer-value.projection';
import { promiseFulfilmentProjection } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { sentimentTimelineProjection } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import { ScoringJob } from './scoring-job';
import { ScoringRunRefused } from './scoring-run-refused';
import type { ScoringPartWorker } from './scoring-part';
import { collectionsOfRun, listRuns, selectRun } from './scoring-runs.query';
import { SCORING_RUNS_COLLECTION } from './scoring-run';
import { purchased, registered, customerHistory } from '@rapport/testing';
import { scoringRequest } from './scoring-request.fixture';

const dir = mkdtempSync(join(tmpdir(), 'rapport-scoring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROJECTIONS: Projection[] = [customerValueProjection, promiseFulfilmentProjection, sentimentTimelineProjection];
const HOUR = 3_600_000;

/** Projects events into the store the way the runner would: each projection's evolve per document, then commit. */
async function project(store: ReadStore, events: readonly ProjectedEvent[]): Promise<void> {
  for (const projection of PROJECTIONS) {
    await store.ensureCollection({ name: projection.name, indexes: [] });
    const docs = new Map<string, Doc | null>();
    for (const event of events) {
      if (!projection.handles.includes(event.type)) continue;
      const id = event.data.customerId;
      docs.set(id, projection.evolve(docs.get(id) ?? null, event));
    }
    const changes = [...docs.values()].flatMap((doc) =>
      doc ? [{ kind: 'upsert' as const, collection: projection.name, doc, position: 1 }] : [],
    );
    if (changes.length > 0) await store.commit(changes);
  }
}

const stores: Array<[string, () => ReadStore]> = [
  ['memory', () => new MemoryReadStore()],
  ['sqlite', () => new SqliteReadStore({ filename: join(dir, `scoring-${Date.now()}-${Math.random()}.db`) })],
];

async function scoredCustomers(store: ReadStore, run: { customers: string | null }): Promise<AnalyticsCustomerDoc[]> {
  const docs: AnalyticsCustomerDoc[] = [];
  for await (const doc of store.scan<AnalyticsCustomerDoc>(run.customers as string)) docs.push(doc);
  return docs;
}

/** Twelve customers' touchpoints over 400 days, each recorded up to ~80 days after it occurred. */
const population = fc
  .array(
    fc.tuple(customerHistory('x', 40), fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 40, maxLength: 40 })),
    { minLength: 12, maxLength: 12 },
  )
  .map((customers) =>
    customers.flatMap(([events, lags], c) =>
      events.map(
        (event, i) =>
          ({
            ...event,
            data: { ...event.data, customerId: `c${c}` },
            metadata: {
              ...event.metadata,
              recordedAt: new Date(Date.parse(event.metadata.occurredAt) + (lags[i] as number) * HOUR).toISOString(),
            },
          }) as ProjectedEvent,
      ),
    ),
  );

describe.each(stores)('ScoringJob on the %s read store', (_label, open) => {
  it('as of T and known at K, scores exactly what a store holding only the events of then would score', async () => {
    const [events] = fc.sample(population, { numRuns: 1, seed: 42 });
    const T = '2024-08-15T00:00:00.000Z';
    const K = '2024-10-01T00:00:00.000Z';
    const NOW = '2025-06-01T00:00:00.000Z';
    const full = open();
    const cut = open();
    await project(full, events as ProjectedEvent[]);
    await project(
      cut,
      (events as ProjectedEvent[]).filter((e) => e.metadata.occurredAt <= T && e.metadata.recordedAt <= K),
    );
    const onFull = await new ScoringJob(full).run({ ...scoringRequest(T, NOW), knownAt: K });
    const onCut = await new ScoringJob(cut).run({ ...scoringRequest(T, NOW), knownAt: K });
    expect(onFull.population).toEqual(onCut.population);
    expect(onFull.segments).toEqual(onCut.segments);
    expect(onFull.agents).toEqual(onCut.agents);
    const scored = await scoredCustomers(full, onFull);
    expect(scored.length).toBeGreaterThan(0);
    expect(scored).toEqual(await scoredCustomers(cut, onCut));
    // Nobody whose first touchpoint came later is scored.
    const firstSeen = new Map<string, string>();
    for (const e of events as ProjectedEvent[])
      if (e.metadata.occurredAt <= T && e.metadata.recordedAt <= K)
        firstSeen.set(e.data.customerId, e.metadata.occurredAt);
    expect(scored.every((doc) => firstSeen.has(doc.id))).toBe(true);
    await full.close();
    await cut.close();
  });

  it('keeps every run as a record; the current answers come from the latest as-of, whatever order runs ran in', async () => {
    const store = open();
    await project(store, [
      registered('big', '2024-01-01T00:00:00Z'),
      ...['2024-03-05', '2024-04-05', '2024-05-05', '2024-06-05'].map((day) =>
        purchased('big', `${day}T00:00:00Z`, 900),
      ),
      registered('new', '2024-06-20T00:00:00Z'),
      purchased('new', '2024-06-28T00:00:00Z', 30),
    ]);
    const job = new ScoringJob(store);
    const now = '2025-06-01T00:00:00.000Z';
    const later = await job.run(scoringRequest('2025-03-01T00:00:00Z', now));
    const earlier = await job.run(scoringRequest('2024-07-01T00:00:00Z', now, 'on-demand'));
    expect([later.id, earlier.id]).toEqual(['run-000001', 'run-000002']);
    expect(earlier).toMatchObject({
      trigger: 'on-demand',
      ranBy: { role: 'analyst' },
      knownAt: now,
      status: 'succeeded',
    });

    // The later as-of stays current although it ran first; the earlier run is kept beside it.
    expect((await selectRun(store))?.id).toBe(later.id);
    expect((await selectRun(store, { asOf: '2024-12-31T00:00:00Z' }))?.id).toBe(earlier.id);
    const current = await findCustomers(store, { sort: '-netRevenue' }, await collectionsOfRun(store));
    expect(current.items.map((c) => [c.id, c.scoredAt])).toEqual([
      ['big', '2025-03-01T00:00:00.000Z'],
      ['new', '2025-03-01T00:00:00.000Z'],
    ]);
    const byDate = await findCustomers(store, {}, await collectionsOfRun(store, { asOf: '2024-12-31T00:00:00Z' }));
    expect(byDate.items.find((c) => c.id === 'big')).toMatchObject({
      recencyDays: 26,
      scoredAt: '2024-07-01T00:00:00.000Z',
    });
    expect((await getSegments(store, { run: earlier.id }))?.scoredAt).toBe('2024-07-01T00:00:00.000Z');

    // Run in the other order on another store: the same scores and the same stage histories.
    const other = open();
    await project(other, []);
    for await (const doc of store.scan(customerValueProjection.name))
      await other.commit([{ kind: 'upsert', collection: customerValueProjection.name, doc, position: 1 }]);
    const otherJob = new ScoringJob(other);
    const earlier2 = await otherJob.run(scoringRequest('2024-07-01T00:00:00Z', now, 'on-demand'));
    const later2 = await otherJob.run(scoringRequest('2025-03-01T00:00:00Z', now));
    expect(await scoredCustomers(other, later2)).toEqual(await scoredCustomers(store, later));
    expect(await scoredCustomers(other, earlier2)).toEqual(await scoredCustomers(store, earlier));
    await store.close();
    await other.close();
  });

  it('refuses an as-of before the first event or in the future, and stores no run', async () => {
    const store = open();
    // The earliest event is a purchase recorded after the registration but dated before it.
    await project(store, [registered('c1', '2024-01-01T00:00:00Z'), purchased('c1', '2023-12-20T00:00:00Z', 10)]);
    const job = new ScoringJob(store);
    await expect(job.run(scoringRequest('1990-01-01T00:00:00Z', '2025-01-01T00:00:00Z'))).rejects.toMatchObject({
      name: ScoringRunRefused.name,
      field: 'asOf',
      message: expect.stringContaining('before the first event (2023-12-20T00:00:00Z)'),
    });
    await expect(job.run(scoringRequest('2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z'))).rejects.toMatchObject({
      field: 'asOf',
    });
    await expect(
      job.run({ ...scoringRequest('2024-06-01T00:00:00Z', '2025-01-01T00:00:00Z'), knownAt: '2025-02-01T00:00:00Z' }),
    ).rejects.toMatchObject({
      field: 'knownAt',
    });
    expect(await listRuns(store)).toEqual([]);
    await store.close();
  });

  it('drops the customers of old scheduled runs, never those of on-demand runs, and keeps every record', async () => {
    const store = open();
    await project(store, [registered('c1', '2024-01-01T00:00:00Z'), purchased('c1', '2024-02-01T00:00:00Z', 10)]);
    const job = new ScoringJob(store, { keepScheduledRuns: 2 });
    const historical = await job.run(scoringRequest('2024-03-01T00:00:00Z', '2025-01-01T00:00:00Z', 'on-demand'));
    for (const day of ['01', '02', '03', '04'])
      await job.run(scoringRequest(`2024-12-${day}T00:00:00Z`, `2024-12-${day}T00:00:00Z`));
    const runs = await listRuns(store);
    expect(runs).toHaveLength(5);
    expect(runs.map((r) => [r.id, r.customers !== null])).toEqual([
      ['run-000005', true],
      ['run-000004', true],
      ['run-000003', false],
      ['run-000002', false],
      [historical.id, true],
    ]);
    expect(await store.count(historical.customers as string)).toBe(1);
    await store.close();
  });

  it('marks failed a run left running by an engine that lost its lease mid-run, once it is over an hour old', async () => {
    const store = open();
    await project(store, [registered('c1', '2024-01-01T00:00:00Z'), purchased('c1', '2024-02-01T00:00:00Z', 10)]);
    // The lease is lost right after the run's start record: every later write is refused, its failure too.
    let fenced = false;
    const refuseOnceFenced =
      <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        fenced ? Promise.reject(new Error('lease lost: write refused')) : write(...args);
    const fencedStore: ReadStore = Object.assign(Object.create(store) as ReadStore, {
      commit: async (changes: Parameters<ReadStore['commit']>[0]) => {
        await refuseOnceFenced(store.commit.bind(store))(changes);
        fenced ||= changes.some((c) => c.kind === 'upsert' && c.collection === SCORING_RUNS_COLLECTION);
      },
      bulkLoad: refuseOnceFenced(store.bulkLoad.bind(store)),
      dropCollection: refuseOnceFenced(store.dropCollection.bind(store)),
      setMeta: refuseOnceFenced(store.setMeta.bind(store)),
    });
    const lost = new ScoringJob(fencedStore).run(scoringRequest('2024-03-01T00:00:00Z', '2025-01-01T00:00:00Z'));
    await expect(lost).rejects.toThrow(/lease lost/);
    expect((await listRuns(store)).map((run) => run.status)).toEqual(['running']);

    // Ten minutes later it may still be running in another engine: left alone.
    const job = new ScoringJob(store);
    await job.run(scoringRequest('2024-03-01T00:00:00Z', '2025-01-01T00:10:00Z'));
    expect((await listRuns(store)).map((run) => run.status)).toEqual(['succeeded', 'running']);
    // Two hours later it is failed, its record kept, and the current answers are untouched.
    const later = await job.run(scoringRequest('2024-03-01T00:00:00Z', '2025-01-01T02:00:00Z'));
    const runs = await listRuns(store);
    expect(runs.map((run) => [run.status, run.customers === null])).toEqual([
      ['succeeded', false],
      ['succeeded', false],
      ['failed', true],
    ]);
    expect(runs[2]?.error).toMatch(/^interrupted: still marked running at 2025-01-01T02:00:00.000Z/);
    expect((await selectRun(store))?.id).toBe(later.id);
    await store.close();
  });

  it('fails a run whose part worker fails, keeping no customers, and stops the worker', async () => {
    const store = open();
    await project(store, [
      registered('c1', '2024-01-01T00:00:00Z'),
      purchased('c1', '2024-02-01T00:00:00Z', 10),
      registered('c2', '2024-01-05T00:00:00Z'),
      purchased('c2', '2024-02-03T00:00:00Z', 20),
    ]);
    let stopped = 0;
    const failing: ScoringPartWorker = {
      read: () => Promise.reject(new Error('the part could not read')),
      score: () => Promise.reject(new Error('the part could not score')),
      stop: async () => void (stopped += 1),
    };
    const job = new ScoringJob(store, { scoringPart: () => failing, partFrom: 1 });
    await expect(job.run(scoringRequest('2024-03-01T00:00:00Z', '2025-01-01T00:00:00Z'))).rejects.toThrow(
      /the part could not (read|score)/,
    );
    expect(stopped).toBe(1);
    const runs = await listRuns(store);
    expect(runs.map((run) => [run.status, run.customers])).toEqual(runs.length === 0 ? [] : [['failed', null]]);
    await store.close();
  });
});
