import { AnalystQueryError } from '@rapport/projection-engine';
import type { KpiFactTable } from './kpi-fact-table';
import { bucketHasData, kpiValuesOf, type KpiValues, type KpiWindow } from './kpi-aggregate';
import type { CustomerValues } from './kpi-index';
import { windowCube } from './kpi-timeline';
import { asOfParams, intParam, KPI_DIMENSIONS, oneOf, rejectUnknown, timeParam, type KpiDimension } from './kpi-params';
import { periodName, periodNumber, periodNumberStart, type PeriodKind } from './kpi-periods';
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
/** Longer than any month, so a lapse never falls in the period of the purchase before it. */
export const MIN_CHURN_DAYS = 32;
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
    churnDays: intParam(params, 'churnDays', MIN_CHURN_DAYS, 730, 180),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Tier or stage of each customer (table index) from a scoring run, interned in the table. */
export interface ExternalDimension {
  run: string;
  values: CustomerValues;
}

/**
 * The KPI report from derived records (as of the query's times). Periods are whole calendar periods,
 * from the one holding `from` to the one holding `to`; the one holding the as-of ends at the as-of.
 */
export function kpiReport(table: KpiFactTable, r: KpiRecords, q: KpiQuery, external?: ExternalDimension): KpiReport {
  const toMs = Math.min(q.toMs ?? q.asOfMs, q.asOfMs);
  const p1 = periodNumber(q.period, toMs);
  const p0 = q.fromMs === undefined ? p1 - 11 : periodNumber(q.period, q.fromMs);
  const P = p1 - p0 + 1;
  if (P > MAX_PERIODS) throw new AnalystQueryError('from', `gives ${P} periods; at most ${MAX_PERIODS}`);
  const lastEnd = Math.min(periodNumberStart(q.period, p1 + 1), q.asOfMs + 1);
  const w: KpiWindow = { kind: q.period, p0, p1, lastEnd, asOfMs: q.asOfMs, churnDays: q.churnDays };
  const cube = windowCube(table, r, w, q.by, external && { key: external.run, values: external.values });
  const G = cube.names.length;
  const all = Array.from({ length: G }, (_, g) => g);
  const name = (g: number): string => cube.names[g] ?? NONE_KEY;
  const periodEnd = (rel: number): number =>
    rel === P - 1 ? Math.min(periodNumberStart(q.period, p1 + 1), q.asOfMs) : periodNumberStart(q.period, p0 + rel + 1);
  const report: KpiReport = {
    asOf: iso(q.asOfMs),
    knownAt: q.knownAtMs === undefined ? null : iso(q.knownAtMs),
    period: q.period,
    by: q.by,
    churnDays: q.churnDays,
    from: iso(periodNumberStart(q.period, p0)),
    to: iso(periodEnd(P - 1)),
    scoringRun: q.by === 'tier' || q.by === 'stage' ? (external?.run ?? null) : null,
    totals: kpiValuesOf(
      cube,
      all.flatMap((g) => Array.from({ length: P }, (_, rel) => g * P + rel)),
      all,
    ),
    periods: Array.from({ length: P }, (_, rel) => {
      const start = periodNumberStart(q.period, p0 + rel);
      return {
        period: periodName(q.period, start),
        start: iso(start),
        end: iso(periodEnd(rel)),
        values: kpiValuesOf(
          cube,
          all.map((g) => g * P + rel),
        ),
      };
    }),
  };
  if (q.by === null) return report;
  const byKey = (a: KpiGroup, b: KpiGroup): number => a.key.localeCompare(b.key);
  report.periods.forEach((row, rel) => {
    row.groups = all
      .filter((g) => bucketHasData(cube, g * P + rel))
      .map((g) => ({ key: name(g), values: kpiValuesOf(cube, [g * P + rel]) }))
      .sort(byKey);
  });
  report.groups = all
    .map((g) => ({
      key: name(g),
      values: kpiValuesOf(
        cube,
        Array.from({ length: P }, (_, rel) => g * P + rel),
        [g],
      ),
    }))
    .sort(byKey);
  return report;
}
