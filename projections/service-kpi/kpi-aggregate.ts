import { periodIndex } from './kpi-periods';
import { SURVEY_CES, SURVEY_CSAT, SURVEY_NPS, type KpiRecords } from './kpi-records';

const DAY = 86_400_000;

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

/** Running sums of one bucket (period × group). */
export interface KpiAcc {
  pro: number;
  pas: number;
  det: number;
  sat: number;
  csatN: number;
  cesSum: number;
  cesN: number;
  fr: number[];
  res: number[];
  kept: number;
  due: number;
  purchasers: number;
  repeaters: number;
  churned: number;
  active: number;
}
const emptyAcc = (): KpiAcc => ({
  pro: 0,
  pas: 0,
  det: 0,
  sat: 0,
  csatN: 0,
  cesSum: 0,
  cesN: 0,
  fr: [],
  res: [],
  kept: 0,
  due: 0,
  purchasers: 0,
  repeaters: 0,
  churned: 0,
  active: 0,
});

/** The group of a record: customer, the record's channel and agent → interned key, -1 for "(none)". */
export type GroupOf = (cust: number, channel: number, agent: number) => number;
export const NO_GROUP: GroupOf = () => -1;

export interface Grid {
  starts: number[];
  /** Exclusive; the last is at most as-of + 1 ms. */
  ends: number[];
}

/** Buckets keyed `period:group`. */
export type Buckets = Map<string, KpiAcc>;

const acc = (buckets: Buckets, period: number, group: number): KpiAcc => {
  const key = `${period}:${group}`;
  let a = buckets.get(key);
  if (a === undefined) buckets.set(key, (a = emptyAcc()));
  return a;
};

/** Sums every KPI over `grid`, by the group `groupOf` gives each record. */
export function aggregateKpis(r: KpiRecords, grid: Grid, groupOf: GroupOf, churnDays: number): Buckets {
  const b: Buckets = new Map();
  const { starts, ends } = grid;
  const s = r.surveys;
  for (let i = 0; i < s.t.length; i++) {
    const p = periodIndex(starts, ends, s.t[i]!);
    if (p < 0) continue;
    const a = acc(b, p, groupOf(s.cust[i]!, s.channel[i]!, s.agent[i]!));
    const score = s.score[i]!;
    if (s.kind[i] === SURVEY_NPS) {
      if (score >= 9) a.pro++;
      else if (score >= 7) a.pas++;
      else a.det++;
    } else if (s.kind[i] === SURVEY_CSAT) {
      a.csatN++;
      if (score >= 4) a.sat++;
    } else if (s.kind[i] === SURVEY_CES) {
      a.cesN++;
      a.cesSum += score;
    }
  }
  for (const [list, into] of [
    [r.firstResponse, 'fr'],
    [r.resolution, 'res'],
  ] as const) {
    for (let i = 0; i < list.t.length; i++) {
      const p = periodIndex(starts, ends, list.t[i]!);
      if (p >= 0) acc(b, p, groupOf(list.cust[i]!, list.channel[i]!, list.agent[i]!))[into].push(list.hours[i]!);
    }
  }
  const pr = r.promises;
  for (let i = 0; i < pr.t.length; i++) {
    const p = periodIndex(starts, ends, pr.t[i]!);
    if (p < 0) continue;
    const a = acc(b, p, groupOf(pr.cust[i]!, pr.channel[i]!, pr.agent[i]!));
    a.due++;
    a.kept += pr.kept[i]!;
  }
  purchaseKpis(r, grid, groupOf, churnDays * DAY, b);
  return b;
}

/**
 * Repeat purchase and churn, customer by customer over its time-ordered purchases. Repeat: customers
 * with a purchase in the period, and of them those with at least two purchases by its end. Churn: a
 * customer is active at x when its last purchase before x is less than `churnMs` before x; churned in
 * a period when active at its start and not at its end.
 */
function purchaseKpis(r: KpiRecords, grid: Grid, groupOf: GroupOf, churnMs: number, b: Buckets): void {
  const { t, cust, channel, agent } = r.purchases;
  const n = grid.starts.length;
  let i = 0;
  while (i < t.length) {
    const c = cust[i]!;
    let j = i;
    while (j < t.length && cust[j] === c) j++;
    // Purchases i..j-1 of customer c, in time order.
    let k = i; // first purchase at or after the period start
    for (let p = 0; p < n; p++) {
      const start = grid.starts[p]!;
      const end = grid.ends[p]!;
      while (k < j && t[k]! < start) k++;
      const before = k - i; // purchases before the period
      let m = k;
      while (m < j && t[m]! < end) m++;
      const inPeriod = m - k;
      if (inPeriod > 0) {
        const a = acc(b, p, groupOf(c, channel[k]!, agent[k]!));
        a.purchasers++;
        if (before + inPeriod >= 2) a.repeaters++;
      }
      if (before > 0 && t[k - 1]! + churnMs > start) {
        const last = m > i ? t[m - 1]! : Number.NEGATIVE_INFINITY;
        const a = acc(b, p, groupOf(c, channel[k - 1]!, agent[k - 1]!));
        a.active++;
        if (last + churnMs <= end) a.churned++;
      }
    }
    i = j;
  }
}

/** Quantile with linear interpolation between closest ranks (R type 7) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number | null {
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

function hours(values: number[]): KpiValues['firstResponseHours'] {
  const sorted = values.slice().sort((x, y) => x - y);
  return { median: round(quantile(sorted, 0.5), 2), p90: round(quantile(sorted, 0.9), 2), count: sorted.length };
}

export function kpiValues(a: KpiAcc | undefined): KpiValues {
  const x = a ?? emptyAcc();
  return {
    nps: npsOf(x.pro, x.pas, x.det),
    csat: csatOf(x.sat, x.csatN),
    ces: { mean: x.cesN === 0 ? null : round(x.cesSum / x.cesN, 3), responses: x.cesN },
    firstResponseHours: hours(x.fr),
    resolutionHours: hours(x.res),
    promiseKeptRate: { rate: ratio(x.kept, x.due), keptOnTime: x.kept, due: x.due },
    repeatPurchaseRate: { rate: ratio(x.repeaters, x.purchasers), repeaters: x.repeaters, purchasers: x.purchasers },
    churnRate: { rate: ratio(x.churned, x.active), churned: x.churned, activeAtStart: x.active },
  };
}
