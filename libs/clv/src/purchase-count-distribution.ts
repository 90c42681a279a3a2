import { requireNonNegative } from './clv-errors';
import type { BgNbdParams } from './bg-nbd-likelihood';
import { validateCustomer, type FrequencyRecencyAge } from './population';

/** Stop summing once this much probability mass is left, or after this many counts. */
const TAIL_MASS = 1e-12;
const MAX_COUNT = 100_000;

/**
 * P(Y(t) = n | x, t_x, T) for n = 0, 1, ...: the distribution of the number of purchases in the next t
 * time units given the history, as lifetimes' `conditional_probability_of_n_purchases_up_to_time`
 * (Fader, Hardie & Lee, note 028). With o the dropout odds of P(alive) and, for an alive customer,
 * λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x):
 *   P(Y=0) = (NB_0 + o) / (1 + o)
 *   P(Y=n) = (E[(1-p)^n] · NB_n + E[p(1-p)^(n-1)] · (1 - Σ_{j<n} NB_j)) / (1 + o),   n >= 1
 * where NB_n is the negative binomial pmf (shape r+x, success (α+T)/(α+T+t)): n purchases and no dropout,
 * or a dropout right after the n-th of at least n. Computed until the remaining mass is below 1e-12
 * (or `upTo` reached); the array's sum is 1 within that.
 */
export function purchaseCountDistribution(
  params: BgNbdParams,
  customer: FrequencyRecencyAge,
  t: number,
  upTo: number = MAX_COUNT,
): Float64Array {
  const out: number[] = [];
  walkDistribution(params, customer, t, (n, probability, cumulative) => {
    out.push(probability);
    return n < upTo && 1 - cumulative > TAIL_MASS;
  });
  return Float64Array.from(out);
}

/**
 * The equal-tailed `level` predictive interval [low, high] of the purchase count in the next t units:
 * low = smallest n with P(Y <= n) >= (1-level)/2, high = smallest n with P(Y <= n) >= (1+level)/2.
 * Integer counts, so the interval holds at least `level` of the probability (more for small counts).
 */
export function purchaseCountInterval(
  params: BgNbdParams,
  customer: FrequencyRecencyAge,
  t: number,
  level = 0.9,
): [number, number] {
  const lowTarget = (1 - level) / 2;
  const highTarget = 1 - lowTarget;
  let low = -1;
  let high = -1;
  walkDistribution(params, customer, t, (n, _probability, cumulative) => {
    if (low < 0 && cumulative >= lowTarget - 1e-12) low = n;
    if (cumulative >= highTarget - 1e-12) high = n;
    return high < 0 && n < MAX_COUNT;
  });
  return [Math.max(0, low), high < 0 ? MAX_COUNT : high];
}

/**
 * The equal-tailed interval from `aliveCountTerms` of the customer's (x, T) and the customer's dropout odds:
 * the same sums, in the same order, as `purchaseCountInterval`. Null when the terms end before the upper
 * quantile (take `purchaseCountInterval` then).
 */
export function countIntervalFromTerms(
  terms: Float64Array,
  dropoutOdds: number,
  level: number,
): [number, number] | null {
  const aliveShare = 1 / (1 + dropoutOdds);
  if (aliveShare === 0) return [0, 0];
  const lowTarget = (1 - level) / 2;
  const highTarget = 1 - lowTarget;
  let low = -1;
  let cumulative = 0;
  for (let n = 0; n < terms.length; n++) {
    const probability = (n === 0 ? (terms[0] as number) + dropoutOdds : (terms[n] as number)) * aliveShare;
    cumulative = Math.min(1, cumulative + probability);
    if (low < 0 && cumulative >= lowTarget - 1e-12) low = n;
    if (cumulative >= highTarget - 1e-12) return [Math.max(0, low), n];
  }
  return null;
}

/**
 * The terms k_n of the count distribution that do not depend on the recency, shared by every customer with
 * the same (x, T): P(Y=0) = (k_0 + o)/(1 + o), P(Y=n) = k_n/(1 + o), o the dropout odds. Enough of them
 * for the upper `level` quantile of an alive customer (o = 0, the customer with the longest tail), and two more.
 * Null when t = 0 (no terms are needed: the interval is [0, 0]).
 */
export function aliveCountTerms(
  params: BgNbdParams,
  x: number,
  T: number,
  t: number,
  level: number,
): Float64Array | null {
  if (t === 0) return null;
  const highTarget = 1 - (1 - level) / 2;
  let buffer = new Float64Array(32);
  let length = 0;
  let cumulative = 0;
  let extra = -1;
  walkAliveTerms(params, x, T, t, (n, term) => {
    if (length === buffer.length) {
      const grown = new Float64Array(2 * length);
      grown.set(buffer);
      buffer = grown;
    }
    buffer[length++] = term;
    cumulative = Math.min(1, cumulative + term);
    if (extra < 0 && cumulative >= highTarget - 1e-12) extra = 2;
    return n < MAX_COUNT && (extra < 0 || extra-- > 0);
  });
  return buffer.slice(0, length);
}

/** Calls `visit(n, P(Y=n), P(Y<=n))` for n = 0, 1, ... while it returns true. */
function walkDistribution(
  params: BgNbdParams,
  customer: FrequencyRecencyAge,
  t: number,
  visit: (n: number, probability: number, cumulative: number) => boolean,
): void {
  validateCustomer(customer);
  requireNonNegative(t, 't');
  const { r, alpha, a, b } = params;
  const x = customer.frequency;
  const shape = r + x;
  const dropoutOdds =
    x === 0
      ? 0
      : Math.exp(
          Math.log(a) -
            Math.log(b + x - 1) +
            shape * (Math.log(alpha + customer.T) - Math.log(alpha + customer.recency)),
        );
  const aliveShare = 1 / (1 + dropoutOdds); // 0 when the odds overflow: surely dropped out
  if (t === 0 || aliveShare === 0) {
    visit(0, 1, 1);
    return;
  }
  let cumulative = 0;
  walkAliveTerms(params, x, customer.T, t, (n, term) => {
    const probability = (n === 0 ? term + dropoutOdds : term) * aliveShare;
    cumulative = Math.min(1, cumulative + probability);
    return visit(n, probability, cumulative);
  });
}

/**
 * Calls `visit(n, k_n)` while it returns true, k_n the recency-free part of P(Y=n) (times 1 + o):
 * k_0 = NB_0, k_n = E[(1-p)^n] · NB_n + E[p(1-p)^(n-1)] · (1 - Σ_{j<n} NB_j).
 */
function walkAliveTerms(
  params: BgNbdParams,
  x: number,
  T: number,
  t: number,
  visit: (n: number, term: number) => boolean,
): void {
  const { r, alpha, a, b } = params;
  const shape = r + x;
  const logFailure = Math.log(t) - Math.log(alpha + T + t); // ln(1-q), q = (α+T)/(α+T+t)
  let logNb = -shape * Math.log1p(t / (alpha + T)); // ln NB_0 = shape · ln q
  let nbCumulative = 0; // Σ_{j<n} NB_j
  let logSurvive = 0; // ln E[(1-p)^n] = Σ_{k<n} ln((b+x+k)/(a+b+x+k))
  for (let n = 0; ; n++) {
    const nb = Math.exp(logNb);
    let term: number;
    if (n === 0) term = nb;
    else {
      // E[p(1-p)^(n-1)] = a/(a+b+x+n-1) · E[(1-p)^(n-1)]
      const dropAfterN =
        (a / (a + b + x + n - 1)) * Math.exp(logSurvive - Math.log((b + x + n - 1) / (a + b + x + n - 1)));
      term = Math.exp(logSurvive) * nb + dropAfterN * Math.max(0, 1 - nbCumulative);
    }
    if (!visit(n, term)) return;
    nbCumulative += nb;
    logSurvive += Math.log(b + x + n) - Math.log(a + b + x + n);
    logNb += Math.log(shape + n) - Math.log(n + 1) + logFailure;
  }
}
