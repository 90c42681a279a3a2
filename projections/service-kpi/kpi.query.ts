import { AnalystQueryError } from '../analytics/analyst-query-error';
import type { KpiFactTable } from './kpi-fact-table';
import { aggregateKpis, kpiValues, NO_GROUP, type GroupOf, type Grid, type KpiValues } from './kpi-aggregate';
import { asOfParams, intParam, KPI_DIMENSIONS, oneOf, rejectUnknown, timeParam, type KpiDimension } from './kpi-params';
import { lastPeriods, periodsBetween, type PeriodKind } from './kpi-periods';
import type { KpiRecords } from './kpi-records';

export interface KpiGroup {
  key: string;
  values: KpiValues;
}
export interface KpiPeriodRow {
  period: string;
  start: string;
  end: string;
  values: KpiValues;
  groups?: KpiGroup[];
}

/** What `GET /analytics/kpis` answers. */
export interface KpiReport {
  asOf: string;
  knownAt: string | null;
  period: PeriodKind;
  by: KpiDimension | null;
  churnDays: number;
  from: string;
  to: string;
  /** The scoring run that gave tiers and stages (by=tier|stage), else null. */
  scoringRun: string | null;
  totals: KpiValues;
  periods: KpiPeriodRow[];
  groups?: KpiGroup[];
}

export interface KpiQuery {
  asOfMs: number;
  knownAtMs: number | undefined;
  period: PeriodKind;
  by: KpiDimension | null;
  fromMs: number | undefined;
  toMs: number | undefined;
  churnDays: number;
}

const KNOWN = ['asOf', 'knownAt', 'period', 'by', 'from', 'to', 'churnDays'];
export const MAX_PERIODS = 260;
export const NONE_KEY = '(none)';

export function parseKpiQuery(params: Record<string, unknown>, nowMs: number): KpiQuery {
  rejectUnknown(params, KNOWN);
  const { asOfMs, knownAtMs } = asOfParams(params, nowMs);
  const fromMs = timeParam(params, 'from');
  const toMs = timeParam(params, 'to');
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
    throw new AnalystQueryError('to', 'must not be before from');
  if (fromMs !== undefined && fromMs > asOfMs) throw new AnalystQueryError('from', 'must not be after asOf');
  return {
    asOfMs,
    knownAtMs,
    period: oneOf(params, 'period', ['week', 'month'] as const, 'month')!,
    by: oneOf(params, 'by', KPI_DIMENSIONS, undefined) ?? null,
    fromMs,
    toMs,
    churnDays: intParam(params, 'churnDays', 30, 730, 180),
  };
}

/** Customer index → interned group key for a customer-level dimension. */
export type CustomerDimension = (cust: number) => number;

/**
 * The group function of a dimension. Region, city and acquisition channel are the customer's as of
 * the query; channel and agent are the record's own; tier and stage come from `external` (a scoring run).
 */
export function groupOfDimension(r: KpiRecords, by: KpiDimension | null, external?: CustomerDimension): GroupOf {
  switch (by) {
    case null:
      return NO_GROUP;
    case 'region':
      return (c) => r.region[c]!;
    case 'city':
      return (c) => r.city[c]!;
    case 'acquisitionChannel':
      return (c) => r.acquisition[c]!;
    case 'channel':
      return (_c, channel) => channel;
    case 'agent':
      return (_c, _channel, agent) => agent;
    case 'tier':
    case 'stage':
      if (external === undefined) throw new Error(`by=${by} needs the scoring run's values`);
      return external;
    default: {
      const exhaustive: never = by;
      throw new Error(`unknown dimension ${String(exhaustive)}`);
    }
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The KPI report from derived records (as of the query's times) and the table's interned names. */
export function kpiReport(
  table: KpiFactTable,
  r: KpiRecords,
  q: KpiQuery,
  external?: { dimension: CustomerDimension; run: string },
): KpiReport {
  const toMs = Math.min(q.toMs ?? q.asOfMs, q.asOfMs);
  const periods = q.fromMs === undefined ? lastPeriods(q.period, toMs, 12) : periodsBetween(q.period, q.fromMs, toMs);
  if (periods.length > MAX_PERIODS)
    throw new AnalystQueryError('from', `gives ${periods.length} periods; at most ${MAX_PERIODS}`);
  const fromMs = q.fromMs ?? periods[0]!.start;
  const clip = (end: number): number => Math.min(end, toMs + 1);
  const grid: Grid = { starts: periods.map((p) => Math.max(p.start, fromMs)), ends: periods.map((p) => clip(p.end)) };
  const range: Grid = { starts: [fromMs], ends: [toMs + 1] };
  const name = (g: number): string => (g < 0 ? NONE_KEY : (table.strings.name(g) ?? NONE_KEY));
  const groupOf = groupOfDimension(r, q.by, external?.dimension);
  const perPeriod = aggregateKpis(r, grid, NO_GROUP, q.churnDays);
  const total = aggregateKpis(r, range, NO_GROUP, q.churnDays);
  const report: KpiReport = {
    asOf: iso(q.asOfMs),
    knownAt: q.knownAtMs === undefined ? null : iso(q.knownAtMs),
    period: q.period,
    by: q.by,
    churnDays: q.churnDays,
    from: iso(fromMs),
    to: iso(toMs),
    scoringRun: q.by === 'tier' || q.by === 'stage' ? (external?.run ?? null) : null,
    totals: kpiValues(total.get('0:-1')),
    periods: periods.map((p, i) => ({
      period: p.name,
      start: iso(grid.starts[i]!),
      end: iso(grid.ends[i]!),
      values: kpiValues(perPeriod.get(`${i}:-1`)),
    })),
  };
  if (q.by === null) return report;
  const grouped = aggregateKpis(r, grid, groupOf, q.churnDays);
  const groupedTotal = aggregateKpis(r, range, groupOf, q.churnDays);
  const groupsOf = (buckets: typeof grouped, period: number): KpiGroup[] =>
    [...buckets.entries()]
      .filter(([key]) => key.startsWith(`${period}:`))
      .map(([key, a]) => ({ key: name(Number(key.slice(key.indexOf(':') + 1))), values: kpiValues(a) }))
      .sort((x, y) => x.key.localeCompare(y.key));
  report.periods.forEach((row, i) => (row.groups = groupsOf(grouped, i)));
  report.groups = groupsOf(groupedTotal, 0);
  return report;
}
