import { AnalystQueryError } from '../analytics/analyst-query-error';
import { csatOf, npsOf, type KpiValues, type NpsValue } from './kpi-aggregate';
import { asOfParams, intParam, rejectUnknown, timeParam } from './kpi-params';
import { DRIVERS, SURVEY_CSAT, SURVEY_NPS, type Driver, type KpiRecords } from './kpi-records';

const DAY = 86_400_000;

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
  const from = new Date(toMs);
  const fromMs =
    timeParam(params, 'from') ?? Date.UTC(from.getUTCFullYear() - 1, from.getUTCMonth(), from.getUTCDate());
  if (fromMs > toMs) throw new AnalystQueryError('from', 'must not be after to (nor after asOf)');
  return { asOfMs, knownAtMs, fromMs, toMs, windowDays: intParam(params, 'windowDays', 1, 365, 30) };
}

interface Side {
  pro: number;
  pas: number;
  det: number;
  sat: number;
  csatN: number;
  customers: Set<number>;
}
const side = (): Side => ({ pro: 0, pas: 0, det: 0, sat: 0, csatN: 0, customers: new Set() });

/**
 * Each NPS or CSAT answer in from..to counts "with" a driver when the customer had that driver event
 * in the `windowDays` before the answer (up to and including its moment), else "without".
 */
export function driversReport(r: KpiRecords, q: DriversQuery): DriversReport {
  const windowMs = q.windowDays * DAY;
  const sides = DRIVERS.map(() => ({ with: side(), without: side() }));
  // Where each customer's driver events start (they are customer by customer, time ordered).
  const firstDriver = new Map<number, number>();
  for (let i = r.drivers.cust.length - 1; i >= 0; i--) firstDriver.set(r.drivers.cust[i]!, i);
  const s = r.surveys;
  const had = [false, false, false];
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i]!;
    const kind = s.kind[i]!;
    if (t < q.fromMs || t > q.toMs || (kind !== SURVEY_NPS && kind !== SURVEY_CSAT)) continue;
    const c = s.cust[i]!;
    had.fill(false);
    for (let j = firstDriver.get(c) ?? r.drivers.t.length; j < r.drivers.t.length && r.drivers.cust[j] === c; j++) {
      const at = r.drivers.t[j]!;
      if (at > t) break;
      if (at > t - windowMs) had[r.drivers.driver[j]!] = true;
    }
    const score = s.score[i]!;
    DRIVERS.forEach((_d, d) => {
      const x = had[d] ? sides[d]!.with : sides[d]!.without;
      x.customers.add(c);
      if (kind === SURVEY_NPS) {
        if (score >= 9) x.pro++;
        else if (score >= 7) x.pas++;
        else x.det++;
      } else {
        x.csatN++;
        if (score >= 4) x.sat++;
      }
    });
  }
  const view = (x: Side): DriverSide => ({
    nps: npsOf(x.pro, x.pas, x.det),
    csat: csatOf(x.sat, x.csatN),
    customers: x.customers.size,
  });
  const diff = (a: number | null, b: number | null): number | null =>
    a === null || b === null ? null : Math.round((a - b) * 100) / 100;
  return {
    asOf: new Date(q.asOfMs).toISOString(),
    knownAt: q.knownAtMs === undefined ? null : new Date(q.knownAtMs).toISOString(),
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
    windowDays: q.windowDays,
    drivers: DRIVERS.map((driver, d) => {
      const w = view(sides[d]!.with);
      const wo = view(sides[d]!.without);
      return {
        driver,
        with: w,
        without: wo,
        difference: { nps: diff(w.nps.score, wo.nps.score), csat: diff(w.csat.score, wo.csat.score) },
      };
    }),
  };
}
