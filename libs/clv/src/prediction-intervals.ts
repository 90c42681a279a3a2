import { InvalidClvInputError, requireNonNegative, requirePositive } from './clv-errors';
import { expectedPurchases, probabilityAlive, type BgNbdParams } from './bg-nbd';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma';
import type { LifetimeValueOptions } from './lifetime-value';
import { cholesky, normalQuantile, quadraticForm, sortedQuantile } from './matrix';
import type { BgNbdCovariance, GammaGammaCovariance, ParameterCovariance } from './parameter-covariance';
import { validateCustomer, type FrequencyRecencyAge } from './population';
import { purchaseCountInterval } from './purchase-count-distribution';
import { sampleNormal, seededRandom } from './simulate';

/** [low, high]. */
export type Interval = [number, number];

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

const DERIVATIVE_STEP = 1e-5;

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
  const rowOf = new Map<string, number>();
  const rows: FrequencyRecencyAge[] = [];
  const rowIndex = customers.map((customer, index) => {
    validateCustomer(customer, index);
    const key = `${customer.frequency}|${customer.recency}|${customer.T}`;
    let row = rowOf.get(key);
    if (row === undefined) {
      row = rows.length;
      rowOf.set(key, row);
      rows.push({ frequency: customer.frequency, recency: customer.recency, T: customer.T });
    }
    return row;
  });
  const point = rows.map((row) => rowValues(models.bgNbd, row, options, horizons));
  const predictive = rows.map((row) => purchaseCountInterval(models.bgNbd, row, options.purchaseHorizon, level));
  const rowIntervals =
    uncertainty === null
      ? null
      : options.method === 'bootstrap'
        ? bootstrapRows(uncertainty.bgNbd, rows, options, horizons, level)
        : deltaRows(models.bgNbd, uncertainty.bgNbd, rows, point, options, horizons, level);
  const gammaGamma = models.gammaGamma ?? null;
  const spendDraws =
    uncertainty?.gammaGamma && gammaGamma && options.method === 'bootstrap'
      ? drawParameters(uncertainty.gammaGamma, options.draws ?? 400, (options.seed ?? 1) + 7919)
      : null;
  const z = normalQuantile((1 + level) / 2);

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

/**
 * The period ends the delta method differentiates the discounted sum at: every k-th (k = ⌈H/4⌉) and the
 * last, the cumulative purchases linearly interpolated between them. The gradient of ln CLV changes
 * by well under 1% (a test holds it), and each parameter step costs 4 series instead of H.
 */
function coarsePeriods(options: IntervalOptions): number[] {
  const value = options.lifetimeValue;
  if (!value || value.horizonPeriods === 0) return [];
  const step = Math.max(1, Math.ceil(value.horizonPeriods / 4));
  const periods = new Set<number>();
  for (let i = step; i < value.horizonPeriods; i += step) periods.add(i);
  periods.add(value.horizonPeriods);
  return [...periods];
}

/**
 * E[Y(t)] at `horizons`, P(alive), and the discounted sum: exact when every period end is among the
 * horizons, else (`coarse`) from the coarse period ends, interpolated.
 */
function rowValues(
  params: BgNbdParams,
  row: FrequencyRecencyAge,
  options: IntervalOptions,
  horizons: readonly number[],
  coarse: readonly number[] | null = null,
): RowValues {
  const cumulative = new Map<number, number>();
  for (const t of horizons) cumulative.set(t, expectedPurchases(params, row, t));
  return {
    probabilityAlive: probabilityAlive(params, row),
    expectedPurchases: cumulative.get(options.purchaseHorizon)!,
    discountedPurchases: discountedSum(cumulative, options, coarse),
    cumulative,
  };
}

/** Σ_i (C_i − C_{i−1}) / (1+d)^i over the periods, C_i = E[Y(i·L)] from `cumulative` (interpolated when coarse). */
function discountedSum(
  cumulative: ReadonlyMap<number, number>,
  options: IntervalOptions,
  coarse: readonly number[] | null,
): number {
  const value = options.lifetimeValue;
  if (!value) return 0;
  const at = (i: number): number => {
    if (coarse === null) return cumulative.get(i * value.periodLength)!;
    let below = 0;
    for (const period of coarse) {
      if (period >= i) {
        const low = below === 0 ? 0 : cumulative.get(below * value.periodLength)!;
        const high = cumulative.get(period * value.periodLength)!;
        return low + ((high - low) * (i - below)) / (period - below);
      }
      below = period;
    }
    return cumulative.get(below * value.periodLength)!;
  };
  let total = 0;
  let previous = 0;
  for (let i = 1; i <= value.horizonPeriods; i++) {
    const current = at(i);
    total += (current - previous) / (1 + value.discountRate) ** i;
    previous = current;
  }
  return total;
}

const logit = (p: number): number => Math.log(p) - Math.log1p(-p);
const logistic = (v: number): number => 1 / (1 + Math.exp(-v));

/** Delta method per row: forward differences on the log-parameters, variances on transformed scales. */
function deltaRows(
  params: BgNbdParams,
  covariance: BgNbdCovariance,
  rows: readonly FrequencyRecencyAge[],
  point: readonly RowValues[],
  options: IntervalOptions,
  horizons: readonly number[],
  level: number,
): RowIntervals[] {
  const z = normalQuantile((1 + level) / 2);
  const names = ['r', 'alpha', 'a', 'b'] as const;
  const shifted = names.map((name) => ({ ...params, [name]: params[name] * Math.exp(DERIVATIVE_STEP) }));
  const coarse = coarsePeriods(options);
  const period = options.lifetimeValue?.periodLength ?? 0;
  const coarseHorizons = [...new Set([options.purchaseHorizon, ...coarse.map((i) => i * period)])];
  return rows.map((row, index) => {
    const exact = point[index]!;
    // The discounted sum is differentiated on the coarse period ends, its centre taken the same way.
    const centre = { ...exact, discountedPurchases: discountedSum(exact.cumulative, options, coarse) };
    const moved = shifted.map((p) => rowValues(p, row, options, coarseHorizons, coarse));
    const alive = centre.probabilityAlive;
    // x = 0 gives P(alive) = 1 exactly; an overflowing dropout odds gives 0: no uncertainty either way.
    const aliveDegenerate = !(alive > 0 && alive < 1);
    const gradient = (f: (v: RowValues) => number): number[] => moved.map((v) => (f(v) - f(centre)) / DERIVATIVE_STEP);
    const aliveInterval: Interval = aliveDegenerate
      ? [alive, alive]
      : transformed(
          logit(alive),
          quadraticForm(
            covariance.logCovariance,
            gradient((v) => logit(v.probabilityAlive)),
          ),
          z,
          logistic,
        );
    const purchases = centre.expectedPurchases;
    const purchasesInterval: Interval =
      purchases > 0
        ? logNormalInterval(
            purchases,
            quadraticForm(
              covariance.logCovariance,
              gradient((v) => Math.log(v.expectedPurchases)),
            ),
            z,
          )
        : [0, 0];
    const logDiscountedVariance =
      centre.discountedPurchases > 0 && exact.discountedPurchases > 0
        ? quadraticForm(
            covariance.logCovariance,
            gradient((v) => Math.log(v.discountedPurchases)),
          )
        : 0;
    return {
      probabilityAlive: aliveInterval,
      expectedPurchases: purchasesInterval,
      logDiscountedVariance,
      discountedDraws: null,
    };
  });
}

function transformed(centre: number, variance: number, z: number, back: (v: number) => number): Interval {
  const sd = Math.sqrt(Math.max(0, variance));
  return [back(centre - z * sd), back(centre + z * sd)];
}

function logNormalInterval(value: number, logVariance: number, z: number): Interval {
  if (!(value > 0)) return [value, value];
  return transformed(Math.log(value), logVariance, z, Math.exp);
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
