// A scoring run's population in columns: what scoring, the tiers and the CLV fit read of each customer,
// as typed arrays and shared strings instead of an object per customer (a run holds every customer from
// the read to the last write: objects cost it several times the memory and the collector's time).
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { canonicalIsoMs, isoMs, isoOf } from '@rapport/projections/customer-value/iso-time';
import { Float64Column } from './float64-column';
import type { RankFigures } from './score';

const NUMBERS = [
  'orders',
  'purchaseDays',
  'frequency',
  'netRevenue',
  'averageOrderValue',
  'meanInterPurchaseDays',
  'historicalLifetimeValue',
  'monetary',
  'grossRevenue',
  'firstDayRevenue',
] as const;
const TIMES = ['registeredAt', 'firstPurchaseAt', 'lastPurchaseAt'] as const;
type NumberField = (typeof NUMBERS)[number];
type TimeField = (typeof TIMES)[number];

const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Part of a population as plain data (PopulationColumns.slice), its customers indexed from 0. */
export interface PopulationColumnsData {
  trendFrom: number;
  length: number;
  ids: string[];
  regions: Array<string | null>;
  channels: Array<string | null>;
  erased: boolean[];
  /** One column per number field, in the class's order. */
  numbers: Float64Array[];
  times: Float64Array[];
  irregularTimes: Array<[string, string]>;
  daily: Float64Array;
  dailyFrom: Float64Array;
}

/**
 * The population as of a run, one customer per index in scan order. `valueAt` gives a customer's slim
 * customer-value document back (a fresh object, dropped once scored): the figures, no facts, daily revenue
 * only after `trendFrom` (the days valueTrend's two windows reach). Times are kept as milliseconds and
 * written back as the ISO strings they were (a time not in toISOString's form is kept as it is).
 */
export class PopulationColumns implements Iterable<CustomerValueDoc>, RankFigures {
  length = 0;
  private readonly ids: string[] = [];
  private readonly regions: Array<string | null> = [];
  private readonly channels: Array<string | null> = [];
  private readonly erased: boolean[] = [];
  private readonly numbers = Object.fromEntries(NUMBERS.map((f) => [f, new Float64Column()])) as Record<
    NumberField,
    Float64Column
  >;
  private readonly times = Object.fromEntries(TIMES.map((f) => [f, new Float64Column()])) as Record<
    TimeField,
    Float64Column
  >;
  /** Times not in toISOString's form, by field and index. */
  private readonly irregularTimes = new Map<string, string>();
  /** Daily revenue within the trend windows: [day, amount] pairs, customer i's from dailyFrom[i]. */
  private readonly daily = new Float64Column();
  private dailyLength = 0;
  private readonly dailyFrom = new Float64Column();
  private readonly shared = new Map<string, string>();

  constructor(private readonly trendFrom: number) {}

  /** The population `slice` made, its customers indexed from 0. */
  static fromData(data: PopulationColumnsData): PopulationColumns {
    const part = new PopulationColumns(data.trendFrom);
    part.append(data);
    return part;
  }

  /** Appends the customers of another part (its `slice`), after this one's, in their order. */
  append(data: PopulationColumnsData): void {
    const at = this.length;
    const dailyAt = this.dailyLength;
    for (let j = 0; j < data.length; j += 1) {
      this.ids.push(data.ids[j] as string);
      this.regions.push(this.share(data.regions[j] ?? null));
      this.channels.push(this.share(data.channels[j] ?? null));
      this.erased.push(data.erased[j] === true);
      NUMBERS.forEach((field, k) => this.numbers[field].set(at + j, (data.numbers[k] as Float64Array)[j] as number));
      TIMES.forEach((field, k) => this.times[field].set(at + j, (data.times[k] as Float64Array)[j] as number));
      this.dailyFrom.set(at + j, dailyAt + (data.dailyFrom[j] as number));
    }
    for (const [key, iso] of data.irregularTimes) {
      const [field, index] = key.split(':') as [string, string];
      this.irregularTimes.set(`${field}:${at + Number(index)}`, iso);
    }
    data.daily.forEach((value, k) => this.daily.set(dailyAt + k, value));
    this.dailyLength += data.daily.length;
    this.length += data.length;
  }

  /** Customers [from, to) as plain data (typed arrays and strings) another thread can be sent. */
  slice(from: number, to: number): PopulationColumnsData {
    const dailyStart = from < this.length ? this.dailyFrom.at(from) : this.dailyLength;
    const dailyEnd = to < this.length ? this.dailyFrom.at(to) : this.dailyLength;
    const dailyFrom = this.dailyFrom.copy(from, to).map((k) => k - dailyStart);
    const irregularTimes: Array<[string, string]> = [];
    for (const [key, iso] of this.irregularTimes) {
      const [field, index] = key.split(':') as [string, string];
      if (Number(index) >= from && Number(index) < to) irregularTimes.push([`${field}:${Number(index) - from}`, iso]);
    }
    return {
      trendFrom: this.trendFrom,
      length: to - from,
      ids: this.ids.slice(from, to),
      regions: this.regions.slice(from, to),
      channels: this.channels.slice(from, to),
      erased: this.erased.slice(from, to),
      numbers: NUMBERS.map((field) => this.numbers[field].copy(from, to)),
      times: TIMES.map((field) => this.times[field].copy(from, to)),
      irregularTimes,
      daily: this.daily.copy(dailyStart, dailyEnd),
      dailyFrom,
    };
  }

  push(doc: CustomerValueDoc): void {
    const i = this.length;
    this.ids.push(doc.id);
    this.regions.push(this.share(doc.region));
    this.channels.push(this.share(doc.acquisitionChannel));
    this.erased.push(doc.erased);
    for (const field of NUMBERS) this.numbers[field].set(i, (doc[field] as number | null) ?? Number.NaN);
    for (const field of TIMES) {
      const iso = doc[field];
      let ms = iso === null ? Number.NaN : canonicalIsoMs(iso);
      if (iso !== null && Number.isNaN(ms)) {
        ms = isoMs(iso);
        this.irregularTimes.set(`${field}:${i}`, iso);
      }
      this.times[field].set(i, ms);
    }
    this.dailyFrom.set(i, this.dailyLength);
    for (const [day, amount] of doc.dailyRevenue) {
      if (!(day > this.trendFrom)) continue;
      this.daily.set(this.dailyLength++, day);
      this.daily.set(this.dailyLength++, amount);
    }
    this.length += 1;
  }

  id(i: number): string {
    return this.ids[i] as string;
  }

  orders(i: number): number {
    return this.numbers.orders.at(i);
  }

  lastPurchaseMs(i: number): number {
    return this.times.lastPurchaseAt.at(i);
  }

  frequency(i: number): number {
    return this.numbers.frequency.at(i);
  }

  monetary(i: number): number {
    return this.numbers.monetary.at(i);
  }

  region(i: number): string | null {
    return this.regions[i] ?? null;
  }

  netRevenue(i: number): number {
    return this.numbers.netRevenue.at(i);
  }

  valueAt(i: number, withDailyRevenue = true): CustomerValueDoc {
    const number = (field: NumberField): number => this.numbers[field].at(i);
    const time = (field: TimeField): string | null => {
      const ms = this.times[field].at(i);
      const irregular = this.irregularTimes.size === 0 ? undefined : this.irregularTimes.get(`${field}:${i}`);
      return irregular ?? (Number.isNaN(ms) ? null : isoOf(ms));
    };
    const dailyRevenue: Array<[number, number]> = [];
    const end = i + 1 < this.length ? this.dailyFrom.at(i + 1) : this.dailyLength;
    if (withDailyRevenue)
      for (let k = this.dailyFrom.at(i); k < end; k += 2) dailyRevenue.push([this.daily.at(k), this.daily.at(k + 1)]);
    const mean = number('meanInterPurchaseDays');
    const id = this.id(i);
    return {
      id,
      customerId: id,
      registeredAt: time('registeredAt'),
      region: this.regions[i] ?? null,
      city: null,
      acquisitionChannel: this.channels[i] ?? null,
      acquisitionCost: 0,
      erased: this.erased[i] === true,
      orders: number('orders'),
      firstPurchaseAt: time('firstPurchaseAt'),
      lastPurchaseAt: time('lastPurchaseAt'),
      purchaseDays: number('purchaseDays'),
      recentPurchaseDays: NONE,
      meanInterPurchaseDays: Number.isNaN(mean) ? null : mean,
      grossRevenue: number('grossRevenue'),
      refunded: 0,
      netRevenue: number('netRevenue'),
      averageOrderValue: number('averageOrderValue'),
      firstDayRevenue: number('firstDayRevenue'),
      frequency: number('frequency'),
      monetary: number('monetary'),
      historicalLifetimeValue: number('historicalLifetimeValue'),
      dailyRevenue: dailyRevenue.length === 0 ? NONE : dailyRevenue,
      latestActivityDay: null,
      facts: NONE,
    };
  }

  /** Customers with at least one order, and with two purchase days or more. */
  counts(): { buyers: number; repeatBuyers: number } {
    let buyers = 0;
    let repeatBuyers = 0;
    for (let i = 0; i < this.length; i += 1) {
      if (this.numbers.orders.at(i) > 0) buyers += 1;
      if (this.numbers.purchaseDays.at(i) >= 2) repeatBuyers += 1;
    }
    return { buyers, repeatBuyers };
  }

  *[Symbol.iterator](): Iterator<CustomerValueDoc> {
    for (let i = 0; i < this.length; i += 1) yield this.valueAt(i);
  }

  /**
   * Customers [from, to) without their daily revenue, for models that read figures only (the CLV fits):
   * 100,000s of small arrays fewer for the collector.
   */
  *figuresIn(from: number, to: number): Generator<CustomerValueDoc> {
    for (let i = from; i < to; i += 1) yield this.valueAt(i, false);
  }

  private share(text: string | null): string | null {
    if (text === null) return null;
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    this.shared.set(text, text);
    return text;
  }
}
