import { MemoryReadStore, type Doc, type ReadStore } from '@rapport/read-store';
import { evolveCustomerValue } from '@rapport/projections/customer-value/customer-value.projection';
import { evolveLifecycleFacts } from '@rapport/projections/lifecycle-facts/lifecycle-facts.projection';
import { lifecycleOf } from '@rapport/projections/lifecycle-facts/lifecycle-facts.query';
import { evolvePromiseFulfilment } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { sentimentTimelineProjection } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { ScoringJob } from '@rapport/scoring/scoring-job';
import { DEFAULT_COLLECTIONS } from '@rapport/scoring/collections';
import { collectionsOfRun, runStageHistory } from '@rapport/scoring/scoring-runs.query';
import { projected, purchased, registered } from '@rapport/testing';
import { scoringRequest } from '@rapport/scoring/scoring-request.fixture';
import { AnalystQueryError } from '@rapport/projection-engine';
import { customerValueOf } from './customer-value.query';
import { customersCsv } from './customers-csv';
import { findCustomers, parseCustomerQuery } from './customers.query';
import { getPromisesByAgent, getSegments } from './segments.query';
import { getSentimentOverview } from './sentiment.query';

/** Projects events into the store the way the engine would: evolve per document, commit. */
async function project(store: ReadStore, events: ProjectedEvent[]): Promise<void> {
  const models: Array<[string, (doc: Doc | null, e: ProjectedEvent) => Doc | null, readonly string[]]> = [
    ['customer-value', evolveCustomerValue as never, ['CustomerRegistered', 'PurchaseRecorded', 'PurchaseRefunded']],
    ['lifecycle-stage', evolveLifecycleFacts as never, ['CustomerRegistered', 'PurchaseRecorded']],
    ['promise-fulfilment', evolvePromiseFulfilment as never, ['PromiseMade', 'PromiseKept', 'PromiseBroken']],
    ['sentiment-timeline', sentimentTimelineProjection.evolve as never, sentimentTimelineProjection.handles],
  ];
  for (const [collection, evolve, handles] of models) {
    const docs = new Map<string, Doc | null>();
    for (const e of events.filter((ev) => handles.includes(ev.type))) {
      const id = e.data.customerId;
      docs.set(id, evolve(docs.get(id) ?? (await store.get(collection, id)), e));
    }
    await store.commit(
      [...docs.values()].flatMap((doc) =>
        doc ? [{ kind: 'upsert' as const, collection, doc, position: 1_000_000 }] : [],
      ),
    );
  }
}

const monthly = (id: string, months: number, amount: number, startMonth = 0) =>
  Array.from({ length: months }, (_, i) =>
    purchased(id, new Date(Date.UTC(2024, startMonth + i, 3)).toISOString(), amount, `${id}-o${i}`),
  );

async function seeded(): Promise<MemoryReadStore> {
  const store = new MemoryReadStore();
  await project(store, [
    registered('c-champ', '2023-12-01T00:00:00Z', { region: 'East' }),
    ...monthly('c-champ', 6, 400),
    registered('c-grow', '2024-03-01T00:00:00Z', { region: 'West' }),
    ...monthly('c-grow', 2, 100, 4),
    registered('c-gone', '2023-01-01T00:00:00Z', { region: 'West' }),
    purchased('c-gone', '2023-01-05T00:00:00Z', 90),
    registered('c-new', '2024-06-25T00:00:00Z', { region: 'East' }),
    purchased('c-new', '2024-06-26T00:00:00Z', 20),
    registered('c-pros', '2024-06-01T00:00:00Z', { region: 'North' }),
    projected('PromiseMade', '2024-06-20T00:00:00Z', {
      customerId: 'c-grow',
      promiseId: 'p1',
      description: 'enc',
      dueAt: '2024-06-25T00:00:00Z',
      madeBy: 'agent-7',
      withinPolicy: true,
    }),
    projected('PromiseMade', '2024-06-20T00:00:00Z', {
      customerId: 'c-champ',
      promiseId: 'p2',
      description: 'enc',
      dueAt: '2024-06-22T00:00:00Z',
      madeBy: 'agent-7',
      withinPolicy: true,
    }),
    projected('PromiseKept', '2024-06-21T00:00:00Z', { customerId: 'c-champ', promiseId: 'p2', keptBy: 'agent-7' }),
  ]);
  // c-grow answered a promoter's score, then a detractor's: its rolling sentiment dropped.
  await project(store, [
    projected('SurveyResponded', '2024-06-01T00:00:00Z', {
      customerId: 'c-grow',
      surveyId: 's1',
      kind: 'nps',
      score: 10,
    }),
    projected('SurveyResponded', '2024-06-10T00:00:00Z', {
      customerId: 'c-grow',
      surveyId: 's2',
      kind: 'nps',
      score: 0,
    }),
  ]);
  return store;
}

const NOW = '2024-07-01T00:00:00Z';

describe('ScoringJob over the read store (fixed clock)', () => {
  it('writes one scored document per customer, with stage history, segments and agent rates', async () => {
    const store = await seeded();
    const summary = await new ScoringJob(store).run(scoringRequest(NOW));
    expect(summary).toMatchObject({
      run: 1,
      id: 'run-000001',
      asOf: '2024-07-01T00:00:00.000Z',
      status: 'succeeded',
      population: { customers: 5, buyers: 4 },
    });
    const current = summary.customers as string;
    const champ = await store.get(current, 'c-champ');
    expect(champ).toMatchObject({
      stage: 'maturity',
      tier: 'A',
      netRevenue: 2400,
      recencyDays: 28,
      region: 'East',
      scoredAt: '2024-07-01T00:00:00.000Z',
      sentimentDrop: false,
    });
    expect(await store.get(current, 'c-grow')).toMatchObject({
      stage: 'growth',
      sentimentDrop: true,
      sentimentMean: 0,
      promisesOverdue: 1,
    });
    expect(await store.get(current, 'c-gone')).toMatchObject({ stage: 'departure' });
    expect(await store.get(current, 'c-pros')).toMatchObject({ stage: 'prospect', segment: null });

    expect(await getSegments(store)).toMatchObject({
      customers: 5,
      byStageTier: { maturity: { A: { customers: 1, netRevenue: 2400 } } },
    });
    expect((await getPromisesByAgent(store))?.agents).toEqual([
      expect.objectContaining({ agentId: 'agent-7', made: 2, keptOnTime: 1, currentlyOverdue: 1, keptOnTimeRate: 1 }),
    ]);
  });

  it('same data and same time give the same scores; a later run records stage transitions with date and reason', async () => {
    const store = await seeded();
    const job = new ScoringJob(store);
    await job.run(scoringRequest(NOW));
    const first = (await findCustomers(store, { limit: 10 }, await collectionsOfRun(store))).items;
    await job.run(scoringRequest(NOW));
    expect((await findCustomers(store, { limit: 10 }, await collectionsOfRun(store))).items).toEqual(first);

    const later = '2025-01-15T00:00:00Z';
    const summary = await job.run(scoringRequest(later));
    expect(summary.run).toBe(3);
    const history = await runStageHistory(store, summary, 'c-new');
    const lifecycle = await lifecycleOf(
      { store, collection: DEFAULT_COLLECTIONS.lifecycleStage },
      { customerId: 'c-new', history },
    );
    // Dated in business time: registration, the first purchase, and the day the gap crossed 2 × 90 days,
    // not the runs that noticed.
    expect(lifecycle).toMatchObject({ stage: 'decline', stageSince: '2024-12-24T00:00:00.000Z', orders: 1 });
    expect(lifecycle?.stageReason).toBe('203 days since last purchase = 2.26 × typical interval 90 days > 2');
    expect(lifecycle?.transitions.map(({ at, from, to }) => [at, from, to])).toEqual([
      ['2024-06-25T00:00:00.000Z', null, 'prospect'],
      ['2024-06-26T00:00:00.000Z', 'prospect', 'acquisition'],
      ['2024-12-24T00:00:00.000Z', 'acquisition', 'decline'],
    ]);
    const { analyticsCustomers: scoredIn = DEFAULT_COLLECTIONS.analyticsCustomers } = await collectionsOfRun(store);
    const value = await customerValueOf(
      { store, collection: DEFAULT_COLLECTIONS.customerValue },
      { customerId: 'c-new', scoredIn },
    );
    expect(value).toMatchObject({ orders: 1, netRevenue: 20, scores: { recencyDays: 203, stage: 'decline' } });
  });
});

describe('analyst queries', () => {
  let store: MemoryReadStore;
  beforeAll(async () => {
    store = await seeded();
    await new ScoringJob(store).run(scoringRequest(NOW));
  });

  it('filters on stage, tier, region, value ranges and sentiment drop, sorted', async () => {
    expect(
      (await findCustomers(store, { region: 'West', sort: '-netRevenue' }, await collectionsOfRun(store))).items.map(
        (c) => c.id,
      ),
    ).toEqual(['c-grow', 'c-gone']);
    expect(
      (
        await findCustomers(store, { stage: 'maturity,growth', sort: 'netRevenue' }, await collectionsOfRun(store))
      ).items.map((c) => c.id),
    ).toEqual(['c-grow', 'c-champ']);
    expect(
      (
        await findCustomers(store, { netRevenueMin: '50', netRevenueMax: 500 }, await collectionsOfRun(store))
      ).items.map((c) => c.id),
    ).toEqual(['c-grow', 'c-gone']);
    expect(
      (await findCustomers(store, { sentimentDrop: 'true' }, await collectionsOfRun(store))).items.map((c) => c.id),
    ).toEqual(['c-grow']);
    expect((await findCustomers(store, { tier: 'A' }, await collectionsOfRun(store))).items.map((c) => c.id)).toEqual([
      'c-champ',
    ]);
    expect(
      (
        await findCustomers(
          store,
          { segment: ['Champions', 'Lost', 'Hibernating', 'New'] },
          await collectionsOfRun(store),
        )
      ).items.length,
    ).toBeGreaterThan(0);
  });

  it('pages with a cursor, missing nothing and repeating nothing', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await findCustomers(
        store,
        { sort: '-recencyDays', limit: 2, ...(cursor ? { cursor } : {}) },
        await collectionsOfRun(store),
      );
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(['c-champ', 'c-gone', 'c-grow', 'c-new', 'c-pros']);
  });

  it('exports the same query as CSV', async () => {
    const lines: string[] = [];
    for await (const line of customersCsv(
      store,
      { region: 'West', sort: '-netRevenue', limit: 1 },
      await collectionsOfRun(store),
    ))
      lines.push(line);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^customerId,region,stage,tier,segment,/);
    expect(lines[1]).toMatch(/^c-grow,West,growth,/);
    expect(lines[2]).toMatch(/^c-gone,West,departure,/);
    expect(lines.every((l) => l.endsWith('\r\n'))).toBe(true);
  });

  it('rejects bad parameters with an error naming the field', () => {
    const fails = (params: Record<string, unknown>, field: string) => {
      try {
        parseCustomerQuery(params);
      } catch (error) {
        expect(error).toBeInstanceOf(AnalystQueryError);
        expect((error as AnalystQueryError).field).toBe(field);
        return;
      }
      throw new Error(`accepted ${JSON.stringify(params)}`);
    };
    fails({ stage: 'teenager' }, 'stage');
    fails({ tier: 'D' }, 'tier');
    fails({ segment: 'Whales' }, 'segment');
    fails({ netRevenueMin: 'lots' }, 'netRevenueMin');
    fails({ netRevenueMin: 10, netRevenueMax: 5 }, 'netRevenueMin');
    fails({ sort: '-name' }, 'sort');
    fails({ limit: 5000 }, 'limit');
    fails({ sentimentDrop: 'maybe' }, 'sentimentDrop');
    fails({ $where: '1' }, '$where');
  });

  it('lists customers with sentiment drops and delegates the population trend', async () => {
    const overview = await getSentimentOverview(store, {
      populationTrend: async () => [{ week: '2024-W26', mean: 0.1 }],
      collections: await collectionsOfRun(store),
    });
    expect(overview.populationTrend).toEqual([{ week: '2024-W26', mean: 0.1 }]);
    expect(overview.customersWithDrops.items).toEqual([
      { customerId: 'c-grow', region: 'West', stage: 'growth', tier: 'B', netRevenue: 200, sentimentMean: 0 },
    ]);
  });
});
