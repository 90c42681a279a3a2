import type { BgNbdParams } from './bg-nbd-likelihood';
import {
  allocateHorizonTerms,
  horizonTermsByDifferences,
  horizonTermsBySeries,
  type HorizonTerms,
} from './bg-nbd-horizon-terms';
import { logit, logistic, logNormalInterval, transformed, type Interval } from './interval-transforms';
import type { LifetimeValueOptions } from './lifetime-value';
import { rowKey, type FrequencyRecencyAge } from './population';
import { aliveCountTerms, countIntervalFromTerms, purchaseCountInterval } from './purchase-count-distribution';

/** The BG/NBD predictions of one distinct (frequency, recency, T) row. */
export interface DeltaRow {
  probabilityAlive: number;
  expectedPurchases: number;
  /** Σ_i (E[Y(iL)] − E[Y((i−1)L)]) / (1+d)^i: the lifetime value per unit of spend (0 without a value horizon). */
  discountedPurchases: number;
  purchasesPredictiveInterval: Interval;
  /** Delta-method intervals; null without a covariance. */
  probabilityAliveInterval: Interval | null;
  expectedPurchasesInterval: Interval | null;
  /** Var(ln discountedPurchases). */
  logDiscountedVariance: number;
}

/** What every customer with one (x, T) shares: the recency-free terms at the horizons and the count terms. */
interface PairTerms {
  purchases: number;
  purchasesGradient: Float64Array;
  /** Q at each period end, in period order. */
  periods: Float64Array;
  discounted: number;
  discountedGradient: Float64Array;
  countTerms: Float64Array | null;
}

/**
 * Point predictions, the predictive count interval and the delta-method intervals of every row. The work
 * that does not depend on the recency (the hypergeometric series at the purchase horizon and every period
 * end, their analytic log-parameter gradients, the count distribution's terms) is done once per (x, T);
 * a row then costs a dropout odds, a few sums and three 4×4 quadratic forms. Point values are those of
 * `expectedPurchases`, `probabilityAlive` and `purchaseCountInterval`; the gradients are exact (no
 * finite-difference step, every period end).
 */
export function deltaRows(
  params: BgNbdParams,
  logCovariance: readonly (readonly number[])[] | null,
  rows: readonly FrequencyRecencyAge[],
  purchaseHorizon: number,
  lifetimeValue: LifetimeValueOptions | undefined,
  level: number,
  z: number,
): DeltaRow[] {
  const { r, alpha, a, b } = params;
  const periodCount = lifetimeValue?.horizonPeriods ?? 0;
  const horizons = [purchaseHorizon];
  const periodAt = new Int32Array(periodCount);
  const discount = new Float64Array(periodCount);
  for (let i = 1; i <= periodCount; i++) {
    const t = i * lifetimeValue!.periodLength;
    let at = horizons.indexOf(t);
    if (at < 0) at = horizons.push(t) - 1;
    periodAt[i - 1] = at;
    discount[i - 1] = (1 + lifetimeValue!.discountRate) ** i;
  }
  const cov = logCovariance === null ? null : Float64Array.from(logCovariance.flat());
  const quadratic = (g: Float64Array): number => {
    let total = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) total += g[i]! * cov![4 * i + j]! * g[j]!;
    return total;
  };
  const scratch = allocateHorizonTerms(horizons.length);
  const pairs = new Map<number | string, PairTerms>();
  const pairOf = (x: number, T: number): PairTerms => {
    const key = rowKey(x, 0, T);
    let pair = pairs.get(key);
    if (pair === undefined) {
      pair = pairTerms(params, x, T, horizons, periodAt, discount, scratch, purchaseHorizon, level);
      pairs.set(key, pair);
    }
    return pair;
  };
  const dOdds = new Float64Array(4);
  const gradient = new Float64Array(4);

  return rows.map((row) => {
    const x = row.frequency;
    const pair = pairOf(x, row.T);
    const logAlphaT = Math.log(alpha + row.T);
    const logAlphaTx = Math.log(alpha + row.recency);
    // Same expression as bg-nbd's logDropoutOdds, so P(alive) and E[Y] equal theirs.
    const logOdds =
      x === 0 ? Number.NEGATIVE_INFINITY : Math.log(a) - Math.log(b + x - 1) + (r + x) * (logAlphaT - logAlphaTx);
    const odds = Math.exp(logOdds);
    const denominator = 1 + odds;
    const alive = 1 / denominator;
    const purchases = pair.purchases / denominator;
    let discounted = 0;
    let previous = 0;
    for (let i = 0; i < periodCount; i++) {
      const current = pair.periods[i]! / denominator;
      discounted += (current - previous) / discount[i]!;
      previous = current;
    }
    const predictive =
      (pair.countTerms === null ? [0, 0] : countIntervalFromTerms(pair.countTerms, odds, level)) ??
      purchaseCountInterval(params, row, purchaseHorizon, level);
    const out: DeltaRow = {
      probabilityAlive: alive,
      expectedPurchases: purchases,
      discountedPurchases: discounted,
      purchasesPredictiveInterval: predictive as Interval,
      probabilityAliveInterval: null,
      expectedPurchasesInterval: null,
      logDiscountedVariance: 0,
    };
    if (cov === null) return out;
    // ∂ ln odds / ∂ ln(r, α, a, b); the odds are 0 (and constant) for x = 0.
    if (x === 0) dOdds.fill(0);
    else {
      dOdds[0] = r * (logAlphaT - logAlphaTx);
      dOdds[1] = (r + x) * alpha * (1 / (alpha + row.T) - 1 / (alpha + row.recency));
      dOdds[2] = 1;
      dOdds[3] = -b / (b + x - 1);
    }
    // x = 0 gives P(alive) = 1 exactly; an overflowing dropout odds gives 0: no uncertainty either way.
    out.probabilityAliveInterval =
      alive > 0 && alive < 1 ? transformed(logit(alive), quadratic(dOdds), z, logistic) : [alive, alive];
    const dropShare = odds * alive; // ∂ ln(1/(1+o)) = −o/(1+o) · ∂ ln o
    if (purchases > 0) {
      for (let k = 0; k < 4; k++) gradient[k] = pair.purchasesGradient[k]! / pair.purchases - dropShare * dOdds[k]!;
      out.expectedPurchasesInterval = logNormalInterval(purchases, quadratic(gradient), z);
    } else out.expectedPurchasesInterval = [0, 0];
    if (discounted > 0 && pair.discounted > 0) {
      for (let k = 0; k < 4; k++) gradient[k] = pair.discountedGradient[k]! / pair.discounted - dropShare * dOdds[k]!;
      out.logDiscountedVariance = quadratic(gradient);
    }
    return out;
  });
}

function pairTerms(
  params: BgNbdParams,
  x: number,
  T: number,
  horizons: readonly number[],
  periodAt: Int32Array,
  discount: Float64Array,
  terms: HorizonTerms,
  purchaseHorizon: number,
  level: number,
): PairTerms {
  if (!horizonTermsBySeries(params, x, T, horizons, terms)) horizonTermsByDifferences(params, x, T, horizons, terms);
  const periods = new Float64Array(periodAt.length);
  const discountedGradient = new Float64Array(4);
  let discounted = 0;
  for (let i = 0; i < periodAt.length; i++) {
    const at = periodAt[i]!;
    const before = i === 0 ? -1 : periodAt[i - 1]!;
    periods[i] = terms.value[at]!;
    discounted += (terms.value[at]! - (before < 0 ? 0 : terms.value[before]!)) / discount[i]!;
    for (let k = 0; k < 4; k++)
      discountedGradient[k] =
        discountedGradient[k]! +
        (terms.gradient[4 * at + k]! - (before < 0 ? 0 : terms.gradient[4 * before + k]!)) / discount[i]!;
  }
  return {
    purchases: terms.value[0]!,
    purchasesGradient: terms.gradient.slice(0, 4),
    periods,
    discounted,
    discountedGradient,
    countTerms: aliveCountTerms(params, x, T, purchaseHorizon, level),
  };
}
