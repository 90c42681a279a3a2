import type { ReadModelSource } from '@rapport/projection-engine';
import type { Page } from '@rapport/read-store';
import { SENTIMENT_TIMELINE_VERSION, type SentimentTimelineDoc } from './sentiment-timeline.projection';

/** The collection of the live version; the engine passes its own when a rebuild switched versions. */
export const SENTIMENT_TIMELINE_COLLECTION = `sentiment-timeline_v${SENTIMENT_TIMELINE_VERSION}`;

export interface WeeklySentiment {
  /** Monday (UTC) the ISO week starts on, YYYY-MM-DD. */
  week: string;
  moments: number;
  customers: number;
  meanScore: number;
}

export interface CustomerDrop {
  customerId: string;
  amount: number;
  highAt: string | null;
  rollingMean: number | null;
  end: SentimentTimelineDoc['end'];
  erased: boolean;
}

export interface PopulationSentiment {
  trend: WeeklySentiment[];
  drops: Page<CustomerDrop>;
}

/** One customer's timeline (null: the read model has not seen the customer). */
export function sentimentOf({ store, collection }: ReadModelSource, { customerId }: { customerId: string }) {
  return store.get<SentimentTimelineDoc>(collection, customerId);
}

/** Customers whose rolling mean dropped, largest drop first, cursor paged. */
export async function sentimentDrops(
  { store, collection }: ReadModelSource,
  { limit = 50, cursor }: { limit?: number; cursor?: string },
): Promise<Page<CustomerDrop>> {
  const page = await store.find<SentimentTimelineDoc>(collection, {
    filter: { field: 'drop.flagged', eq: true },
    sort: [
      { field: 'drop.amount', direction: 'desc' },
      { field: 'id', direction: 'asc' },
    ],
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((doc) => ({
      customerId: doc.customerId,
      amount: doc.drop.amount,
      highAt: doc.drop.highAt,
      rollingMean: doc.rollingMean,
      end: doc.end,
      erased: doc.erased,
    })),
  };
}

/** Mean score of all moments per ISO week (UTC), optionally within [from, to). Scans the collection. */
export async function weeklySentiment(
  { store, collection }: ReadModelSource,
  range: { from?: string; to?: string },
): Promise<WeeklySentiment[]> {
  const weeks = new Map<string, { sum: number; moments: number; customers: Set<string> }>();
  for await (const doc of store.scan<SentimentTimelineDoc>(collection)) {
    for (const moment of doc.moments) {
      if ((range.from && moment.at < range.from) || (range.to && moment.at >= range.to)) continue;
      const week = weekStart(moment.at);
      const bucket = weeks.get(week) ?? { sum: 0, moments: 0, customers: new Set<string>() };
      bucket.sum += moment.score;
      bucket.moments += 1;
      bucket.customers.add(doc.customerId);
      weeks.set(week, bucket);
    }
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, b]) => ({
      week,
      moments: b.moments,
      customers: b.customers.size,
      meanScore: Math.round((b.sum / b.moments) * 1000) / 1000,
    }));
}

/** The weekly trend and the first page of drops. */
export async function populationSentiment(
  source: ReadModelSource,
  options: { from?: string; to?: string; dropsLimit?: number },
): Promise<PopulationSentiment> {
  const [trend, drops] = await Promise.all([
    weeklySentiment(source, options),
    sentimentDrops(source, { limit: options.dropsLimit }),
  ]);
  return { trend, drops };
}

/** Monday 00:00 UTC of the ISO week holding `iso`, as YYYY-MM-DD. */
export function weekStart(iso: string): string {
  const date = new Date(iso);
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  const monday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day);
  return new Date(monday).toISOString().slice(0, 10);
}
