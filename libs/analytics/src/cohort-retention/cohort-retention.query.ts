import { AnalystQueryError } from '@rapport/projection-engine';
import { asOfParams, intParam, oneOf, rejectUnknown, timeParam } from '@rapport/projections/service-kpi/kpi-params';
import { periodIndex } from '@rapport/projections/service-kpi/kpi-index';
import { periodNumber } from '@rapport/projections/service-kpi/kpi-periods';
import type { KpiRecords } from '@rapport/projections/service-kpi/kpi-records';

// Cohort retention over the service-kpi facts: a customer's cohort is the UTC month of its first
// purchase; it is active k months later when it bought in that calendar month.

export const COHORT_METRICS = ['customers', 'revenue'] as const;
export type CohortMetric = (typeof COHORT_METRICS)[number];

export interface CohortCell {
  monthsSince: number;
  /** Customers of the cohort with a purchase in that month. */
  active: number;
  /** active / cohort size. */
  retention: number;
  /** Net revenue of the cohort in that month (purchases less refunds that occurred in it). */
  revenue: number;
  /** revenue / revenue of month 0; null when month 0 nets to 0 or less. */
  revenueRetained: number | null;
  /** The chosen metric: retention or revenueRetained. */
  value: number | null;
}
export interface CohortRow {
  cohort: string;
  size: number;
  revenue0: number;
  cells: CohortCell[];
}
/** What `GET /analytics/cohorts` answers. */
export interface CohortReport {
  asOf: string;
  knownAt: string | null;
  metric: CohortMetric;
  cohorts: CohortRow[];
  maxMonthsSince: number;
}

export interface CohortQuery {
  asOfMs: number;
  knownAtMs: number | undefined;
  metric: CohortMetric;
  fromMs: number | undefined;
  toMs: number | undefined;
  months: number;
}

export function parseCohortQuery(params: Record<string, unknown>, nowMs: number): CohortQuery {
  rejectUnknown(params, ['asOf', 'knownAt', 'metric', 'from', 'to', 'months']);
  const { asOfMs, knownAtMs } = asOfParams(params, nowMs);
  const fromMs = timeParam(params, 'from', true);
  const toMs = timeParam(params, 'to', true);
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
    throw new AnalystQueryError('to', 'must not be before from');
  return {
    asOfMs,
    knownAtMs,
    metric: oneOf(params, 'metric', COHORT_METRICS, 'customers')!,
    fromMs,
    toMs,
    months: intParam(params, 'months', 1, 120, 120),
  };
}

/** Months since year 0: a month index that subtracts. */
const monthIndex = (ms: number): number => periodNumber('month', ms);
const monthName = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface Acc {
  size: number;
  active: number[];
  revenue: number[];
}

const tables = new WeakMap<KpiRecords, Map<number, Map<number, Acc>>>();

/** Cohort month → counts by months since, up to `asOfMonth`; kept per records and month (the table of "now" is read often). */
function cohortTable(r: KpiRecords, asOfMonth: number): Map<number, Acc> {
  const kept = tables.get(r) ?? new Map<number, Map<number, Acc>>();
  tables.set(r, kept);
  let cohorts = kept.get(asOfMonth);
  if (cohorts !== undefined) return cohorts;
  cohorts = new Map<number, Acc>();
  const months = periodIndex(r, 'month').purchases;
  const cohortOf = new Map<number, number>();
  const { cust, amount } = r.purchases;
  const n = cust.length;
  let i = 0;
  while (i < n) {
    const c = cust[i]!;
    const cohort = months[i]!;
    let a = cohorts.get(cohort);
    if (a === undefined) {
      const width = Math.max(asOfMonth - cohort + 1, 1);
      cohorts.set(
        cohort,
        (a = { size: 0, active: new Array<number>(width).fill(0), revenue: new Array<number>(width).fill(0) }),
      );
    }
    cohortOf.set(c, cohort);
    a.size++;
    let lastK = -1;
    for (; i < n && cust[i] === c; i++) {
      const k = months[i]! - cohort;
      if (k !== lastK) {
        a.active[k]!++;
        lastK = k;
      }
      a.revenue[k]! += amount[i]!;
    }
  }
  for (let j = 0; j < r.refunds.t.length; j++) {
    const cohort = cohortOf.get(r.refunds.cust[j]!);
    if (cohort === undefined) continue;
    const k = periodNumber('month', r.refunds.t[j]!) - cohort;
    const a = cohorts.get(cohort)!;
    if (k >= 0 && k < a.revenue.length) a.revenue[k]! -= r.refunds.amount[j]!;
  }
  if (kept.size >= 4) kept.delete(kept.keys().next().value as number);
  kept.set(asOfMonth, cohorts);
  return cohorts;
}

export function cohortReport(r: KpiRecords, q: CohortQuery): CohortReport {
  const cohorts = cohortTable(r, monthIndex(q.asOfMs));
  const from = q.fromMs === undefined ? Number.NEGATIVE_INFINITY : monthIndex(q.fromMs);
  const to = q.toMs === undefined ? Number.POSITIVE_INFINITY : monthIndex(q.toMs);
  const rows: CohortRow[] = [...cohorts.entries()]
    .filter(([m]) => m >= from && m <= to)
    .sort((x, y) => x[0] - y[0])
    .map(([m, a]) => {
      const revenue0 = round(a.revenue[0]!, 2);
      const cells = a.active.slice(0, q.months).map((active, k): CohortCell => {
        const retention = round(active / a.size, 4);
        const revenue = round(a.revenue[k]!, 2);
        const revenueRetained = revenue0 > 0 ? round(revenue / revenue0, 4) : null;
        return {
          monthsSince: k,
          active,
          retention,
          revenue,
          revenueRetained,
          value: q.metric === 'customers' ? retention : revenueRetained,
        };
      });
      return { cohort: monthName(m), size: a.size, revenue0, cells };
    });
  return {
    asOf: new Date(q.asOfMs).toISOString(),
    knownAt: q.knownAtMs === undefined ? null : new Date(q.knownAtMs).toISOString(),
    metric: q.metric,
    cohorts: rows,
    maxMonthsSince: rows.reduce((m, row) => Math.max(m, row.cells.length - 1), 0),
  };
}
