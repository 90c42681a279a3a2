import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryReadStore, type Doc, type ReadStore } from '@rapport/read-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { findCustomers } from '../analytics/customers.query';
import { getSegments } from '../analytics/segments.query';
import { evolveCustomerValue, type CustomerValueDoc } from '../customer-value/customer-value.projection';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import { DEFAULT_COLLECTIONS } from './collections';
import type { LifecycleHistory } from './lifecycle-rules';
import { ScoringJob } from './scoring-job';
import { fold, purchased, registered } from './test-events';

const dir = mkdtempSync(join(tmpdir(), 'rapport-scoring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const customer = (id: string, purchases: Array<[string, number]>): CustomerValueDoc =>
  fold(evolveCustomerValue, [registered(id, '2024-01-01T00:00:00Z'), ...purchases.map(([at, total]) => purchased(id, at, total))]) as CustomerValueDoc;

async function seed(store: ReadStore): Promise<void> {
  const values = [
    customer('big', [['2024-03-05T00:00:00Z', 900], ['2024-04-05T00:00:00Z', 900], ['2024-05-05T00:00:00Z', 900], ['2024-06-05T00:00:00Z', 900]]),
    customer('mid', [['2024-05-01T00:00:00Z', 200], ['2024-06-20T00:00:00Z', 100]]),
    customer('new', [['2024-06-28T00:00:00Z', 30]]),
    customer('prospect', []),
  ];
  await store.ensureCollection({ name: DEFAULT_COLLECTIONS.customerValue, indexes: [] });
  await store.commit(values.map((doc) => ({ kind: 'upsert' as const, collection: DEFAULT_COLLECTIONS.customerValue, doc, position: 1 })));
}

const stores: Array<[string, () => ReadStore]> = [
  ['memory', () => new MemoryReadStore()],
  ['sqlite', () => new SqliteReadStore({ filename: join(dir, `scoring-${Date.now()}-${Math.random()}.db`) })],
];

describe.each(stores)('ScoringJob on the %s read store', (_label, open) => {
  it('replaces the scored collection whole on each run, keeps stage histories, and the analyst queries follow', async () => {
    const store = open();
    await seed(store);
    const job = new ScoringJob(store);

    const first = await job.run('2024-07-01T00:00:00Z');
    expect(first).toMatchObject({ run: 1, customers: 4, stageChanges: 4 });
    const page1 = await findCustomers(store, { sort: '-netRevenue', limit: 10 });
    expect(page1.items.map((c) => c.id)).toEqual(['big', 'mid', 'new', 'prospect']);
    expect(page1.items[0]).toMatchObject({ recencyDays: 26, tier: 'A', scoredAt: '2024-07-01T00:00:00Z' });

    const second = await job.run('2025-03-01T00:00:00Z');
    expect(second.run).toBe(2);
    const big = await store.get<AnalyticsCustomerDoc>(DEFAULT_COLLECTIONS.analyticsCustomers, 'big');
    expect(big).toMatchObject({ recencyDays: 269, scoredAt: '2025-03-01T00:00:00Z' });
    // Filters and sorts use the rebuilt indexes, and see only the second run.
    const tierA = await findCustomers(store, { tier: 'A', sort: '-netRevenue' });
    expect(tierA.items.map((c) => c.scoredAt)).toEqual(tierA.items.map(() => '2025-03-01T00:00:00Z'));
    expect(await store.count(DEFAULT_COLLECTIONS.analyticsCustomers)).toBe(4);
    expect(await store.count(`${DEFAULT_COLLECTIONS.analyticsCustomers}_build`)).toBe(0);
    // A customer whose stage moved has both transitions.
    const history = await store.get<LifecycleHistory & Doc>(DEFAULT_COLLECTIONS.lifecycleHistory, 'new');
    const scoredNew = await store.get<AnalyticsCustomerDoc>(DEFAULT_COLLECTIONS.analyticsCustomers, 'new');
    expect(scoredNew?.stage).not.toBe('acquisition');
    expect(history?.transitions.map((t) => [t.at, t.to])).toEqual([
      ['2024-07-01T00:00:00Z', 'acquisition'],
      ['2025-03-01T00:00:00Z', scoredNew?.stage],
    ]);
    expect(scoredNew?.stageSince).toBe('2025-03-01T00:00:00Z');
    expect((await getSegments(store))?.scoredAt).toBe('2025-03-01T00:00:00Z');
    await store.close();
  });

  it('runs overlapping calls one after the other', async () => {
    const store = open();
    await seed(store);
    const job = new ScoringJob(store);
    const [a, b] = await Promise.all([job.run('2024-07-01T00:00:00Z'), job.run('2024-08-01T00:00:00Z')]);
    expect([a.run, b.run]).toEqual([1, 2]);
    expect((await store.get<AnalyticsCustomerDoc>(DEFAULT_COLLECTIONS.analyticsCustomers, 'big'))?.scoredAt).toBe('2024-08-01T00:00:00Z');
    expect(await store.count(DEFAULT_COLLECTIONS.analyticsCustomers)).toBe(4);
    await store.close();
  });
});
