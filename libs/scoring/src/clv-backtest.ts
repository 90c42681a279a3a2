import { DAY_MS } from '@rapport/domain';
import { backtest, type BacktestCustomer, type BacktestCustomerResult, type BacktestResult } from '@rapport/clv';
import type { ReadStore } from '@rapport/read-store';
import { customerValueAsOf, type AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { ClvBacktestNotFittable, ClvBacktestQueryInvalid, NothingToBacktest } from './clv-backtest-errors';
import { CLV_INTERVAL_LEVEL, CLV_TIME_UNIT, MIN_CLV_CUSTOMERS, clvSummaryOf } from './clv-model';

/** The literature's split (Fader, Hardie & Lee 2005 on CDNOW): 39 weeks of calibration, then 39 weeks of holdout. */
export const LITERATURE_PERIOD_DAYS = 39 * 7;
const SCAN_BATCH = 5000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export interface ClvBacktestQuery {
  calibrationEnd?: string;
  holdoutEnd?: string;
  knownAt?: string;
  perCustomer?: string;
}

export interface ClvBacktestReport extends Omit<BacktestResult, 'perCustomer'> {
  unit: typeof CLV_TIME_UNIT;
  /** Earliest first purchase: where the default split starts. */
  cohortStart: string;
  calibrationEnd: string;
  holdoutEnd: string;
  knownAt: string | null;
  /** Customers with a purchase by the holdout end that were not yet customers at the calibration end (left out). */
  acquiredInHoldout: number;
  durationMs: number;
  perCustomer?: BacktestCustomerResult[];
}

const invalid = (field: string, rule: string, message: string): ClvBacktestQueryInvalid =>
  new ClvBacktestQueryInvalid(field, rule, message);

/** An ISO-8601 time; a bare date means the end of that day (UTC), so that the day is included. */
function parseTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw invalid(field, 'iso_8601', `${field} must be an ISO-8601 date or time`);
  return DATE_ONLY.test(value) ? Date.parse(value) + DAY_MS - 1 : Date.parse(value);
}

const endOfDay = (day: number): number => (day + 1) * DAY_MS - 1;

/** The query's times and flag, checked before anything is read. */
function parseBacktestQuery(query: ClvBacktestQuery): {
  calibrationEndMs: number | undefined;
  holdoutEndMs: number | undefined;
  knownAtMs: number | undefined;
} {
  const calibrationEndMs = parseTime(query.calibrationEnd, 'calibrationEnd');
  const holdoutEndMs = parseTime(query.holdoutEnd, 'holdoutEnd');
  const knownAtMs = parseTime(query.knownAt, 'knownAt');
  if (query.perCustomer !== undefined && query.perCustomer !== 'true' && query.perCustomer !== 'false')
    throw invalid('perCustomer', 'boolean', 'perCustomer must be true or false');
  if (
    calibrationEndMs !== undefined &&
    holdoutEndMs !== undefined &&
    Math.floor(holdoutEndMs / DAY_MS) <= Math.floor(calibrationEndMs / DAY_MS)
  )
    throw invalid('holdoutEnd', 'after_calibration_end', 'holdoutEnd must be at least one day after calibrationEnd');
  return { calibrationEndMs, holdoutEndMs, knownAtMs };
}

/** The customers with a purchase (as known at `known`) and the day of the cohort's first purchase. */
async function purchasingCustomers(
  store: ReadStore,
  collection: string,
  known: AsOf,
  knownAtMs: number | undefined,
): Promise<{ docs: CustomerValueDoc[]; cohortStartDay: number }> {
  const docs: CustomerValueDoc[] = [];
  let cohortStartDay = Number.POSITIVE_INFINITY;
  for await (const stored of store.scan<CustomerValueDoc>(collection, SCAN_BATCH)) {
    const doc = knownAtMs === undefined ? stored : customerValueAsOf(stored, known);
    if (doc === null || doc.firstPurchaseAt === null) continue;
    docs.push(stored);
    cohortStartDay = Math.min(cohortStartDay, Math.floor(Date.parse(doc.firstPurchaseAt) / DAY_MS));
  }
  if (docs.length === 0) throw new NothingToBacktest();
  return { docs, cohortStartDay };
}

/** The calibration and holdout ends, defaulted from the cohort's first day and checked against it and now. */
function backtestPeriods(
  calibrationEnd: number | undefined,
  holdoutEnd: number | undefined,
  cohortStartDay: number,
  now: Date,
): { calibrationEndMs: number; holdoutEndMs: number; calibrationDay: number; holdoutDay: number } {
  // Defaults: 39 weeks from the cohort's first day (inclusive), then 39 weeks.
  const calibrationEndMs = calibrationEnd ?? endOfDay(cohortStartDay + LITERATURE_PERIOD_DAYS - 1);
  const holdoutEndMs = holdoutEnd ?? endOfDay(Math.floor(calibrationEndMs / DAY_MS) + LITERATURE_PERIOD_DAYS);
  const calibrationDay = Math.floor(calibrationEndMs / DAY_MS);
  const holdoutDay = Math.floor(holdoutEndMs / DAY_MS);
  if (holdoutDay <= calibrationDay)
    throw invalid('holdoutEnd', 'after_calibration_end', 'holdoutEnd must be at least one day after calibrationEnd');
  if (holdoutEndMs > now.getTime())
    throw invalid(
      'holdoutEnd',
      'not_in_future',
      `holdoutEnd must not be after now (${now.toISOString()}): the holdout has not happened yet`,
    );
  if (calibrationDay < cohortStartDay)
    throw invalid(
      'calibrationEnd',
      'after_first_purchase',
      `calibrationEnd must not be before the first purchase (${new Date(cohortStartDay * DAY_MS).toISOString().slice(0, 10)})`,
    );
  return { calibrationEndMs, holdoutEndMs, calibrationDay, holdoutDay };
}

/** Each customer's calibration summary and holdout purchases; those first buying in the holdout are counted. */
function backtestCustomers(
  docs: readonly CustomerValueDoc[],
  known: AsOf,
  periods: { calibrationEndMs: number; holdoutEndMs: number; calibrationDay: number },
): { customers: BacktestCustomer[]; acquiredInHoldout: number } {
  const customers: BacktestCustomer[] = [];
  let acquiredInHoldout = 0;
  for (const doc of docs) {
    const atCalibration = customerValueAsOf(doc, { ...known, asOfMs: periods.calibrationEndMs });
    const atHoldout = customerValueAsOf(doc, { ...known, asOfMs: periods.holdoutEndMs });
    const calibration = atCalibration === null ? null : clvSummaryOf(atCalibration, periods.calibrationDay);
    if (calibration === null) {
      if (atHoldout !== null && atHoldout.purchaseDays > 0) acquiredInHoldout += 1;
      continue;
    }
    const holdoutPurchases = (atHoldout?.purchaseDays ?? 0) - (atCalibration?.purchaseDays ?? 0);
    customers.push({ id: doc.customerId, calibration, holdoutPurchases: Math.max(0, holdoutPurchases) });
  }
  if (customers.length < MIN_CLV_CUSTOMERS)
    throw new ClvBacktestNotFittable(
      `${customers.length} customers had a purchase by calibrationEnd; at least ${MIN_CLV_CUSTOMERS} are needed to fit the model`,
    );
  return { customers, acquiredInHoldout };
}

/**
 * The CLV back-test over the customer-value read model: each customer as it was at the calibration end
 * and at the holdout end (customerValueAsOf, known at `knownAt`), BG/NBD fitted on the calibration
 * summaries in days, holdout purchases = purchase days by the holdout end − by the calibration end.
 * Defaults: calibration ends 39 weeks after the earliest first purchase (that day included), the
 * holdout 39 weeks later. `now` bounds the holdout: a holdout that has not ended yet is refused.
 */
export async function runClvBacktest(
  store: ReadStore,
  collection: string,
  query: ClvBacktestQuery,
  now: Date,
): Promise<ClvBacktestReport> {
  const started = performance.now();
  const parsed = parseBacktestQuery(query);
  const { knownAtMs } = parsed;
  const known: AsOf = { asOfMs: Number.POSITIVE_INFINITY, ...(knownAtMs !== undefined ? { knownAtMs } : {}) };
  const { docs, cohortStartDay } = await purchasingCustomers(store, collection, known, knownAtMs);
  const periods = backtestPeriods(parsed.calibrationEndMs, parsed.holdoutEndMs, cohortStartDay, now);
  const { calibrationEndMs, holdoutEndMs, calibrationDay, holdoutDay } = periods;
  const { customers, acquiredInHoldout } = backtestCustomers(docs, known, periods);
  let result: BacktestResult;
  try {
    result = backtest(customers, { holdoutLength: holdoutDay - calibrationDay, level: CLV_INTERVAL_LEVEL });
  } catch (error) {
    throw new ClvBacktestNotFittable(
      `the model could not be fitted on the calibration period: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { perCustomer, ...aggregate } = result;
  return {
    ...aggregate,
    unit: CLV_TIME_UNIT,
    cohortStart: new Date(cohortStartDay * DAY_MS).toISOString(),
    calibrationEnd: new Date(calibrationEndMs).toISOString(),
    holdoutEnd: new Date(holdoutEndMs).toISOString(),
    knownAt: knownAtMs === undefined ? null : new Date(knownAtMs).toISOString(),
    acquiredInHoldout,
    durationMs: Math.round(performance.now() - started),
    ...(query.perCustomer === 'true' ? { perCustomer } : {}),
  };
}
