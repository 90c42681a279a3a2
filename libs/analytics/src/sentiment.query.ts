import type { Page, ReadStore } from '@rapport/read-store';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import { withCollections, type CollectionNames } from '@rapport/scoring/collections';
import { AnalystQueryError } from '@rapport/projection-engine';

export interface SentimentOverview<T> {
  /** From the sentiment-timeline read model's own query, when the engine passes it in. */
  populationTrend: T | null;
  /** Scored customers whose rolling sentiment dropped, most valuable first. */
  customersWithDrops: Page<
    Pick<AnalyticsCustomerDoc, 'customerId' | 'region' | 'stage' | 'tier' | 'netRevenue' | 'sentimentMean'>
  >;
}

/** `GET /analytics/sentiment`: the population trend (delegated) and the customers with drops. */
export async function getSentimentOverview<T>(
  store: ReadStore,
  options: {
    populationTrend?: () => Promise<T>;
    limit?: number;
    cursor?: string;
    collections?: Partial<CollectionNames>;
  } = {},
): Promise<SentimentOverview<T>> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new AnalystQueryError('limit', 'must be an integer from 1 to 500');
  const page = await store.find<AnalyticsCustomerDoc>(withCollections(options.collections).analyticsCustomers, {
    filter: { field: 'sentimentDrop', eq: true },
    sort: [{ field: 'netRevenue', direction: 'desc' }],
    limit,
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  return {
    populationTrend: options.populationTrend ? await options.populationTrend() : null,
    customersWithDrops: {
      items: page.items.map(({ customerId, region, stage, tier, netRevenue, sentimentMean }) => ({
        customerId,
        region,
        stage,
        tier,
        netRevenue,
        sentimentMean,
      })),
      nextCursor: page.nextCursor,
    },
  };
}
