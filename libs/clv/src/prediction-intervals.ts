import { InvalidClvInputError, requireNonNegative, requirePositive } from './clv-errors';
import { expectedPurchases, probabilityAlive, type BgNbdParams } from './bg-nbd';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma';
import type { LifetimeValueOptions } from './lifetime-value';
import { deltaRows } from './delta-row-predictions';
import { logNormalInterval, type Interval } from './interval-transforms';
import { cholesky, normalQuantile, quadraticForm, sortedQuantile } from './matrix';
import type { BgNbdCovariance, GammaGammaCovariance, ParameterCovariance } from './parameter-covariance';
import { rowKey, validateCustomer, type FrequencyRecencyAge } from './population';
import { purchaseCountInterval } from './purchase-count-distribution';
import { sampleNormal, seededRandom } from './simulate';

export type { Interval } from './interval-transforms';

export interface PredictionUncertainty {
  bgNbd: BgNbdCovariance;
  /** Without it (or without a spend model) the lifetime value has no interval. */
  gammaGamma?: GammaGammaCovariance | null;
}

export interface IntervalOptions {
  /** Horizon of the expected purchases and of the predictive count interval, in the model unit. */
  purchaseHorizon: number;
  /** When given (and a spend model), the discounted lifetime value and its interval. */
  lifetimeValue?: LifetimeValueOptions;
  /** Coverage of every interval; default 0.9. */
  level?: number;
  /** 'delta' (default): normal on logit P(alive), ln E[Y], ln CLV. 'bootstrap': parametric, seeded. */
  method?: 'delta' | 'bootstrap';
  /** Bootstrap draws of the parameters (default 400). */
  draws?: number;
  /** Bootstrap seed (default 1): the same seed gives the same intervals. */
  seed?: number;
}

/** A customer's BG/NBD summary, with its mean repeat spend when the lifetime value is wanted. */
export interface PredictionSubject extends FrequencyRecencyAge {
  monetaryValue?: number;
}

export interface PredictionWithIntervals {
  probabilityAlive: number;
  /** Parameter (confidence) interval of P(alive): from the uncertainty of the fitted parameters only. */
  probabilityAliveInterval: Interval | null;
  /** E[purchases in the horizon]. */
  expectedPurchases: number;
  /** Parameter (confidence) interval of that expectation: where the expectation lies, not the count. */
  expectedPurchasesInterval: Interval | null;
  /**
   * Predictive interval of the purchase count itself (integers), from the BG/NBD distribution of the
   * count given the history at the fitted parameters: where the customer's actual count should fall.
   */
  purchasesPredictiveInterval: Interval;
  expectedAverageSpend: number | null;
  lifetimeValue: number | null;
  /** Parameter interval of the lifetime value (BG/NBD and Gamma-Gamma uncertainty, taken as independent). */
  lifetimeValueInterval: Interval | null;
}

/** What one distinct (frequency, recency, T) row yields at one parameter vector. */
interface RowValues {
  probabilityAlive: number;
  expectedPurchases: number;
  /** Σ_i (E[Y(iL)] − E[Y((i−1)L)]) / (1+d)^i: the lifetime value per unit of spend. */
  discountedPurchases: number;
  /** E[Y(t)] by horizon t. */
  cumulative: ReadonlyMap<number, number>;
}

/**
 * Point predictions and `level` intervals for every customer, in input order. Customers with the same
 * (frequency, recency, T) share one BG/NBD evaluation, so the cost follows the distinct rows (whole
 * days collapse a population to far fewer), not the customers. With `uncertainty` null only the
 * predictive count interval is given.
 */
export function predictWithIntervals(
  models: { bgNbd: BgNbdParams; gammaGamma?: GammaGammaParams | null },
  uncertainty: PredictionUncertainty | null,
  customers: readonly PredictionSubject[],
  options: IntervalOptions,
): PredictionWithIntervals[] {
  const level = options.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw new InvalidClvInputError('level', 'must be in (0, 1)');
  requireNonNegative(options.purchaseHorizon, 'purchaseHorizon');
  const horizons = horizonsOf(options);
  const rowOf = new Map<number | string, number>();
  const rows: FrequencyRecencyAge[] = [];
  const rowIndex = customers.map((customer, index) => {
    validateCustomer(customer, index);
    const key = rowKey(customer.frequency, customer.recency, customer.T);
    let row = rowOf.get(key);
    if (row === undefined) {
      row = rows.length;
      rowOf.set(key, row);
      rows.push({ frequency: customer.frequency, recency: customer.recency, T: customer.T });
    }
    return row;
  });
  const z = normalQuantile((1 + level) / 2);
  const bootstrap = options.method === 'bootstrap';
  // Delta (default): exact gradients, the recency-free work shared per (x, T). Bootstrap: per row and draw.
  const point = bootstrap
    ? rows.map((row) => rowValues(models.bgNbd, row, options, horizons))
    : deltaRows(
        models.bgNbd,
        uncertainty?.bgNbd.logCovariance ?? null,
        rows,
        options.purchaseHorizon,
        options.lifetimeValue,
        level,
        z,
      );
  const rowIntervals =
    uncertainty === null
      ? null
      : bootstrap
        ? bootstrapRows(uncertainty.bgNbd, rows, options, horizons, level)
        : (point as ReturnType<typeof deltaRows>).map((row): RowIntervals => ({
            probabilityAlive: row.probabilityAliveInterval!,
            expectedPurchases: row.expectedPurchasesInterval!,
            logDiscountedVariance: row.logDiscountedVariance,
            discountedDraws: null,
          }));
  const predictive = bootstrap
    ? rows.map((row) => purchaseCountInterval(models.bgNbd, row, options.purchaseHorizon, level))
    : (point as ReturnType<typeof deltaRows>).map((row) => row.purchasesPredictiveInterval);
  const gammaGamma = models.gammaGamma ?? null;
  const spendDraws =
    uncertainty?.gammaGamma && gammaGamma && options.method === 'bootstrap'
      ? drawParameters(uncertainty.gammaGamma, options.draws ?? 400, (options.seed ?? 1) + 7919)
      : null;

  return customers.map((customer, index) => {
    const row = rowIndex[index]!;
    const values = point[row]!;
    const intervals = rowIntervals?.[row] ?? null;
    let spend: number | null = null;
    let lifetimeValue: number | null = null;
    let lifetimeValueInterval: Interval | null = null;
    if (gammaGamma !== null && customer.monetaryValue !== undefined) {
      if (customer.frequency > 0 && !(customer.monetaryValue > 0)) {
        lifetimeValue = options.lifetimeValue ? 0 : null; // repeat days that were free: no spend to model
        lifetimeValueInterval = options.lifetimeValue ? [0, 0] : null;
      } else {
        const subject = { frequency: customer.frequency, monetaryValue: customer.monetaryValue };
        spend = expectedAverageSpend(gammaGamma, subject);
        if (options.lifetimeValue) {
          lifetimeValue = spend * values.discountedPurchases;
          if (intervals !== null && uncertainty?.gammaGamma) {
            lifetimeValueInterval = spendDraws
              ? quantiles(
                  spendDraws.map((params, k) => expectedAverageSpend(params, subject) * intervals.discountedDraws![k]!),
                  level,
                )
              : logNormalInterval(
                  lifetimeValue,
                  intervals.logDiscountedVariance + logSpendVariance(gammaGamma, uncertainty.gammaGamma, subject),
                  z,
                );
          }
        }
      }
    }
    return {
      probabilityAlive: values.probabilityAlive,
      probabilityAliveInterval: intervals?.probabilityAlive ?? null,
      expectedPurchases: values.expectedPurchases,
      expectedPurchasesInterval: intervals?.expectedPurchases ?? null,
      purchasesPredictiveInterval: predictive[row]!,
      expectedAverageSpend: spend,
      lifetimeValue,
      lifetimeValueInterval,
    };
  });
}

interface RowIntervals {
  probabilityAlive: Interval;
  expectedPurchases: Interval;
  /** Delta method: Var(ln discountedPurchases). */
  logDiscountedVariance: number;
  /** Bootstrap: discountedPurchases per draw (paired with the spend draws). */
  discountedDraws: Float64Array | null;
}

/** The horizons E[Y(t)] is needed at: the purchase horizon and each discounting period's end. */
function horizonsOf(options: IntervalOptions): number[] {
  const set = new Set<number>([options.purchaseHorizon]);
  const value = options.lifetimeValue;
  if (value) {
    if (!Number.isInteger(value.horizonPeriods) || value.horizonPeriods < 0)
      throw new InvalidClvInputError('horizonPeriods', 'must be an integer >= 0');
    requirePositive(value.periodLength, 'periodLength');
    requireNonNegative(value.discountRate, 'discountRate');
    for (let i = 1; i <= value.horizonPeriods; i++) set.add(i * value.periodLength);
  }
  return [...set];
}

/** E[Y(t)] at `horizons`, P(alive), and the discounted sum over every period end (the bootstrap's per-draw values). */
function rowValues(
  params: BgNbdParams,
  row: FrequencyRecencyAge,
  options: IntervalOptions,
  horizons: readonly number[],
): RowValues {
  const cumulative = new Map<number, number>();
  for (const t of horizons) cumulative.set(t, expectedPurchases(params, row, t));
  let discounted = 0;
  const value = options.lifetimeValue;
  if (value) {
    let previous = 0;
    for (let i = 1; i <= value.horizonPeriods; i++) {
      const current = cumulative.get(i * value.periodLength)!;
      discounted += (current - previous) / (1 + value.discountRate) ** i;
      previous = current;
    }
  }
  return {
    probabilityAlive: probabilityAlive(params, row),
    expectedPurchases: cumulative.get(options.purchaseHorizon)!,
    discountedPurchases: discounted,
    cumulative,
  };
}

/**
 * Var(ln E[spend]) by the delta method. ln E[spend | x, m] = ln(p(v + x·m)) − ln(px + q − 1), so on the
 * log-parameters: ∂/∂ln p = 1 − px/(px+q−1), ∂/∂ln q = −q/(px+q−1), ∂/∂ln v = v/(v + x·m).
 */
function logSpendVariance(
  params: GammaGammaParams,
  covariance: GammaGammaCovariance,
  customer: { frequency: number; monetaryValue: number },
): number {
  const { p, q, v } = params;
  const x = customer.frequency;
  const denominator = p * x + q - 1;
  return quadraticForm(covariance.logCovariance, [
    1 - (p * x) / denominator,
    -q / denominator,
    v / (v + x * customer.monetaryValue),
  ]);
}

/** Parametric bootstrap per row: parameter draws from the normal on the log scale, percentiles of the outputs. */
function bootstrapRows(
  covariance: BgNbdCovariance,
  rows: readonly FrequencyRecencyAge[],
  options: IntervalOptions,
  horizons: readonly number[],
  level: number,
): RowIntervals[] {
  const draws = drawParameters(covariance, options.draws ?? 400, options.seed ?? 1).map((d): BgNbdParams => ({
    r: d.r,
    alpha: d.alpha,
    a: d.a,
    b: d.b,
  }));
  return rows.map((row) => {
    const alive = new Float64Array(draws.length);
    const purchases = new Float64Array(draws.length);
    const discounted = new Float64Array(draws.length);
    draws.forEach((params, k) => {
      const values = rowValues(params, row, options, horizons);
      alive[k] = values.probabilityAlive;
      purchases[k] = values.expectedPurchases;
      discounted[k] = values.discountedPurchases;
    });
    return {
      probabilityAlive: quantiles(alive, level),
      expectedPurchases: quantiles(purchases, level),
      logDiscountedVariance: 0,
      discountedDraws: discounted,
    };
  });
}

/** `count` parameter vectors θ = exp(ln θ̂ + L·ε), ε standard normal, L the Cholesky factor of the covariance. */
export function drawParameters<Name extends string>(
  covariance: ParameterCovariance<Name>,
  count: number,
  seed: number,
): Array<Record<Name, number>> {
  if (!Number.isInteger(count) || count < 2) throw new InvalidClvInputError('draws', 'must be an integer >= 2');
  const lower = cholesky(covariance.logCovariance);
  if (lower === null) throw new InvalidClvInputError('covariance', 'must be positive definite');
  const random = seededRandom(seed);
  const n = covariance.names.length;
  return Array.from({ length: count }, () => {
    const normals = Array.from({ length: n }, () => sampleNormal(random));
    const draw = {} as Record<Name, number>;
    covariance.names.forEach((name, i) => {
      let value = covariance.logEstimate[i]!;
      for (let k = 0; k <= i; k++) value += lower[i]![k]! * normals[k]!;
      draw[name] = Math.exp(value);
    });
    return draw;
  });
}

function quantiles(values: ArrayLike<number>, level: number): Interval {
  const sorted = Float64Array.from(values).sort();
  return [sortedQuantile(sorted, (1 - level) / 2), sortedQuantile(sorted, (1 + level) / 2)];
}
