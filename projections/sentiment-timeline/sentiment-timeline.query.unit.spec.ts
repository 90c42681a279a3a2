import { MemoryReadStore } from '@rapport/read-store';
import { eventsFor, fold } from './sentiment-timeline.fixtures';
import { sentimentTimelineProjection, type SentimentTimelineDoc } from './sentiment-timeline.projection';
import { SENTIMENT_TIMELINE_COLLECTION, weekStart } from './sentiment-timeline.query';
import { sentimentTimelineReadModel } from '.';

const { query } = sentimentTimelineReadModel;
const sourceOf = async (docs: SentimentTimelineDoc[]) => ({
  store: await storeWith(docs),
  collection: SENTIMENT_TIMELINE_COLLECTION,
});

async function storeWith(docs: SentimentTimelineDoc[]): Promise<MemoryReadStore> {
  const store = new MemoryReadStore();
  await store.ensureCollection({ name: SENTIMENT_TIMELINE_COLLECTION, indexes: sentimentTimelineProjection.indexes });
  await store.commit(
    docs.map((doc, i) => ({
      kind: 'upsert' as const,
      collection: SENTIMENT_TIMELINE_COLLECTION,
      doc,
      position: i + 1,
    })),
  );
  return store;
}

describe("the sentiment-timeline read model's queries", () => {
  const steady = eventsFor('steady');
  const falling = eventsFor('falling');
  const collapsing = eventsFor('collapsing');
  const docs = [
    fold([
      steady.survey('2024-01-01T09:00:00Z', { kind: 'csat', score: 4 }),
      steady.survey('2024-01-09T09:00:00Z', { kind: 'csat', score: 4 }),
    ])!,
    fold([
      falling.survey('2024-01-02T09:00:00Z', { kind: 'csat', score: 5 }),
      falling.survey('2024-01-03T09:00:00Z', { kind: 'csat', score: 5 }),
      falling.complaint('2024-01-10T09:00:00Z', '快递慢,客服态度差,非常失望'),
    ])!,
    fold([
      collapsing.survey('2024-01-02T09:00:00Z', { kind: 'nps', score: 10 }),
      collapsing.survey('2024-01-10T09:00:00Z', { kind: 'nps', score: 0 }),
      collapsing.survey('2024-01-11T09:00:00Z', { kind: 'nps', score: 0 }),
    ])!,
  ];

  it('reads one customer', async () => {
    const source = await sourceOf(docs);
    expect((await query.sentimentOf(source, { customerId: 'steady' }))!.rollingMean).toBe(0.5);
    expect(await query.sentimentOf(source, { customerId: 'nobody' })).toBeNull();
  });

  it('lists the customers with drops, largest first, paged', async () => {
    const source = await sourceOf(docs);
    const first = await query.sentimentDrops(source, { limit: 1 });
    expect(first.items.map((d) => d.customerId)).toEqual(['collapsing']);
    expect(first.items[0]!.amount).toBeCloseTo(1 - -1 / 3, 3);
    const second = await query.sentimentDrops(source, { limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((d) => d.customerId)).toEqual(['falling']);
    expect(second.nextCursor).toBeNull();
  });

  it('gives the population trend by ISO week', async () => {
    const source = await sourceOf(docs);
    const trend = await query.weeklySentiment(source, {});
    expect(trend.map((w) => [w.week, w.moments, w.customers])).toEqual([
      ['2024-01-01', 4, 3],
      ['2024-01-08', 4, 3],
    ]);
    expect(trend[0]!.meanScore).toBe(0.875); // 0.5, 1, 1, 1
    expect(trend[1]!.meanScore).toBeLessThan(-0.3);
    const population = await query.populationSentiment(source, { from: '2024-01-08T00:00:00Z' });
    expect(population.trend.map((w) => w.week)).toEqual(['2024-01-08']);
    expect(population.drops.items).toHaveLength(2);
  });

  it('starts weeks on Monday, UTC', () => {
    expect(weekStart('2024-01-07T23:59:59Z')).toBe('2024-01-01');
    expect(weekStart('2024-01-08T00:00:00Z')).toBe('2024-01-08');
  });
});
