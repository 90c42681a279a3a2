import type { Page, ReadStore } from '@rapport/read-store';
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

/** Reads of the sentiment-timeline read model: one customer, and the population view for analysts. */
export class SentimentTimelineQuery {
  constructor(
    private readonly store: ReadStore,
    private readonly collection = SENTIMENT_TIMELINE_COLLECTION,
  ) {}

  customer(customerId: string): Promise<SentimentTimelineDoc | null> {
    return this.store.get<SentimentTimelineDoc>(this.collection, customerId);
  }

  /** Customers whose rolling mean dropped, largest drop first, cursor paged. */
  async drops(limit = 50, cursor?: string): Promise<Page<CustomerDrop>> {
    const page = await this.store.find<SentimentTimelineDoc>(this.collection, {
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
  async weeklyTrend(range: { from?: string; to?: string } = {}): Promise<WeeklySentiment[]> {
    const weeks = new Map<string, { sum: number; moments: number; customers: Set<string> }>();
    for await (const doc of this.store.scan<SentimentTimelineDoc>(this.collection)) {
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

  async population(options: { from?: string; to?: string; dropsLimit?: number } = {}): Promise<PopulationSentiment> {
    const [trend, drops] = await Promise.all([this.weeklyTrend(options), this.drops(options.dropsLimit)]);
    return { trend, drops };
  }
}

/** Monday 00:00 UTC of the ISO week holding `iso`, as YYYY-MM-DD. */
export function weekStart(iso: string): string {
  const date = new Date(iso);
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  const monday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day);
  return new Date(monday).toISOString().slice(0, 10);
}
