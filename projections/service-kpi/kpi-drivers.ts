import { AnalystQueryError } from '@rapport/projection-engine';
import { csatOf, npsOf, type KpiValues, type NpsValue } from './kpi-aggregate';
import { asOfParams, intParam, rejectUnknown, timeParam } from './kpi-params';
import { periodNumber, periodNumberStart } from './kpi-periods';
import { DRIVERS, SURVEY_CSAT, SURVEY_NPS, type Driver, type KpiRecords } from './kpi-records';
import { DAY_MS } from '@rapport/domain';

export interface DriverSide {
  nps: NpsValue;
  csat: KpiValues['csat'];
  /** Distinct customers whose answers are on this side. */
  customers: number;
}
export interface DriverRow {
  driver: Driver;
  with: DriverSide;
  without: DriverSide;
  /** with − without: NPS points and CSAT percentage points; null when a side has no answer. */
  difference: { nps: number | null; csat: number | null };
}
/** What `GET /analytics/kpis/drivers` answers. */
export interface DriversReport {
  asOf: string;
  knownAt: string | null;
  from: string;
  to: string;
  windowDays: number;
  drivers: DriverRow[];
}

export interface DriversQuery {
  asOfMs: number;
  knownAtMs: number | undefined;
  fromMs: number;
  toMs: number;
  windowDays: number;
}

export function parseDriversQuery(params: Record<string, unknown>, nowMs: number): DriversQuery {
  rejectUnknown(params, ['asOf', 'knownAt', 'from', 'to', 'windowDays']);
  const { asOfMs, knownAtMs } = asOfParams(params, nowMs);
  const toMs = Math.min(timeParam(params, 'to') ?? asOfMs, asOfMs);
  // Default: the 12 calendar months up to `to` (whole months, so "now" asks the same range all month).
  const fromMs = timeParam(params, 'from') ?? periodNumberStart('month', periodNumber('month', toMs) - 11);
  if (fromMs > toMs) throw new AnalystQueryError('from', 'must not be after to (nor after asOf)');
  return { asOfMs, knownAtMs, fromMs, toMs, windowDays: intParam(params, 'windowDays', 1, 365, 30) };
}

interface Side {
  pro: number;
  pas: number;
  det: number;
  sat: number;
  csatN: number;
  customers: number;
}
const side = (): Side => ({ pro: 0, pas: 0, det: 0, sat: 0, csatN: 0, customers: 0 });

const flagsCache = new WeakMap<KpiRecords, Map<number, Uint8Array>>();

/** Per survey answer, a bit per driver (1 << index in DRIVERS) the customer had in the window before it. */
export function driverFlags(r: KpiRecords, windowDays: number): Uint8Array {
  const cached = flagsCache.get(r) ?? new Map<number, Uint8Array>();
  flagsCache.set(r, cached);
  let flags = cached.get(windowDays);
  if (flags !== undefined) return flags;
  const windowMs = windowDays * DAY_MS;
  const s = r.surveys;
  const d = r.drivers;
  flags = new Uint8Array(s.t.length);
  // Both lists run customer by customer; drivers are time ordered within a customer.
  let j = 0;
  for (let i = 0; i < s.t.length; i++) {
    const c = s.cust[i]!;
    while (j < d.cust.length && d.cust[j]! < c) j++;
    const t = s.t[i]!;
    let bits = 0;
    for (let k = j; k < d.cust.length && d.cust[k] === c; k++) {
      const at = d.t[k]!;
      if (at > t) break;
      if (at > t - windowMs) bits |= 1 << d.driver[k]!;
    }
    flags[i] = bits;
  }
  cached.set(windowDays, flags);
  return flags;
}

/**
 * Each NPS or CSAT answer in from..to counts "with" a driver when the customer had that driver event
 * in the `windowDays` before the answer (up to and including its moment), else "without".
 */
export function driversReport(r: KpiRecords, q: DriversQuery): DriversReport {
  // Answers exist only up to the latest one: a `to` after it asks what `to` at it asks.
  const s = r.surveys;
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < s.t.length; i++) if (s.t[i]! > latest) latest = s.t[i]!;
  const key = `${q.windowDays}:${q.fromMs}:${Math.min(q.toMs, latest)}`;
  const kept = reports.get(r) ?? new Map<string, DriverRow[]>();
  reports.set(r, kept);
  let drivers = kept.get(key);
  if (drivers === undefined) {
    drivers = driverRows(r, q);
    if (kept.size >= 8) kept.delete(kept.keys().next().value as string);
    kept.set(key, drivers);
  }
  return {
    asOf: new Date(q.asOfMs).toISOString(),
    knownAt: q.knownAtMs === undefined ? null : new Date(q.knownAtMs).toISOString(),
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
    windowDays: q.windowDays,
    drivers,
  };
}

const reports = new WeakMap<KpiRecords, Map<string, DriverRow[]>>();

function driverRows(r: KpiRecords, q: DriversQuery): DriverRow[] {
  const flags = driverFlags(r, q.windowDays);
  const sides = DRIVERS.map(() => ({ with: side(), without: side() }));
  // Per side, customers already counted (marked with their own index): distinct customers without a set.
  const seen = DRIVERS.map(() => [new Int32Array(r.region.length).fill(-1), new Int32Array(r.region.length).fill(-1)]);
  const s = r.surveys;
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i]!;
    const kind = s.kind[i]!;
    if (t < q.fromMs || t > q.toMs || (kind !== SURVEY_NPS && kind !== SURVEY_CSAT)) continue;
    const c = s.cust[i]!;
    const score = s.score[i]!;
    for (let d = 0; d < DRIVERS.length; d++) {
      const had = (flags[i]! >> d) & 1;
      const x = had ? sides[d]!.with : sides[d]!.without;
      const marks = seen[d]![had]!;
      if (marks[c] !== c) {
        marks[c] = c;
        x.customers++;
      }
      if (kind === SURVEY_NPS) {
        if (score >= 9) x.pro++;
        else if (score >= 7) x.pas++;
        else x.det++;
      } else {
        x.csatN++;
        if (score >= 4) x.sat++;
      }
    }
  }
  const view = (x: Side): DriverSide => ({
    nps: npsOf(x.pro, x.pas, x.det),
    csat: csatOf(x.sat, x.csatN),
    customers: x.customers,
  });
  const diff = (a: number | null, b: number | null): number | null =>
    a === null || b === null ? null : Math.round((a - b) * 100) / 100;
  return DRIVERS.map((driver, d) => {
    const w = view(sides[d]!.with);
    const wo = view(sides[d]!.without);
    return {
      driver,
      with: w,
      without: wo,
      difference: { nps: diff(w.nps.score, wo.nps.score), csat: diff(w.csat.score, wo.csat.score) },
    };
  });
}
