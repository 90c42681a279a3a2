import type { KpiFactTable } from './kpi-fact-table';
import { churnIndex, groupIndex, NO_PREVIOUS, periodIndex, type CustomerValues } from './kpi-index';
import type { KpiDimension } from './kpi-params';
import { periodNumberStart, type PeriodKind } from './kpi-periods';
import { SURVEY_CES, SURVEY_CSAT, SURVEY_NPS, type KpiRecords } from './kpi-records';
import { DAY_MS } from '@rapport/domain';

export interface NpsValue {
  /** % promoters − % detractors, −100..100; null without a response. */
  score: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  responses: number;
}
export interface KpiValues {
  nps: NpsValue;
  csat: { score: number | null; satisfied: number; responses: number };
  ces: { mean: number | null; responses: number };
  firstResponseHours: { median: number | null; p90: number | null; count: number };
  resolutionHours: { median: number | null; p90: number | null; count: number };
  promiseKeptRate: { rate: number | null; keptOnTime: number; due: number };
  repeatPurchaseRate: { rate: number | null; repeaters: number; purchasers: number };
  churnRate: { rate: number | null; churned: number; activeAtStart: number };
}

/** The periods asked for: numbers p0..p1 of `kind`; the last ends at `lastEnd` (exclusive, at most as-of + 1 ms). */
export interface KpiWindow {
  kind: PeriodKind;
  p0: number;
  p1: number;
  lastEnd: number;
  asOfMs: number;
  churnDays: number;
}

export const COUNTERS = [
  'pro',
  'pas',
  'det',
  'sat',
  'csatN',
  'cesSum',
  'cesN',
  'kept',
  'due',
  'purchasers',
  'repeaters',
  'active',
  'churned',
] as const;
type Counter = (typeof COUNTERS)[number];

/** Values of one bucket list, ordered by bucket (group × periods + period). */
export interface Bucketed {
  values: Float64Array;
  offsets: Int32Array;
}

/** Every KPI counter by group × period, and the range-wide repeat and churn counts by group. */
export interface KpiCube {
  periods: number;
  names: Array<string | null>;
  counters: Record<Counter, Float64Array>;
  firstResponse: Bucketed;
  resolution: Bucketed;
  range: { purchasers: Float64Array; repeaters: Float64Array; active: Float64Array; churned: Float64Array };
}

function bucketed(
  periods: Int32Array,
  groups: Int32Array,
  values: readonly number[],
  w: KpiWindow,
  size: number,
): Bucketed {
  const P = w.p1 - w.p0 + 1;
  const offsets = new Int32Array(size + 1);
  for (let i = 0; i < periods.length; i++) {
    const rel = periods[i]! - w.p0;
    if (rel >= 0 && rel < P) offsets[groups[i]! * P + rel + 1]!++;
  }
  for (let b = 0; b < size; b++) offsets[b + 1]! += offsets[b]!;
  const fill = offsets.slice(0, size);
  const out = new Float64Array(offsets[size]!);
  for (let i = 0; i < periods.length; i++) {
    const rel = periods[i]! - w.p0;
    if (rel >= 0 && rel < P) out[fill[groups[i]! * P + rel]!++] = values[i]!;
  }
  // Each bucket sorted once: one bucket's quantiles read it in place.
  for (let b = 0; b < size; b++)
    if (offsets[b + 1]! - offsets[b]! > 1) out.subarray(offsets[b]!, offsets[b + 1]!).sort();
  return { values: out, offsets };
}

/** One pass over each record list: the cube of the window, grouped by `by`. */
export function kpiCube(
  table: KpiFactTable,
  r: KpiRecords,
  w: KpiWindow,
  by: KpiDimension | null,
  external?: { key: string; values: CustomerValues },
): KpiCube {
  const pi = periodIndex(r, w.kind);
  const gi = groupIndex(r, table, by, external);
  const P = w.p1 - w.p0 + 1;
  const G = gi.names.length;
  const size = P * G;
  const c = Object.fromEntries(COUNTERS.map((k) => [k, new Float64Array(size)])) as Record<Counter, Float64Array>;
  const { score: scores, kind: kinds } = r.surveys;
  const { pro, pas, det, csatN, sat, cesN, cesSum, due, kept } = c;
  const surveyPeriods = pi.surveys;
  const surveyGroups = gi.surveys;
  const p0 = w.p0;
  for (let i = 0; i < scores.length; i++) {
    const rel = surveyPeriods[i]! - p0;
    if (rel < 0 || rel >= P) continue;
    const b = surveyGroups[i]! * P + rel;
    const score = scores[i]!;
    const kind = kinds[i];
    if (kind === SURVEY_NPS) {
      if (score >= 9) pro[b]!++;
      else if (score >= 7) pas[b]!++;
      else det[b]!++;
    } else if (kind === SURVEY_CSAT) {
      csatN[b]!++;
      if (score >= 4) sat[b]!++;
    } else if (kind === SURVEY_CES) {
      cesN[b]!++;
      cesSum[b]! += score;
    }
  }
  const { t: dues, kept: keptFlags } = r.promises;
  const promisePeriods = pi.promises;
  const promiseGroups = gi.promises;
  for (let i = 0; i < dues.length; i++) {
    const rel = promisePeriods[i]! - p0;
    // A promise counts once its due date has come.
    if (rel < 0 || rel >= P || dues[i]! > w.asOfMs) continue;
    const b = promiseGroups[i]! * P + rel;
    due[b]!++;
    kept[b]! += keptFlags[i]!;
  }
  const range = {
    purchasers: new Float64Array(G),
    repeaters: new Float64Array(G),
    active: new Float64Array(G),
    churned: new Float64Array(G),
  };
  purchases(r, w, pi, gi.purchases, c, range);
  return {
    periods: P,
    names: gi.names,
    counters: c,
    firstResponse: bucketed(pi.firstResponse, gi.firstResponse, r.firstResponse.hours, w, size),
    resolution: bucketed(pi.resolution, gi.resolution, r.resolution.hours, w, size),
    range,
  };
}

/**
 * Repeat purchase and churn. Per period: a purchase that is its customer's first in the period makes a
 * purchaser, a repeater when the customer bought before or again in the period. Active-at-start counts
 * are spread over periods with a difference array; a lapse falls in one period. Over the range: the
 * same rules with the range as one period, customer by customer.
 */
function purchases(
  r: KpiRecords,
  w: KpiWindow,
  pi: ReturnType<typeof periodIndex>,
  groups: Int32Array,
  c: Record<Counter, Float64Array>,
  range: KpiCube['range'],
): void {
  const ch = churnIndex(r, w.kind, w.churnDays);
  const P = w.p1 - w.p0 + 1;
  const G = range.active.length;
  const diff = new Float64Array((P + 1) * G);
  const { t, cust } = r.purchases;
  const n = t.length;
  const rangeStart = w.p0;
  for (let i = 0; i < n; i++) {
    const g = groups[i]!;
    const q = pi.purchases[i]!;
    const rel = q - w.p0;
    const prev = pi.prevPurchase[i]!;
    const next = pi.nextPurchase[i]!;
    if (rel >= 0 && rel < P && prev < q) {
      const b = g * P + rel;
      c.purchasers[b]!++;
      if (prev !== NO_PREVIOUS || next === q) c.repeaters[b]!++;
    }
    if (rel >= 0 && rel < P && prev < rangeStart) {
      range.purchasers[g]!++;
      if (prev !== NO_PREVIOUS || next <= w.p1) range.repeaters[g]!++;
    }
    const a = Math.max(ch.activeFirst[i]!, w.p0);
    const z = Math.min(ch.activeLast[i]!, w.p1);
    if (a <= z) {
      diff[g * (P + 1) + a - w.p0]!++;
      diff[g * (P + 1) + z - w.p0 + 1]!--;
    }
    const lapse = ch.lapsePeriod[i]!;
    if (lapse >= w.p0 && lapse <= w.p1) {
      // Churned: active at the period's start, not at its end: lapsed by then and no purchase since.
      const end = lapse < w.p1 ? periodNumberStart(w.kind, lapse + 1) : w.lastEnd;
      if (ch.lapseAt[i]! <= end && ch.nextAt[i]! >= end) c.churned[g * P + lapse - w.p0]!++;
    }
  }
  for (let g = 0; g < G; g++) {
    let running = 0;
    for (let p = 0; p < P; p++) {
      running += diff[g * (P + 1) + p]!;
      c.active[g * P + p] = running;
    }
  }
  // Over the range: active at its start through purchase i, and inactive at its end.
  let i = 0;
  while (i < n) {
    const customer = cust[i]!;
    let activeGroup = -1;
    let last = -1;
    for (; i < n && cust[i] === customer; i++) {
      if (ch.activeFirst[i]! <= w.p0 && w.p0 <= ch.activeLast[i]!) activeGroup = groups[i]!;
      if (pi.purchases[i]! <= w.p1) last = i;
    }
    if (activeGroup < 0) continue;
    range.active[activeGroup]!++;
    if (last >= 0 && t[last]! + w.churnDays * DAY_MS <= w.lastEnd) range.churned[activeGroup]!++;
  }
}

/** Quantile with linear interpolation between closest ranks (R type 7) of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

const round = (x: number | null, digits = 4): number | null =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (num: number, den: number): number | null => (den === 0 ? null : round(num / den));

export function npsOf(pro: number, pas: number, det: number): NpsValue {
  const responses = pro + pas + det;
  return {
    score: responses === 0 ? null : round((100 * (pro - det)) / responses, 2),
    promoters: pro,
    passives: pas,
    detractors: det,
    responses,
  };
}

export const csatOf = (sat: number, responses: number): KpiValues['csat'] => ({
  score: responses === 0 ? null : round((100 * sat) / responses, 2),
  satisfied: sat,
  responses,
});

/** The k-th smallest of `xs` (reordering it): Hoare's selection, expected linear time. */
function select(xs: Float64Array, k: number, from = 0): number {
  let lo = from;
  let hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const x = xs[i]!;
        xs[i++] = xs[j]!;
        xs[j--] = x;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return xs[k]!;
  }
  return xs[k]!;
}

/** Quantile (R type 7) of unsorted values, by selection: the buckets are sorted, their unions are not. */
function selectQuantile(xs: Float64Array, q: number): number | null {
  if (xs.length === 0) return null;
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  const a = select(xs, lo);
  if (lo + 1 >= xs.length || h === lo) return a;
  // The next rank is the least of what selection left above `lo`.
  let b = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < xs.length; i++) if (xs[i]! < b) b = xs[i]!;
  return a + (h - lo) * (b - a);
}

function hours(b: Bucketed, buckets: readonly number[]): KpiValues['firstResponseHours'] {
  let n = 0;
  let only = -1;
  for (const k of buckets) {
    const size = b.offsets[k + 1]! - b.offsets[k]!;
    if (size > 0) only = n === 0 ? k : -2;
    n += size;
  }
  if (n === 0) return { median: null, p90: null, count: 0 };
  if (only >= 0) {
    const sorted = b.values.subarray(b.offsets[only]!, b.offsets[only + 1]!);
    return { median: round(quantile(sorted, 0.5), 2), p90: round(quantile(sorted, 0.9), 2), count: n };
  }
  const xs = new Float64Array(n);
  let at = 0;
  for (const k of buckets) {
    xs.set(b.values.subarray(b.offsets[k]!, b.offsets[k + 1]!), at);
    at += b.offsets[k + 1]! - b.offsets[k]!;
  }
  const median = selectQuantile(xs, 0.5);
  return { median: round(median, 2), p90: round(selectQuantile(xs, 0.9), 2), count: n };
}

/**
 * The KPI values of a set of buckets (group × periods + period). `rangeGroups` gives the repeat and
 * churn counts over the range for those groups instead of summing periods (they count customers once).
 */
export function kpiValuesOf(cube: KpiCube, buckets: readonly number[], rangeGroups?: readonly number[]): KpiValues {
  const c = cube.counters;
  // One pass over the buckets for every counter: reports read thousands of buckets (periods × agents).
  let pro = 0;
  let pas = 0;
  let det = 0;
  let sat = 0;
  let csatN = 0;
  let cesSum = 0;
  let cesN = 0;
  let kept = 0;
  let due = 0;
  let purchasers = 0;
  let repeaters = 0;
  let active = 0;
  let churned = 0;
  for (const b of buckets) {
    pro += c.pro[b]!;
    pas += c.pas[b]!;
    det += c.det[b]!;
    sat += c.sat[b]!;
    csatN += c.csatN[b]!;
    cesSum += c.cesSum[b]!;
    cesN += c.cesN[b]!;
    kept += c.kept[b]!;
    due += c.due[b]!;
    purchasers += c.purchasers[b]!;
    repeaters += c.repeaters[b]!;
    active += c.active[b]!;
    churned += c.churned[b]!;
  }
  if (rangeGroups) {
    // Over the range, repeat and churn count each customer once: their own counts, not sums of periods.
    purchasers = repeaters = active = churned = 0;
    for (const g of rangeGroups) {
      purchasers += cube.range.purchasers[g]!;
      repeaters += cube.range.repeaters[g]!;
      active += cube.range.active[g]!;
      churned += cube.range.churned[g]!;
    }
  }
  return {
    nps: npsOf(pro, pas, det),
    csat: csatOf(sat, csatN),
    ces: { mean: cesN === 0 ? null : round(cesSum / cesN, 3), responses: cesN },
    firstResponseHours: hours(cube.firstResponse, buckets),
    resolutionHours: hours(cube.resolution, buckets),
    promiseKeptRate: { rate: ratio(kept, due), keptOnTime: kept, due },
    repeatPurchaseRate: { rate: ratio(repeaters, purchasers), repeaters, purchasers },
    churnRate: { rate: ratio(churned, active), churned, activeAtStart: active },
  };
}

/** Whether any counter or duration of the bucket is not zero (a group shows in a period only then). */
export function bucketHasData(cube: KpiCube, b: number): boolean {
  for (const k of COUNTERS) if (cube.counters[k][b] !== 0) return true;
  return (
    cube.firstResponse.offsets[b + 1] !== cube.firstResponse.offsets[b] ||
    cube.resolution.offsets[b + 1] !== cube.resolution.offsets[b]
  );
}
