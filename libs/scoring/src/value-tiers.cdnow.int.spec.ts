// CDNOW (23,570 customers, 69,659 purchases) through the customer-value projection into a SQLite read
// store, scored by the job, and checked against figures computed independently here, in integer cents.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { readCdnowMaster } from '@rapport/testing/fixtures/cdnow-master';
import { findCustomers } from '@rapport/analytics/customers.query';
import {
  customerValueProjection,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import { ScoringJob } from './scoring-job';
import { collectionsOfRun } from './scoring-runs.query';
import { purchased, registered } from '@rapport/testing';
import { scoringRequest } from './scoring-request.fixture';

/** CDNOW's purchases with their amounts in integer cents, for exact sums. */
const readCdnow = () =>
  readCdnowMaster().map(({ customerId, at, amount }) => ({ customerId, at, cents: Math.round(amount * 100) }));

describe('customer-value and its 80/20 tiers on CDNOW (SQLite read store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-cdnow-'));
  const store = new SqliteReadStore({ filename: join(dir, 'read.db') });
  const rows = readCdnow();
  let scored = '';
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    // Registration at the first purchase (the cohort joined in Q1 1997), then every purchase in file order.
    const docs = new Map<string, CustomerValueDoc | null>();
    const apply = (event: ProjectedEvent) =>
      docs.set(event.data.customerId, customerValueProjection.evolve(docs.get(event.data.customerId) ?? null, event));
    rows.forEach((row, i) => {
      if (!docs.has(row.customerId)) apply(registered(row.customerId, row.at, { acquisitionCost: 0, region: 'US' }));
      apply(purchased(row.customerId, row.at, row.cents / 100, `${row.customerId}-${i}`));
    });
    await store.ensureCollection({ name: customerValueProjection.name, indexes: customerValueProjection.indexes });
    await store.commit(
      [...docs.values()].map((doc) => ({
        kind: 'upsert' as const,
        collection: customerValueProjection.name,
        doc: doc as CustomerValueDoc,
        position: rows.length,
      })),
    );
    scored = (await new ScoringJob(store).run(scoringRequest('1998-07-01T00:00:00.000Z'))).customers as string;
  }, 60_000);

  it('has every customer with the independently computed order count and revenue', async () => {
    const expected = new Map<string, { orders: number; cents: number }>();
    for (const row of rows) {
      const e = expected.get(row.customerId) ?? { orders: 0, cents: 0 };
      e.orders += 1;
      e.cents += row.cents;
      expected.set(row.customerId, e);
    }
    expect(rows).toHaveLength(69_659);
    expect(expected.size).toBe(23_570);
    let seen = 0;
    let totalCents = 0;
    for await (const doc of store.scan<CustomerValueDoc>(customerValueProjection.name, 5000)) {
      const e = expected.get(doc.id);
      if (Math.round(doc.netRevenue * 100) !== e?.cents || doc.orders !== e.orders)
        throw new Error(`customer ${doc.id}: ${doc.orders}/${doc.netRevenue} vs ${e?.orders}/${e?.cents}`);
      totalCents += Math.round(doc.netRevenue * 100);
      seen += 1;
    }
    expect(seen).toBe(23_570);
    expect(totalCents).toBe(rows.reduce((sum, r) => sum + r.cents, 0));
  });

  it('places the 80/20 tier boundaries where the cumulative revenue crosses 80% and 95%', async () => {
    const byCustomer = new Map<string, number>();
    for (const row of rows) byCustomer.set(row.customerId, (byCustomer.get(row.customerId) ?? 0) + row.cents);
    const ranked = [...byCustomer.entries()]
      .filter(([, c]) => c > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const total = ranked.reduce((s, [, c]) => s + c, 0);
    const expectedTier = new Map<string, string>();
    let before = 0;
    for (const [id, cents] of ranked) {
      expectedTier.set(id, before * 100 < 80 * total ? 'A' : before * 100 < 95 * total ? 'B' : 'C');
      before += cents;
    }
    const counts = { A: 0, B: 0, C: 0 } as Record<string, number>;
    let mismatches = 0;
    for await (const doc of store.scan<AnalyticsCustomerDoc>(scored, 5000)) {
      counts[doc.tier] = (counts[doc.tier] ?? 0) + 1;
      if ((expectedTier.get(doc.id) ?? 'C') !== doc.tier) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    const expectedA = [...expectedTier.values()].filter((t) => t === 'A').length;
    expect(counts.A).toBe(expectedA);
    // The Pareto shape of CDNOW: far fewer than half the customers make 80% of revenue.
    expect(expectedA / 23_570).toBeGreaterThan(0.2);
    expect(expectedA / 23_570).toBeLessThan(0.45);
    const lowestA = (
      await findCustomers(store, { tier: 'A', sort: 'netRevenue', limit: 1 }, await collectionsOfRun(store))
    ).items[0];
    const highestB = (
      await findCustomers(store, { tier: 'B', sort: '-netRevenue', limit: 1 }, await collectionsOfRun(store))
    ).items[0];
    expect(lowestA?.netRevenue).toBeGreaterThanOrEqual(highestB?.netRevenue ?? Infinity);
  });

  it('scores every customer at the end of the data: recency, RFM and a lifecycle stage', async () => {
    const page = await findCustomers(
      store,
      { stage: 'maturity', sort: '-netRevenue', limit: 5 },
      await collectionsOfRun(store),
    );
    expect(page.items).toHaveLength(5);
    for (const c of page.items)
      expect(c).toMatchObject({ tier: 'A', rScore: expect.any(Number), segment: expect.any(String) });
    const departed = await store.count(scored, { field: 'stage', eq: 'departure' });
    expect(departed).toBeGreaterThan(10_000); // most of the cohort bought once in early 1997
  });
});
