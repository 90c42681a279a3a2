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
  const logFailure = Math.log(t) - Math.log(alpha + customer.T + t); // ln(1-q), q = (α+T)/(α+T+t)
  let logNb = -shape * Math.log1p(t / (alpha + customer.T)); // ln NB_0 = shape · ln q
  let nbCumulative = 0; // Σ_{j<n} NB_j
  let logSurvive = 0; // ln E[(1-p)^n] = Σ_{k<n} ln((b+x+k)/(a+b+x+k))
  let cumulative = 0;
  for (let n = 0; ; n++) {
    const nb = Math.exp(logNb);
    let probability: number;
    if (n === 0) probability = (nb + dropoutOdds) * aliveShare;
    else {
      // E[p(1-p)^(n-1)] = a/(a+b+x+n-1) · E[(1-p)^(n-1)]
      const dropAfterN =
        (a / (a + b + x + n - 1)) * Math.exp(logSurvive - Math.log((b + x + n - 1) / (a + b + x + n - 1)));
      probability = (Math.exp(logSurvive) * nb + dropAfterN * Math.max(0, 1 - nbCumulative)) * aliveShare;
    }
    cumulative = Math.min(1, cumulative + probability);
    if (!visit(n, probability, cumulative)) return;
    nbCumulative += nb;
    logSurvive += Math.log(b + x + n) - Math.log(a + b + x + n);
    logNb += Math.log(shape + n) - Math.log(n + 1) + logFailure;
  }
}
