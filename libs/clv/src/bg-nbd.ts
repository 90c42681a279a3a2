import { InvalidClvInputError, HypergeometricConvergenceError, requireNonNegative } from './clv-errors';
import { bgNbdLogLikelihoodOf, type BgNbdParams } from './bg-nbd-likelihood';
import { minimizeNelderMead, type MinimizeResult } from './nelder-mead';
import { minimizeBfgs } from './quasi-newton';
import { compactPopulation, validateCustomer, type FrequencyRecencyAge } from './population';
import { hyp2f1, logHyp2f1, type Hyp2f1Options } from './special-functions';

export type { BgNbdParams } from './bg-nbd-likelihood';

export interface BgNbdFitOptions {
  /**
   * L2 penalty on the parameters, as lifetimes' `penalizer_coef`: the optimiser minimises
   * -(ln L)/N + penalty·(r² + α² + a² + b²). Default 0 (plain maximum likelihood).
   */
  penalty?: number;
  /** Starting point; default r = a = b = 1 and α = mean T (the time scale of the data). */
  initial?: BgNbdParams;
  /** Nelder-Mead restarts after convergence, on the fallback path (default 10). */
  maxRestarts?: number;
  /** 'auto' (default): BFGS, Nelder-Mead as fallback. 'nelder-mead': derivative-free only. */
  optimiser?: 'auto' | 'nelder-mead';
}

export interface BgNbdFit {
  params: BgNbdParams;
  /** Total (unpenalised) log-likelihood of the population at `params`. */
  logLikelihood: number;
  customers: number;
  /** Likelihood evaluations the optimiser used. */
  evaluations: number;
  /** Which optimiser produced the estimate: BFGS normally (also when it converged on a bound), Nelder-Mead when BFGS failed. */
  optimiser: 'bfgs' | 'nelder-mead';
  converged: boolean;
  /** Present when the fit is suspect, e.g. a parameter pinned at the search bound (degenerate data). */
  warnings: string[];
}

// Search box on ln(parameter): wide enough for any real time unit, finite so that degenerate data
// (no heterogeneity, nobody repeats) stops at a bound instead of running away.
const LOG_BOUND = 18;
const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;
// Evaluations Nelder-Mead's best point may sit on the box before the search stops (the stall rule's 50 per dimension).
const BOUND_PATIENCE = 50 * PARAM_NAMES.length;

/**
 * Maximum-likelihood (optionally L2-penalised) fit of the BG/NBD model on log-parameters: BFGS with the
 * analytic gradient, falling back to Nelder-Mead with restarts when BFGS fails or ends on the search box.
 */
export function fitBgNbd(customers: readonly FrequencyRecencyAge[], options: BgNbdFitOptions = {}): BgNbdFit {
  const population = compactPopulation(customers, 'BG/NBD');
  const penalty = options.penalty ?? 0;
  requireNonNegative(penalty, 'penalty');
  let meanT = 0;
  for (let i = 0; i < population.age.length; i++)
    meanT += ((population.age[i] as number) * (population.weight[i] as number)) / population.customers;
  const initial = options.initial ?? { r: 1, alpha: Math.max(meanT, 1e-3), a: 1, b: 1 };
  const toParams = (logs: readonly number[]): BgNbdParams => ({
    r: Math.exp(logs[0] as number),
    alpha: Math.exp(logs[1] as number),
    a: Math.exp(logs[2] as number),
    b: Math.exp(logs[3] as number),
  });
  const n = population.customers;
  const objective = (logs: readonly number[], gradient?: Float64Array): number => {
    const params = toParams(logs);
    const ll = bgNbdLogLikelihoodOf(params, population, gradient);
    if (gradient) {
      // chain rule to log-parameters: ∂f/∂ln θ = θ · ∂f/∂θ
      PARAM_NAMES.forEach((name, i) => {
        gradient[i] = params[name] * (-(gradient[i] as number) / n + 2 * penalty * params[name]);
      });
    }
    return -ll / n + penalty * (params.r ** 2 + params.alpha ** 2 + params.a ** 2 + params.b ** 2);
  };
  const bounds = { lower: PARAM_NAMES.map(() => -LOG_BOUND), upper: PARAM_NAMES.map(() => LOG_BOUND) };
  const start = PARAM_NAMES.map((name) => Math.log(initial[name]));
  // Fast path: BFGS on the analytic gradient. Robust path, when it fails: Nelder-Mead with restarts
  // from the best point so far, stopped once its best point stays on the box.
  const quasiNewton =
    options.optimiser === 'nelder-mead'
      ? { point: start, value: objective(start), evaluations: 1, restarts: 0, converged: false }
      : minimizeBfgs(objective, start, { ...bounds, gradientTolerance: 1e-9 });
  // BFGS converged on the box means its projected gradient vanished there: the likelihood still rises
  // towards the bound (a KKT point of the box, not an interior optimum). Nelder-Mead from that point can
  // only crawl along the bound (seconds at 100,000 customers) and ends no more identified: report it as is.
  let result: MinimizeResult = quasiNewton;
  let optimiser: BgNbdFit['optimiser'] = 'bfgs';
  if (!quasiNewton.converged) {
    const from = Number.isFinite(quasiNewton.value) ? quasiNewton.point : start;
    const simplex = minimizeNelderMead((logs) => objective(logs), from, {
      ...bounds,
      maxRestarts: options.maxRestarts ?? 10,
      functionTolerance: 1e-10,
      pointTolerance: 1e-6,
      restartStep: 0.01,
      boundPatience: BOUND_PATIENCE,
      boundMargin: 0.01,
    });
    optimiser = 'nelder-mead';
    result = { ...simplex, evaluations: simplex.evaluations + quasiNewton.evaluations };
  }
  const params = toParams(result.point);
  const warnings = PARAM_NAMES.filter((_, i) => Math.abs(result.point[i] as number) >= LOG_BOUND - 0.01).map(
    (name) => `${name} reached the search bound (${params[name].toExponential(3)}): the data cannot identify it`,
  );
  if (population.maxFrequency === 0)
    warnings.push('no customer has a repeat purchase: a and b (dropout) are not identified');
  if (result.stoppedAtBound)
    warnings.push('optimiser stopped on the search bound: the likelihood still rises towards it');
  else if (!result.converged) warnings.push('optimiser stopped on its evaluation budget before converging');
  return {
    params,
    logLikelihood: bgNbdLogLikelihoodOf(params, population),
    customers: population.customers,
    evaluations: result.evaluations,
    optimiser,
    converged: result.converged,
    warnings,
  };
}

/** Total BG/NBD log-likelihood of a population at the given parameters. */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly FrequencyRecencyAge[]): number {
  validateParams(params);
  return bgNbdLogLikelihoodOf(params, compactPopulation(customers, 'BG/NBD'));
}

/**
 * P(customer still alive at T | x, t_x, T) (FHL 2005, eq. 11):
 *   1 / (1 + 1{x>0} · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)), the odds computed in log space.
 */
export function probabilityAlive(params: BgNbdParams, customer: FrequencyRecencyAge): number {
  validateParams(params);
  validateCustomer(customer);
  return 1 / (1 + Math.exp(logDropoutOdds(params, customer)));
}

/** P(alive) under fixed parameters, and where it falls below a level as the customer's age grows. */
export interface ProbabilityAliveModel {
  (customer: FrequencyRecencyAge): number;
  /**
   * With frequency (> 0) and recency fixed, the age T beyond which P(alive) < p (P only falls as T
   * grows): the root of the odds in closed form, for callers that look for the day a threshold is
   * crossed; they confirm it against the model itself (rounding may put the day one off). Infinity
   * when nothing is bought again (frequency 0: P stays 1).
   */
  ageBelow(frequency: number, recency: number, p: number): number;
}

/**
 * `probabilityAlive` under fixed parameters, checked once: for callers that ask it of many summaries they
 * built themselves (a stage history asks it at every change point). The same arithmetic, the same result.
 */
export function probabilityAliveUnder(params: BgNbdParams): ProbabilityAliveModel {
  validateParams(params);
  const { r, alpha, a, b } = params;
  const logA = Math.log(a);
  // Callers ask along one customer's days (frequency and recency fixed, T growing): the two logs that
  // do not depend on T are kept from the last call. The same arithmetic, the same result.
  let lastX = Number.NaN;
  let lastRecency = Number.NaN;
  let logB = 0;
  let logRecency = 0;
  const model = ({ frequency: x, recency, T }: FrequencyRecencyAge): number => {
    if (x === 0) return 1;
    if (x !== lastX || recency !== lastRecency) {
      lastX = x;
      lastRecency = recency;
      logB = Math.log(b + x - 1);
      logRecency = Math.log(alpha + recency);
    }
    return 1 / (1 + Math.exp(logA - logB + (r + x) * (Math.log(alpha + T) - logRecency)));
  };
  // P < p ⇔ odds > (1-p)/p ⇔ ln(α+T) > ln(α+t_x) + (ln((1-p)/p) - ln(a/(b+x-1))) / (r+x).
  const ageBelow = (x: number, recency: number, p: number): number =>
    x === 0
      ? Number.POSITIVE_INFINITY
      : (alpha + recency) * Math.exp((Math.log((1 - p) / p) - logA + Math.log(b + x - 1)) / (r + x)) - alpha;
  return Object.assign(model, { ageBelow });
}

/**
 * Expected number of purchases in the next t time units (FHL 2005, eq. 10):
 *   E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z)]
 *                         / (1 + 1{x>0} · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)),   z = t/(α+T+t).
 * By Euler's transformation the bracket is 1 - (1-z)^(a-1) · 2F1(a+b-1-r, a-1; a+b+x-1; z), whose series
 * has small numerator parameters and converges fast; if it fails, the direct series is tried in log space.
 * Throws HypergeometricConvergenceError if both fail (`series` sets tolerance and term budget). Near a = 1 the limit a → 1 is used:
 *   c · -[ln(1-z) + Σ_{n≥1} (b-r)_n / ((c)_n · n) · z^n],  c = b + x.
 */
export function expectedPurchases(
  params: BgNbdParams,
  customer: FrequencyRecencyAge,
  t: number,
  series: Hyp2f1Options = {},
): number {
  validateParams(params);
  validateCustomer(customer);
  requireNonNegative(t, 't');
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const x = customer.frequency;
  const c = a + b + x - 1;
  const z = t / (alpha + customer.T + t);
  const denominator = 1 + Math.exp(logDropoutOdds(params, customer));
  // At a = 1 both factors of c/(a-1) · bracket vanish: use the limit instead.
  if (Math.abs(a - 1) < 1e-7) return (c * -(Math.log1p(-z) + limitSeries(b - r, c, z))) / denominator;
  let bracket: number;
  try {
    bracket =
      -Math.expm1((a - 1) * Math.log1p(-z)) - Math.pow(1 - z, a - 1) * (hyp2f1(a + b - 1 - r, a - 1, c, z, series) - 1);
  } catch (error) {
    if (!(error instanceof HypergeometricConvergenceError)) throw error;
    bracket = -Math.expm1(logHyp2f1(r + x, b + x, c, z, series) + (r + x) * Math.log1p(-z));
  }
  const firstTerm = c / (a - 1);
  return (firstTerm * bracket) / denominator;
}

/** Expected purchases in t time units of a customer just acquired (x = 0, T = 0): E[X(t)], FHL 2005 eq. 9. */
export function expectedPurchasesOfNewCustomer(params: BgNbdParams, t: number): number {
  return expectedPurchases(params, { frequency: 0, recency: 0, T: 0 }, t);
}

/** Σ_{n≥1} (u)_n / ((c)_n · n) · z^n, the a → 1 limit of the hypergeometric term. */
function limitSeries(u: number, c: number, z: number): number {
  let term = 1;
  let sum = 0;
  for (let n = 1; n <= 1_000_000; n++) {
    term *= ((u + n - 1) / (c + n - 1)) * z;
    sum += term / n;
    const bound = z * (1 + Math.max(0, u - c) / (c + n));
    if (u + n > 0 && c + n > 0 && bound < 1 && (Math.abs(term) * bound) / (1 - bound) <= 1e-15 * Math.abs(sum))
      return sum;
    if (term === 0) return sum;
  }
  throw new HypergeometricConvergenceError(u, 1, c, z, 'a -> 1 limit series did not converge within 1000000 terms');
}

function logDropoutOdds(params: BgNbdParams, customer: FrequencyRecencyAge): number {
  const x = customer.frequency;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  const { r, alpha, a, b } = params;
  return (
    Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + customer.T) - Math.log(alpha + customer.recency))
  );
}

function validateParams(params: BgNbdParams): void {
  for (const name of PARAM_NAMES) {
    if (!Number.isFinite(params[name]) || params[name] <= 0)
      throw new InvalidClvInputError(name, 'must be a finite number > 0');
  }
}
