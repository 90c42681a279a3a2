import { COUNTERS, kpiCube, type Bucketed, type KpiCube, type KpiWindow } from './kpi-aggregate';
import type { KpiFactTable } from './kpi-fact-table';
import { churnIndex, groupIndex, periodIndex, type CustomerValues } from './kpi-index';
import type { KpiDimension } from './kpi-params';
import { periodNumberStart } from './kpi-periods';
import type { KpiRecords } from './kpi-records';
import { DAY_MS } from '@rapport/domain';

// The KPI cube of every period the records touch, computed once per records, period kind, dimension and
// churn span; a query's window is then a copy of its periods. Only what depends on the as-of moment
// itself is counted again: promises due in the last period (by the as-of), lapses in the last period
// (by its end), and the range-wide churn (by the range's end).

interface PeriodList {
  group: number[];
  at: number[];
  kept: number[];
  /** Lapses: the customer's next purchase (+∞ when none). */
  next: number[];
}
interface RangeCounts {
  purchasers: Float64Array;
  repeaters: Float64Array;
  active: Float64Array;
  /** Per group, sorted: when each customer active at the range's start lapses after its last purchase in the range. */
  lapses: Float64Array[];
}
interface Timeline {
  pmin: number;
  pmax: number;
  cube: KpiCube;
  promisesIn: Map<number, PeriodList>;
  lapsesIn: Map<number, PeriodList>;
  ranges: Map<string, RangeCounts>;
}

const timelines = new WeakMap<KpiRecords, Map<string, Timeline>>();
const RANGES_KEPT = 16;

function extent(r: KpiRecords, w: Pick<KpiWindow, 'kind' | 'churnDays'>): [number, number] {
  const pi = periodIndex(r, w.kind);
  const ch = churnIndex(r, w.kind, w.churnDays);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const list of [pi.surveys, pi.firstResponse, pi.resolution, pi.promises, pi.purchases])
    for (let i = 0; i < list.length; i++) {
      if (list[i]! < lo) lo = list[i]!;
      if (list[i]! > hi) hi = list[i]!;
    }
  for (let i = 0; i < ch.lapsePeriod.length; i++) {
    if (ch.activeLast[i]! > hi) hi = ch.activeLast[i]!;
    if (ch.lapsePeriod[i]! > hi) hi = ch.lapsePeriod[i]!; // NaN never is
  }
  return lo > hi ? [0, 0] : [lo, hi];
}

function listsByPeriod(
  periods: ArrayLike<number>,
  groups: Int32Array,
  at: ArrayLike<number>,
  kept?: ArrayLike<number>,
  next?: ArrayLike<number>,
) {
  const out = new Map<number, PeriodList>();
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    if (Number.isNaN(p)) continue;
    let list = out.get(p);
    if (list === undefined) out.set(p, (list = { group: [], at: [], kept: [], next: [] }));
    list.group.push(groups[i]!);
    list.at.push(at[i]!);
    list.kept.push(kept?.[i] ?? 0);
    list.next.push(next?.[i] ?? Number.POSITIVE_INFINITY);
  }
  return out;
}

function timeline(
  table: KpiFactTable,
  r: KpiRecords,
  w: KpiWindow,
  by: KpiDimension | null,
  external?: { key: string; values: CustomerValues },
): Timeline {
  const key = `${w.kind}:${w.churnDays}:${by}:${external?.key ?? ''}`;
  const cached = timelines.get(r) ?? new Map<string, Timeline>();
  timelines.set(r, cached);
  let tl = cached.get(key);
  if (tl !== undefined) return tl;
  const [pmin, pmax] = extent(r, w);
  // Every period whole, promises whatever their due date: the last period of a window is counted again.
  const full: KpiWindow = {
    ...w,
    p0: pmin,
    p1: pmax,
    asOfMs: Number.POSITIVE_INFINITY,
    lastEnd: periodNumberStart(w.kind, pmax + 1),
  };
  const gi = groupIndex(r, table, by, external);
  const pi = periodIndex(r, w.kind);
  const ch = churnIndex(r, w.kind, w.churnDays);
  tl = {
    pmin,
    pmax,
    cube: kpiCube(table, r, full, by, external),
    promisesIn: listsByPeriod(pi.promises, gi.promises, r.promises.t, r.promises.kept),
    lapsesIn: listsByPeriod(ch.lapsePeriod, gi.purchases, ch.lapseAt, undefined, ch.nextAt),
    ranges: new Map(),
  };
  cached.set(key, tl);
  return tl;
}

/** Repeat and churn over p0..p1 as one period, from one pass over the purchases. */
function rangeCounts(r: KpiRecords, tl: Timeline, w: KpiWindow, groups: Int32Array, G: number): RangeCounts {
  const key = `${w.p0}:${w.p1}`;
  let x = tl.ranges.get(key);
  if (x !== undefined) return x;
  const pi = periodIndex(r, w.kind);
  const ch = churnIndex(r, w.kind, w.churnDays);
  const { t, cust } = r.purchases;
  const n = t.length;
  const { p0, p1 } = w;
  const span = w.churnDays * DAY_MS;
  const purchasers = new Float64Array(G);
  const repeaters = new Float64Array(G);
  const active = new Float64Array(G);
  const lapses: number[][] = Array.from({ length: G }, () => []);
  let i = 0;
  while (i < n) {
    const customer = cust[i]!;
    let activeGroup = -1;
    let last = -1;
    for (; i < n && cust[i] === customer; i++) {
      const q = pi.purchases[i]!;
      if (q >= p0 && q <= p1 && pi.prevPurchase[i]! < p0) {
        purchasers[groups[i]!]!++;
        if (pi.prevPurchase[i]! !== Number.MIN_SAFE_INTEGER || pi.nextPurchase[i]! <= p1) repeaters[groups[i]!]!++;
      }
      if (ch.activeFirst[i]! <= p0 && p0 <= ch.activeLast[i]!) activeGroup = groups[i]!;
      if (q <= p1) last = i;
    }
    if (activeGroup < 0) continue;
    active[activeGroup]!++;
    lapses[activeGroup]!.push(t[last]! + span);
  }
  x = { purchasers, repeaters, active, lapses: lapses.map((l) => Float64Array.from(l).sort()) };
  if (tl.ranges.size >= RANGES_KEPT) tl.ranges.delete(tl.ranges.keys().next().value as string);
  tl.ranges.set(key, x);
  return x;
}

/** How many of the sorted values are at most `limit`. */
function countUpTo(sorted: Float64Array, limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sliceBuckets(full: Bucketed, Pall: number, pmin: number, w: KpiWindow, G: number): Bucketed {
  const P = w.p1 - w.p0 + 1;
  const offsets = new Int32Array(P * G + 1);
  const parts: Array<[number, number]> = [];
  let total = 0;
  for (let g = 0; g < G; g++)
    for (let rel = 0; rel < P; rel++) {
      const p = w.p0 + rel - pmin;
      const b = g * Pall + p;
      const size = p >= 0 && p < Pall ? full.offsets[b + 1]! - full.offsets[b]! : 0;
      if (size > 0) parts.push([full.offsets[b]!, full.offsets[b + 1]!]);
      total += size;
      offsets[g * P + rel + 1] = total;
    }
  const values = new Float64Array(total);
  let at = 0;
  for (const [from, to] of parts) {
    values.set(full.values.subarray(from, to), at);
    at += to - from;
  }
  return { values, offsets };
}

/** The cube of a window, equal to `kpiCube` of it, from the cached timeline. */
export function windowCube(
  table: KpiFactTable,
  r: KpiRecords,
  w: KpiWindow,
  by: KpiDimension | null,
  external?: { key: string; values: CustomerValues },
): KpiCube {
  const tl = timeline(table, r, w, by, external);
  const G = tl.cube.names.length;
  const P = w.p1 - w.p0 + 1;
  const Pall = tl.pmax - tl.pmin + 1;
  const counters = {} as KpiCube['counters'];
  for (const k of COUNTERS) {
    const from = tl.cube.counters[k];
    const out = new Float64Array(P * G);
    for (let g = 0; g < G; g++)
      for (let rel = 0; rel < P; rel++) {
        const p = w.p0 + rel - tl.pmin;
        if (p >= 0 && p < Pall) out[g * P + rel] = from[g * Pall + p]!;
      }
    counters[k] = out;
  }
  // The last period: promises due by the as-of, lapses by its end.
  const last = P - 1;
  for (let g = 0; g < G; g++)
    counters.due[g * P + last] = counters.kept[g * P + last] = counters.churned[g * P + last] = 0;
  const promises = tl.promisesIn.get(w.p1);
  if (promises !== undefined)
    for (let i = 0; i < promises.at.length; i++) {
      if (promises.at[i]! > w.asOfMs) continue;
      counters.due[promises.group[i]! * P + last]!++;
      counters.kept[promises.group[i]! * P + last]! += promises.kept[i]!;
    }
  const lapses = tl.lapsesIn.get(w.p1);
  if (lapses !== undefined)
    for (let i = 0; i < lapses.at.length; i++)
      if (lapses.at[i]! <= w.lastEnd && lapses.next[i]! >= w.lastEnd) counters.churned[lapses.group[i]! * P + last]!++;
  const range = rangeCounts(r, tl, w, groupIndex(r, table, by, external).purchases, G);
  return {
    periods: P,
    names: tl.cube.names,
    counters,
    firstResponse: sliceBuckets(tl.cube.firstResponse, Pall, tl.pmin, w, G),
    resolution: sliceBuckets(tl.cube.resolution, Pall, tl.pmin, w, G),
    range: {
      purchasers: range.purchasers,
      repeaters: range.repeaters,
      active: range.active,
      churned: Float64Array.from(range.lapses, (l) => countUpTo(l, w.lastEnd)),
    },
  };
}
