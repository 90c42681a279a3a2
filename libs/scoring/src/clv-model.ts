import { DAY_MS } from '@rapport/domain';
import {
  bgNbdCovariance,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaCovariance,
  predictWithIntervals,
  type BgNbdParams,
  type CustomerSummary,
  type GammaGammaParams,
  type Interval,
  type LifetimeValueOptions,
  type PredictionUncertainty,
  type PredictionWithIntervals,
} from '@rapport/clv';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { isoMs } from '@rapport/projections/customer-value/iso-time';
import { ClvPredictionColumns } from './clv-prediction-columns';

// isoMs: Date.parse's result, read straight from the digits of the form every stored time has.
const epochDay = (iso: string): number => Math.floor(isoMs(iso) / DAY_MS);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The models are fitted and used in days: frequency, recency and T in days, the 90-day horizon in days. */
export const CLV_TIME_UNIT = 'days';
export const PURCHASE_HORIZON_DAYS = 90;
/** Predicted lifetime value: 12 months of 30 days, discounted 1% a month. */
export const LIFETIME_VALUE: LifetimeValueOptions = { horizonPeriods: 12, periodLength: 30, discountRate: 0.01 };
/** Level of every interval in the predictions (parameter intervals and the predictive count interval). */
export const CLV_INTERVAL_LEVEL = 0.9;
/** Below this many customers with a purchase the fit is not attempted (reported, not fatal). */
export const MIN_CLV_CUSTOMERS = 20;

/** What `GET /analytics/models/clv` serves: the last fit, kept in the read store's meta. */
export interface ClvModelRecord {
  fittedAt: string;
  status: 'fitted' | 'partial' | 'failed';
  unit: typeof CLV_TIME_UNIT;
  /** Customers with at least one purchase by the fit date (the BG/NBD population). */
  population: number;
  /** Customers with repeat purchase days and a positive repeat spend (the Gamma-Gamma population). */
  repeaters: number;
  bgNbd: {
    params: BgNbdParams;
    logLikelihood: number;
    optimiser: string;
    converged: boolean;
    warnings: string[];
  } | null;
  gammaGamma: {
    params: GammaGammaParams;
    logLikelihood: number;
    customers: number;
    converged: boolean;
    warnings: string[];
  } | null;
  prediction: { purchaseHorizonDays: number; lifetimeValue: LifetimeValueOptions };
  /**
   * Uncertainty of the fitted parameters: the covariance of the log-parameters (inverse observed
   * information) and the standard errors of the parameters, behind the per-customer intervals (delta method).
   */
  uncertainty: {
    level: number;
    method: 'delta';
    bgNbd: ParameterUncertaintyRecord<keyof BgNbdParams> | null;
    gammaGamma: ParameterUncertaintyRecord<keyof GammaGammaParams> | null;
  };
  /** Why a model could not be fitted (too few customers, no repeaters, an optimiser failure). */
  errors: string[];
  durationMs: number;
}

export interface ParameterUncertaintyRecord<Name extends string> {
  standardErrors: Record<Name, number>;
  /** Covariance of ln θ, rows and columns in `names` order. */
  logCovariance: number[][];
  names: readonly Name[];
}

/** What the record keeps of a fit's covariance: the parameters' standard errors and the covariance itself. */
const covarianceRecord = <Name extends string>({
  standardErrors,
  logCovariance,
  names,
}: ParameterUncertaintyRecord<Name>): ParameterUncertaintyRecord<Name> => ({
  standardErrors,
  logCovariance,
  names,
});

/**
 * The BG/NBD summary of a customer at `now`, from the customer-value document: same-day purchases
 * are one (purchaseDays), frequency = purchase days − 1, recency = last − first purchase day,
 * T = now − first purchase day, monetary value = mean gross spend of the repeat days
 * ((gross revenue − first-day revenue) / frequency; refunds are not allocated to days).
 * Null before the first purchase or when it lies after `now`.
 */
export function clvSummaryOf(doc: CustomerValueDoc, nowDay: number): CustomerSummary | null {
  if (doc.purchaseDays < 1 || doc.firstPurchaseAt === null || doc.lastPurchaseAt === null) return null;
  const first = epochDay(doc.firstPurchaseAt);
  if (first > nowDay) return null;
  const T = nowDay - first;
  const frequency = doc.purchaseDays - 1;
  const recency = frequency === 0 ? 0 : Math.min(T, epochDay(doc.lastPurchaseAt) - first);
  const repeatSpend = Math.max(0, doc.grossRevenue - doc.firstDayRevenue);
  return { frequency, recency, T, monetaryValue: frequency > 0 ? repeatSpend / frequency : 0 };
}

export interface ClvFitOutcome {
  record: ClvModelRecord;
  predictions: ClvPredictionColumns;
}

/** A fit as plain data: what predicting any customers with it needs, on any thread. */
export interface ClvFit {
  record: ClvModelRecord;
  /** Null when BG/NBD could not be fitted: nobody is predicted. */
  models: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams | null } | null;
  uncertainty: PredictionUncertainty | null;
}

const unidentified = (warnings: readonly string[]): boolean => warnings.some((w) => /search bound/.test(w));
const message = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** BG/NBD summaries of the customers with a purchase by `now`, with their ids. */
function* summariesOf(values: Iterable<CustomerValueDoc>, now: string): Generator<[string, CustomerSummary]> {
  const nowDay = epochDay(now);
  for (const doc of values) {
    const summary = clvSummaryOf(doc, nowDay);
    if (summary) yield [doc.customerId, summary];
  }
}

/**
 * Fits BG/NBD and Gamma-Gamma on the population at `now`, and the covariances of both for the
 * predictions' intervals (delta method). A failed fit is reported in the record; it never throws.
 */
export function fitClvModels(values: Iterable<CustomerValueDoc>, now: string): ClvFit {
  const started = performance.now();
  // A list, not a map: a fit does not look customers up, and 100,000s of entries cost memory.
  const population: CustomerSummary[] = [];
  for (const [, summary] of summariesOf(values, now)) population.push(summary);
  const spenders = population.filter((s) => s.frequency > 0 && s.monetaryValue > 0);
  const record: ClvModelRecord = {
    fittedAt: now,
    status: 'failed',
    unit: CLV_TIME_UNIT,
    population: population.length,
    repeaters: spenders.length,
    bgNbd: null,
    gammaGamma: null,
    prediction: { purchaseHorizonDays: PURCHASE_HORIZON_DAYS, lifetimeValue: LIFETIME_VALUE },
    uncertainty: { level: CLV_INTERVAL_LEVEL, method: 'delta', bgNbd: null, gammaGamma: null },
    errors: [],
    durationMs: 0,
  };
  const fitted = (models: ClvFit['models'], uncertainty: PredictionUncertainty | null = null): ClvFit => ({
    record: { ...record, durationMs: Math.round(performance.now() - started) },
    models,
    uncertainty,
  });
  if (population.length < MIN_CLV_CUSTOMERS) {
    record.errors.push(
      `BG/NBD: ${population.length} customers with a purchase; at least ${MIN_CLV_CUSTOMERS} are needed for a fit`,
    );
    return fitted(null);
  }
  const bgNbd = fitBgNbdInto(record, population);
  if (bgNbd === null) return fitted(null);
  fitGammaGammaInto(record, spenders);
  record.status = record.gammaGamma ? 'fitted' : 'partial';
  const uncertainty = parameterUncertainty(record, population, spenders);
  return fitted({ bgNbd, gammaGamma: record.gammaGamma?.params ?? null }, uncertainty);
}

/**
 * Predicts customers with a fit: probability alive, expected purchases in 90 days and the discounted
 * lifetime value, each with its 90% parameter interval, and a 90% predictive interval of the purchase
 * count; the customers it could not predict, named (one such costs only its own prediction).
 */
export function predictClvWith(
  fit: ClvFit,
  values: Iterable<CustomerValueDoc>,
  now: string,
): { predictions: ClvPredictionColumns; failures: string[] } {
  const predictions = new ClvPredictionColumns();
  const failures: string[] = [];
  if (fit.models !== null) predictInto(fit, new Map(summariesOf(values, now)), predictions, failures);
  return { predictions, failures };
}

/** The record with prediction failures added, while it names fewer than ten errors. */
export function withFailures(record: ClvModelRecord, failures: readonly string[]): ClvModelRecord {
  const errors = [...record.errors];
  for (const failure of failures) if (errors.length < 10) errors.push(failure);
  return { ...record, errors };
}

/** fitClvModels and predictClvWith over the same population, on this thread. */
export function fitClv(values: Iterable<CustomerValueDoc>, now: string): ClvFitOutcome {
  const started = performance.now();
  const fit = fitClvModels(values, now);
  const { predictions, failures } = predictClvWith(fit, values, now);
  const record = withFailures(fit.record, failures);
  return { record: { ...record, durationMs: Math.round(performance.now() - started) }, predictions };
}

/** BG/NBD fitted into `record`; null (the error recorded) when it fails or cannot identify the model. */
function fitBgNbdInto(record: ClvModelRecord, population: readonly CustomerSummary[]): BgNbdParams | null {
  try {
    const fit = fitBgNbd(population);
    record.bgNbd = {
      params: fit.params,
      logLikelihood: fit.logLikelihood,
      optimiser: fit.optimiser,
      converged: fit.converged,
      warnings: fit.warnings,
    };
    // A parameter pinned at the search bound means the data cannot identify the model: its
    // predictions would be meaningless (and very slow to evaluate), so none are made.
    if (unidentified(fit.warnings)) throw new Error(`degenerate fit, no predictions: ${fit.warnings.join('; ')}`);
    return fit.params;
  } catch (error) {
    record.errors.push(`BG/NBD: ${message(error)}`);
    return null;
  }
}

/** Gamma-Gamma fitted into `record` on the repeat spenders; a failure is recorded, never thrown. */
function fitGammaGammaInto(record: ClvModelRecord, spenders: readonly CustomerSummary[]): void {
  try {
    const fit = fitGammaGamma(spenders);
    if (fit.params.q <= 1) throw new Error(`fitted q = ${fit.params.q} <= 1: the expected spend does not exist`);
    if (unidentified(fit.warnings)) throw new Error(`degenerate fit, no spend predictions: ${fit.warnings.join('; ')}`);
    record.gammaGamma = {
      params: fit.params,
      logLikelihood: fit.logLikelihood,
      customers: fit.customers,
      converged: fit.converged,
      warnings: fit.warnings,
    };
  } catch (error) {
    record.errors.push(`Gamma-Gamma: ${message(error)}`);
  }
}

/** Each customer's rounded predictions into `predictions`, a failure named in `failures`. */
function predictInto(
  fit: ClvFit,
  summaries: ReadonlyMap<string, CustomerSummary>,
  predictions: ClvPredictionColumns,
  failures: string[],
): void {
  const population = [...summaries.values()];
  const { uncertainty } = fit;
  const ids = [...summaries.keys()];
  const models = fit.models as NonNullable<ClvFit['models']>;
  // A chunk at a time, in (frequency, T) order so that each chunk's customers share their series: the
  // full predictions of a chunk are dropped as soon as its rounded ones are kept.
  const order = population.map((_, i) => i);
  order.sort((i, j) => {
    const a = population[i] as CustomerSummary;
    const b = population[j] as CustomerSummary;
    return a.frequency - b.frequency || a.T - b.T;
  });
  for (let from = 0; from < order.length; from += PREDICTION_CHUNK) {
    const chunk = order.slice(from, from + PREDICTION_CHUNK);
    const scored = predictChunk(
      models,
      uncertainty,
      chunk.map((i) => population[i] as CustomerSummary),
    );
    scored.forEach((outcome, k) => {
      const customerId = ids[chunk[k] as number] as string;
      if (outcome instanceof Error) {
        failures.push(`customer ${customerId}: ${message(outcome)}`);
        return;
      }
      predictions.set(customerId, {
        probabilityAlive: round(outcome.probabilityAlive, 4),
        expectedPurchases90: round(outcome.expectedPurchases, 4),
        // Without a spend model the value is unknown: null, not 0 (the analytics field is nullable).
        predictedClv: (outcome.lifetimeValue === null ? null : round(outcome.lifetimeValue, 2)) as number,
        probabilityAliveInterval: roundInterval(outcome.probabilityAliveInterval, 4),
        expectedPurchases90Interval: roundInterval(outcome.expectedPurchasesInterval, 4),
        purchases90PredictiveInterval: outcome.purchasesPredictiveInterval,
        predictedClvInterval: roundInterval(outcome.lifetimeValueInterval, 2),
      });
    });
  }
}

/** Customers predicted at once: bounds what predicting holds at its peak (two threads predict at once). */
const PREDICTION_CHUNK = 10_000;
const PREDICTION_OPTIONS = {
  purchaseHorizon: PURCHASE_HORIZON_DAYS,
  lifetimeValue: LIFETIME_VALUE,
  level: CLV_INTERVAL_LEVEL,
};

/** Predictions of some customers; one the series cannot evaluate costs only its own (an Error in its place). */
function predictChunk(
  models: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams | null },
  uncertainty: PredictionUncertainty | null,
  customers: readonly CustomerSummary[],
): Array<PredictionWithIntervals | Error> {
  try {
    return predictWithIntervals(models, uncertainty, customers, PREDICTION_OPTIONS);
  } catch {
    return customers.map((summary) => {
      try {
        return predictWithIntervals(models, uncertainty, [summary], PREDICTION_OPTIONS)[0] as PredictionWithIntervals;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }
}

const roundInterval = (interval: Interval | null, digits: number): [number, number] | null =>
  interval === null ? null : [round(interval[0], digits), round(interval[1], digits)];

/**
 * The covariances of both fits for the intervals, recorded in the model record. A covariance that
 * cannot be had (a parameter the data do not identify) costs its intervals, not the predictions.
 */
function parameterUncertainty(
  record: ClvModelRecord,
  population: readonly CustomerSummary[],
  spenders: readonly CustomerSummary[],
): PredictionUncertainty | null {
  if (record.bgNbd === null) return null;
  let uncertainty: PredictionUncertainty;
  try {
    const bgNbd = bgNbdCovariance(record.bgNbd.params, population);
    record.uncertainty.bgNbd = covarianceRecord(bgNbd);
    uncertainty = { bgNbd };
  } catch (error) {
    record.errors.push(`BG/NBD uncertainty: ${message(error)}; no parameter intervals`);
    return null;
  }
  if (record.gammaGamma === null) return uncertainty;
  try {
    const gammaGamma = gammaGammaCovariance(record.gammaGamma.params, spenders);
    record.uncertainty.gammaGamma = covarianceRecord(gammaGamma);
    uncertainty.gammaGamma = gammaGamma;
  } catch (error) {
    record.errors.push(`Gamma-Gamma uncertainty: ${message(error)}; no CLV intervals`);
  }
  return uncertainty;
}
