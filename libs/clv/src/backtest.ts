import { InvalidClvInputError, UnidentifiedModelError, requirePositive } from './clv-errors';
import { fitBgNbd, type BgNbdFitOptions, type BgNbdParams } from './bg-nbd';
import { bgNbdCovariance, type BgNbdCovariance } from './parameter-covariance';
import { predictWithIntervals, type Interval } from './prediction-intervals';
import { validateCustomer, type FrequencyRecencyAge } from './population';

/** One customer of a calibration/holdout back-test. */
export interface BacktestCustomer {
  id: string;
  /** Summary at the calibration end (frequency, recency, T in the model unit). */
  calibration: FrequencyRecencyAge;
  /** Purchases (distinct purchase days) in (calibration end, holdout end]. */
  holdoutPurchases: number;
}

export interface BacktestOptions {
  /** Length of the holdout period in the model unit. */
  holdoutLength: number;
  /** Interval level (default 0.9). */
  level?: number;
  /** Calibration frequencies at or above this share the last bin, as lifetimes' `7+` (default 7). */
  censor?: number;
  fit?: BgNbdFitOptions;
}

export interface BacktestCustomerResult {
  id: string;
  frequency: number;
  recency: number;
  T: number;
  predicted: number;
  /** Parameter interval of the expected holdout purchases. */
  parameterInterval: Interval | null;
  /** Predictive interval of the holdout purchase count. */
  predictiveInterval: Interval;
  actual: number;
}

export interface BacktestBin {
  /** Calibration-period frequency; the last bin holds `censor` and above. */
  frequency: number;
  label: string;
  customers: number;
  /** Mean holdout purchases per customer in the bin: actual and predicted. */
  actual: number;
  predicted: number;
}

export interface BacktestResult {
  customers: number;
  holdoutLength: number;
  level: number;
  fit: {
    params: BgNbdParams;
    logLikelihood: number;
    optimiser: string;
    converged: boolean;
    warnings: string[];
    standardErrors: Record<keyof BgNbdParams, number> | null;
  };
  byFrequency: BacktestBin[];
  errors: {
    /** Mean absolute error of the per-customer prediction against the actual count. */
    mae: number;
    rmse: number;
    totalPredicted: number;
    totalActual: number;
    /** (predicted − actual) / actual of the totals. */
    totalRelativeError: number;
    /** Pearson correlation of predicted and actual per customer. */
    correlation: number;
  };
  coverage: {
    /** Share of customers whose holdout count lies in the parameter interval of the expectation (low, by design). */
    parameterInterval: number | null;
    /** Share whose holdout count lies in the predictive count interval (should be near `level` or above). */
    predictiveInterval: number;
  };
  /** Why the parameter covariance is missing, if it is. */
  uncertaintyError: string | null;
  perCustomer: BacktestCustomerResult[];
}

/**
 * Calibration/holdout validation of the BG/NBD model (Fader, Hardie & Lee 2005, section 4): fit on the
 * calibration summaries, predict each customer's purchases in the holdout, and compare with what
 * happened, per customer, by calibration frequency (as lifetimes'
 * `plot_calibration_purchases_vs_holdout_purchases`), with error measures and interval coverage.
 * Throws UnidentifiedModelError when a parameter of the calibration fit runs to the search bound.
 */
export function backtest(customers: readonly BacktestCustomer[], options: BacktestOptions): BacktestResult {
  requirePositive(options.holdoutLength, 'holdoutLength');
  const level = options.level ?? 0.9;
  const censor = options.censor ?? 7;
  if (!Number.isInteger(censor) || censor < 1) throw new InvalidClvInputError('censor', 'must be an integer >= 1');
  customers.forEach((customer, index) => {
    validateCustomer(customer.calibration, index);
    if (!Number.isInteger(customer.holdoutPurchases) || customer.holdoutPurchases < 0)
      throw new InvalidClvInputError('holdoutPurchases', 'must be an integer >= 0', index);
  });
  const calibration = customers.map((c) => c.calibration);
  const fit = fitBgNbd(calibration, options.fit);
  // A parameter at the search bound: no meaningful (and possibly very slow) predictions to compare.
  const bound = fit.warnings.filter((warning) => /search bound|not identified/.test(warning));
  if (bound.length > 0) throw new UnidentifiedModelError('BG/NBD', bound);
  let covariance: BgNbdCovariance | null = null;
  let uncertaintyError: string | null = null;
  try {
    covariance = bgNbdCovariance(fit.params, calibration);
  } catch (error) {
    uncertaintyError = error instanceof Error ? error.message : String(error);
  }
  const predictions = predictWithIntervals(
    { bgNbd: fit.params },
    covariance ? { bgNbd: covariance } : null,
    calibration,
    {
      purchaseHorizon: options.holdoutLength,
      level,
    },
  );

  const bins = Array.from({ length: censor + 1 }, (_, frequency) => ({
    frequency,
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  let absolute = 0;
  let squared = 0;
  let totalPredicted = 0;
  let totalActual = 0;
  let sumPA = 0;
  let sumPP = 0;
  let sumAA = 0;
  let inParameter = 0;
  let inPredictive = 0;
  const perCustomer = customers.map((customer, index): BacktestCustomerResult => {
    const prediction = predictions[index]!;
    const predicted = prediction.expectedPurchases;
    const actual = customer.holdoutPurchases;
    const bin = bins[Math.min(censor, customer.calibration.frequency)]!;
    bin.customers += 1;
    bin.actual += actual;
    bin.predicted += predicted;
    absolute += Math.abs(predicted - actual);
    squared += (predicted - actual) ** 2;
    totalPredicted += predicted;
    totalActual += actual;
    sumPA += predicted * actual;
    sumPP += predicted * predicted;
    sumAA += actual * actual;
    const parameterInterval = prediction.expectedPurchasesInterval;
    if (parameterInterval && actual >= parameterInterval[0] && actual <= parameterInterval[1]) inParameter += 1;
    const predictiveInterval = prediction.purchasesPredictiveInterval;
    if (actual >= predictiveInterval[0] && actual <= predictiveInterval[1]) inPredictive += 1;
    return {
      id: customer.id,
      frequency: customer.calibration.frequency,
      recency: customer.calibration.recency,
      T: customer.calibration.T,
      predicted,
      parameterInterval,
      predictiveInterval,
      actual,
    };
  });
  const n = customers.length;
  const meanP = totalPredicted / n;
  const meanA = totalActual / n;
  const covariancePA = sumPA / n - meanP * meanA;
  const spread = Math.sqrt(Math.max(0, sumPP / n - meanP * meanP) * Math.max(0, sumAA / n - meanA * meanA));
  return {
    customers: n,
    holdoutLength: options.holdoutLength,
    level,
    fit: {
      params: fit.params,
      logLikelihood: fit.logLikelihood,
      optimiser: fit.optimiser,
      converged: fit.converged,
      warnings: fit.warnings,
      standardErrors: covariance?.standardErrors ?? null,
    },
    byFrequency: bins.map((bin) => ({
      frequency: bin.frequency,
      label: bin.frequency === censor ? `${censor}+` : String(bin.frequency),
      customers: bin.customers,
      actual: bin.customers > 0 ? bin.actual / bin.customers : 0,
      predicted: bin.customers > 0 ? bin.predicted / bin.customers : 0,
    })),
    errors: {
      mae: absolute / n,
      rmse: Math.sqrt(squared / n),
      totalPredicted,
      totalActual,
      totalRelativeError: totalActual > 0 ? (totalPredicted - totalActual) / totalActual : Number.NaN,
      correlation: spread > 0 ? covariancePA / spread : Number.NaN,
    },
    coverage: { parameterInterval: covariance ? inParameter / n : null, predictiveInterval: inPredictive / n },
    uncertaintyError,
    perCustomer,
  };
}
