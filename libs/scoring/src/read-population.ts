// Reading a scoring run's population as it was at the as-of time: every customer-value, promise and
// sentiment document of a range of customers, read back to what had occurred (and been recorded) by then.
// The run reads its customers with it, and a part thread reads its own range with it.
import { DAY_MS } from '@rapport/domain';
import type { IdRange, ReadStore } from '@rapport/read-store';
import { customerValueAsOf, type AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import { isoMs } from '@rapport/projections/customer-value/iso-time';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { sentimentSignalAt, type SentimentSignal } from '@rapport/projections/sentiment-timeline/sentiment-signal';
import type { SentimentTimelineDoc } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import type { CollectionNames } from './collections';
import { PopulationColumns } from './population-columns';
import { promisesAsOf } from '@rapport/projections/promise-fulfilment/promise-deadlines';
import { MoneyColumns, stageTimeline, timelinePurchaseDays, type StageTimeline } from './stage-timeline';

// Small pages: a page's parsed documents (facts and all) die young instead of being promoted with the
// population, which keeps the run's peak memory a third lower.
const SCAN_BATCH = 1_000;

/** A buyer's distinct purchase days (UTC epoch days, ascending) as of the run. */
export interface BuyerDays {
  id: string;
  days: ArrayLike<number>;
}

/**
 * Customers as of a run, slimmed: each one's figures (no facts, daily revenue only within the trend
 * windows), aligned with its stage timeline (money facts in columns); buyers' purchase days for the stage
 * models; promises and sentiment as of then, by customer.
 */
export interface PopulationPart {
  values: PopulationColumns;
  timelines: Array<StageTimeline | null>;
  buyers: BuyerDays[];
  promises: Map<string, PromiseFulfilmentDoc>;
  sentiment: Map<string, SentimentSignal>;
  /** The first fact's time seen while nobody had qualified: it names the first event when a run is refused. */
  earliest: string | null;
}

/** What a read needs: where, as of when (as times and as ISO strings), and the trend windows' width. */
export interface PopulationRead {
  store: ReadStore;
  collections: CollectionNames;
  at: AsOf;
  asOf: string;
  knownAt: string;
  trendWindowDays: number;
  range?: IdRange;
  /** Called with the number of customers read so far, after each one. */
  onCustomer?: (count: number) => void;
}

/** Every customer of the range that existed by the as-of time, as it was then (see PopulationPart). */
export async function readPopulationPart(read: PopulationRead): Promise<PopulationPart> {
  const { store, collections, at, range = {} } = read;
  // valueTrend reads only the days within its two windows of the as-of day.
  const values = new PopulationColumns(Math.floor(at.asOfMs / DAY_MS) - 2 * read.trendWindowDays);
  const timelines: Array<StageTimeline | null> = [];
  const buyers: BuyerDays[] = [];
  const money = new MoneyColumns(1 << 16);
  let earliest: string | null = null;
  for await (const doc of store.scan<CustomerValueDoc>(collections.customerValue, SCAN_BATCH, range)) {
    const then = customerValueAsOf(doc, at);
    if (values.length === 0)
      for (const fact of doc.facts) if (earliest === null || isoMs(fact[1]) < isoMs(earliest)) earliest = fact[1];
    if (then === null) continue;
    values.push(then);
    // A whole document's facts were all known by then: only their business times are asked again.
    const timeline = stageTimeline(then, then === doc ? { asOfMs: at.asOfMs } : at, money);
    timelines.push(timeline);
    if (timeline !== null) {
      const days = timelinePurchaseDays(timeline);
      if (days.length > 0) buyers.push({ id: then.id, days });
    }
    read.onCustomer?.(values.length);
  }
  const promises = new Map<string, PromiseFulfilmentDoc>();
  for await (const doc of store.scan<PromiseFulfilmentDoc>(collections.promiseFulfilment, SCAN_BATCH, range))
    promises.set(doc.id, promisesAsOf(doc, at.asOfMs, at.knownAtMs));
  const sentiment = new Map<string, SentimentSignal>();
  for await (const doc of store.scan<SentimentTimelineDoc>(collections.sentimentTimeline, SCAN_BATCH, range))
    sentiment.set(doc.id, sentimentSignalAt(doc, read.asOf, read.knownAt));
  return { values, timelines, buyers, promises, sentiment, earliest };
}

/** Buyers as one thread sends them to another: ids, and buyer i's days at `days[offsets[i]..offsets[i+1])`. */
export interface BuyersData {
  ids: string[];
  offsets: Int32Array;
  days: Int32Array;
}

/** Buyers flat, in two typed arrays. */
export function buyersData(buyers: readonly BuyerDays[]): BuyersData {
  const offsets = new Int32Array(buyers.length + 1);
  buyers.forEach((buyer, i) => (offsets[i + 1] = (offsets[i] as number) + buyer.days.length));
  const days = new Int32Array(offsets[buyers.length] as number);
  buyers.forEach((buyer, i) => days.set(Array.from(buyer.days), offsets[i]));
  return { ids: buyers.map((b) => b.id), offsets, days };
}

/** The buyers `buyersData` flattened. */
export const buyersOf = ({ ids, offsets, days }: BuyersData): BuyerDays[] =>
  ids.map((id, i) => ({ id, days: days.subarray(offsets[i], offsets[i + 1]) }));
