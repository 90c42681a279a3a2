import { readCdnowMaster } from '@rapport/testing/fixtures/cdnow-master';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import type { TestEngine } from '../../test/engine-test-app';

/** CDNOW customers taken (ids 1 to this): enough for the BG/NBD fit. */
const CDNOW_CUSTOMERS = 150;

/** The customer whose stream is longer than two history pages. */
export const LONG_STREAM_CUSTOMER = 'c-long';

/** One line of `total`, so the order adds up. */
const amount = (total: number) => ({
  total,
  lines: [{ sku: 'SKU-5', category: 'music', quantity: 1, unitPrice: total }],
});

async function ok(engine: TestEngine, url: string, payload: unknown): Promise<void> {
  const response = await engine.request('agent', { method: 'POST', url, payload: payload as Record<string, unknown> });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
}

/** One customer of the small population: purchases, two surveys, a promise kept or broken, a complaint. */
async function seedCustomer(engine: TestEngine, id: string, n: number): Promise<void> {
  await ok(
    engine,
    '/customers',
    // Customers since 2024: the CLV back-test's default split (39 + 39 weeks) has ended by now.
    registration(id, {
      region: n % 2 ? 'East China' : 'South China',
      city: n % 2 ? 'Shanghai' : 'Shenzhen',
      occurredAt: '2024-06-01T09:00:00.000Z',
    }),
  );
  await ok(
    engine,
    `/customers/${id}/purchases`,
    purchase(`${id}-o1`, 2 + n, { occurredAt: new Date(Date.UTC(2024, 6, 1 + n)).toISOString() }),
  );
  if (n % 2 === 0)
    await ok(
      engine,
      `/customers/${id}/purchases`,
      purchase(`${id}-o2`, 40 + n, {
        total: 80,
        lines: [{ sku: 'SKU-9', category: 'books', quantity: 1, unitPrice: 80 }],
      }),
    );
  await ok(engine, `/customers/${id}/surveys`, {
    surveyId: `${id}-nps`,
    kind: 'nps',
    score: n % 3 === 0 ? 3 : 9,
    comment: n % 3 === 0 ? '太失望了，送货太慢' : 'great service, very fast',
    occurredAt: at(20 + n),
  });
  await ok(engine, `/customers/${id}/surveys`, {
    surveyId: `${id}-csat`,
    kind: 'csat',
    score: n % 3 === 0 ? 2 : 5,
    occurredAt: at(21 + n),
  });
  await seedPromiseAndComplaint(engine, id, n);
}

async function seedPromiseAndComplaint(engine: TestEngine, id: string, n: number): Promise<void> {
  await ok(engine, `/customers/${id}/promises`, {
    promiseId: `${id}-p1`,
    description: 'call back with a refund date',
    dueAt: at(10 + n),
    withinPolicy: true,
    occurredAt: at(5 + n),
  });
  if (n % 2) await ok(engine, `/customers/${id}/promises/${id}-p1/kept`, { occurredAt: at(8 + n) });
  else
    await ok(engine, `/customers/${id}/promises/${id}-p1/broken`, {
      reason: 'stock ran out',
      occurredAt: at(12 + n),
    });
  await ok(engine, `/customers/${id}/complaints`, {
    complaintId: `${id}-k1`,
    category: 'delivery',
    severity: n % 2 ? 'high' : 'low',
    description: 'parcel arrived late',
    occurredAt: at(15 + n),
  });
  if (n % 2) await ok(engine, `/customers/${id}/complaints/${id}-k1/acknowledgement`, { occurredAt: at(15 + n, 11) });
}

/** A long stream: the history pager must reach its newest and its oldest events. Returns its length. */
async function seedLongStream(engine: TestEngine): Promise<number> {
  let events = 8;
  for (let day = 0; events < 130; day += 1, events += 1) {
    await ok(
      engine,
      `/customers/${LONG_STREAM_CUSTOMER}/purchases`,
      purchase(`long-${day}`, 60 + (day % 200), { occurredAt: new Date(Date.UTC(2026, 1, 1, 0, day)).toISOString() }),
    );
  }
  return events;
}

/** Real buyers for the CLV model and its back-test: the first CDNOW customers (first purchases in Q1 1997). */
async function seedCdnowBuyers(engine: TestEngine): Promise<void> {
  const cdnow = readCdnowMaster().filter((p) => Number(p.customerId) <= CDNOW_CUSTOMERS);
  for (const [k, p] of cdnow.entries()) {
    const id = `cdnow-${p.customerId}`;
    if (k === 0 || cdnow[k - 1]!.customerId !== p.customerId)
      await ok(engine, '/customers', registration(id, { region: 'North China', occurredAt: p.at }));
    await ok(
      engine,
      `/customers/${id}/purchases`,
      purchase(`${id}-${k}`, 2, { occurredAt: p.at, ...amount(p.amount) }),
    );
  }
}

/**
 * A small population with every kind of touchpoint the console shows (purchases, a refund, promises,
 * surveys with comments, complaints), one customer with 130 events, and a scoring run.
 */
export async function seedConsoleData(
  engine: TestEngine,
): Promise<{ longStreamEvents: number; scored: string | null }> {
  const ids = ['c-1', 'c-2', 'c-3', 'c-4', LONG_STREAM_CUSTOMER];
  for (const [n, id] of ids.entries()) await seedCustomer(engine, id, n);
  await ok(engine, `/customers/c-1/purchases/c-1-o1/refunds`, {
    refundId: 'r-1',
    amount: 5,
    currency: 'CNY',
    reason: 'damaged',
    occurredAt: at(30),
  });
  const events = await seedLongStream(engine);
  await seedCdnowBuyers(engine);
  const run = await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
  return { longStreamEvents: events, scored: run.statusCode < 300 ? null : `${run.statusCode} ${run.body}` };
}
