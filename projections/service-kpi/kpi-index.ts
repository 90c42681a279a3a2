import type { KpiFactTable } from './kpi-fact-table';
import type { KpiDimension } from './kpi-params';
import { periodNumber, type PeriodKind } from './kpi-periods';
import type { KpiRecords } from './kpi-records';
import { DAY_MS } from '@rapport/domain';

// What the aggregation reads besides the records, computed once per derived records and kept with them:
// the period number of every record, the purchase sequence facts, and each dimension's group of every
// record. A query then only runs tight loops over numbers.

const NONE = Number.MIN_SAFE_INTEGER;

export interface PeriodIndex {
  surveys: Int32Array;
  firstResponse: Int32Array;
  resolution: Int32Array;
  promises: Int32Array;
  purchases: Int32Array;
  /** Period of the customer's previous purchase, NONE for its first. */
  prevPurchase: Float64Array;
  /** Period of the customer's next purchase, +∞ for its last. */
  nextPurchase: Float64Array;
}

export interface ChurnIndex {
  /** Periods whose start the purchase keeps its customer active at (it is the last purchase before them): first..last, or last < first. */
  activeFirst: Float64Array;
  activeLast: Float64Array;
  /** The time the customer lapses after this purchase (no other purchase within churnDays), NaN when it buys again. */
  lapseAt: Float64Array;
  /** Period holding the lapse (its start exclusive, its end inclusive). */
  lapsePeriod: Float64Array;
  /** The customer's next purchase after this one, +∞ for its last: a lapse counts as churn only if none follows before the period ends. */
  nextAt: Float64Array;
}

/** Each record's group as a compact index into `names` (the "(none)" group has its own index). */
export interface GroupIndex {
  names: Array<string | null>;
  surveys: Int32Array;
  firstResponse: Int32Array;
  resolution: Int32Array;
  promises: Int32Array;
  purchases: Int32Array;
}

interface Cache {
  periods: Map<PeriodKind, PeriodIndex>;
  churn: Map<string, ChurnIndex>;
  groups: Map<string, GroupIndex>;
}
const caches = new WeakMap<KpiRecords, Cache>();
const cacheOf = (r: KpiRecords): Cache => {
  let c = caches.get(r);
  if (c === undefined) caches.set(r, (c = { periods: new Map(), churn: new Map(), groups: new Map() }));
  return c;
};

function numbered(kind: PeriodKind, times: readonly number[]): Int32Array {
  const out = new Int32Array(times.length);
  for (let i = 0; i < times.length; i++) out[i] = periodNumber(kind, times[i]!);
  return out;
}

/** `f` of every element, into an Int32Array (Int32Array.from with a map function is slow). */
function mapInt(xs: ArrayLike<number>, f: (x: number) => number): Int32Array {
  const out = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = f(xs[i]!);
  return out;
}

export function periodIndex(r: KpiRecords, kind: PeriodKind): PeriodIndex {
  const cache = cacheOf(r);
  let x = cache.periods.get(kind);
  if (x !== undefined) return x;
  const purchases = numbered(kind, r.purchases.t);
  const n = purchases.length;
  const prev = new Float64Array(n);
  const next = new Float64Array(n);
  const cust = r.purchases.cust;
  for (let i = 0; i < n; i++) {
    prev[i] = i > 0 && cust[i - 1] === cust[i] ? purchases[i - 1]! : NONE;
    next[i] = i + 1 < n && cust[i + 1] === cust[i] ? purchases[i + 1]! : Number.POSITIVE_INFINITY;
  }
  x = {
    surveys: numbered(kind, r.surveys.t),
    firstResponse: numbered(kind, r.firstResponse.t),
    resolution: numbered(kind, r.resolution.t),
    promises: numbered(kind, r.promises.t),
    purchases,
    prevPurchase: prev,
    nextPurchase: next,
  };
  cache.periods.set(kind, x);
  return x;
}

export const NO_PREVIOUS = NONE;

/**
 * Churn facts per purchase for `churnDays` (more than a month, so a lapse never falls in the period of
 * the purchase it follows): active at time x when the last purchase before x is less than churnDays
 * before x.
 */
export function churnIndex(r: KpiRecords, kind: PeriodKind, churnDays: number): ChurnIndex {
  const cache = cacheOf(r);
  const key = `${kind}:${churnDays}`;
  let x = cache.churn.get(key);
  if (x !== undefined) return x;
  const { t, cust } = r.purchases;
  const own = periodIndex(r, kind).purchases;
  const n = t.length;
  const span = churnDays * DAY_MS;
  x = {
    activeFirst: new Float64Array(n),
    activeLast: new Float64Array(n),
    lapseAt: new Float64Array(n),
    lapsePeriod: new Float64Array(n),
    nextAt: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n && cust[i + 1] === cust[i] ? t[i + 1]! : Number.POSITIVE_INFINITY;
    // Period starts s with t < s, s <= next purchase and s < t + span.
    x.activeFirst[i] = own[i]! + 1;
    x.activeLast[i] = periodNumber(kind, Math.min(next, t[i]! + span - 1));
    const lapse = next >= t[i]! + span ? t[i]! + span : Number.NaN;
    x.lapseAt[i] = lapse;
    x.lapsePeriod[i] = Number.isNaN(lapse) ? Number.NaN : periodNumber(kind, lapse - 1);
    x.nextAt[i] = next;
  }
  cache.churn.set(key, x);
  return x;
}

/** Customer-level values (interned) of a dimension a scoring run gives: tier or stage. */
export type CustomerValues = Int32Array;

/**
 * The group of every record for `by`: region, city, acquisition channel (the customer's as of the
 * records), channel and agent (the record's own), or customer values from outside (`external`, keyed
 * `externalKey` in the cache).
 */
export function groupIndex(
  r: KpiRecords,
  table: KpiFactTable,
  by: KpiDimension | null,
  external?: { key: string; values: CustomerValues },
): GroupIndex {
  const cache = cacheOf(r);
  const key = by === 'tier' || by === 'stage' ? `${by}:${external?.key ?? ''}` : String(by);
  let x = cache.groups.get(key);
  if (x !== undefined) return x;
  const names: Array<string | null> = [];
  const compact = new Map<number, number>();
  const slot = (id: number): number => {
    let s = compact.get(id);
    if (s === undefined) {
      s = names.length;
      names.push(id < 0 ? null : table.strings.name(id));
      compact.set(id, s);
    }
    return s;
  };
  const ofCustomer = (values: ArrayLike<number>) => (list: { cust: number[] }) =>
    mapInt(list.cust, (c) => slot(values[c]!));
  let of: (list: { cust: number[]; channel: number[]; agent: number[] }) => Int32Array;
  switch (by) {
    case null:
      of = (list) => new Int32Array(list.cust.length).fill(slot(-1));
      break;
    case 'region':
      of = ofCustomer(r.region);
      break;
    case 'city':
      of = ofCustomer(r.city);
      break;
    case 'acquisitionChannel':
      of = ofCustomer(r.acquisition);
      break;
    case 'channel':
      of = (list) => mapInt(list.channel, slot);
      break;
    case 'agent':
      of = (list) => mapInt(list.agent, slot);
      break;
    case 'tier':
    case 'stage':
      if (external === undefined) throw new Error(`by=${by} needs the scoring run's values`);
      of = ofCustomer(external.values);
      break;
    default: {
      const exhaustive: never = by;
      throw new Error(`unknown dimension ${String(exhaustive)}`);
    }
  }
  x = {
    names,
    surveys: of(r.surveys),
    firstResponse: of(r.firstResponse),
    resolution: of(r.resolution),
    promises: of(r.promises),
    purchases: of(r.purchases),
  };
  cache.groups.set(key, x);
  return x;
}
