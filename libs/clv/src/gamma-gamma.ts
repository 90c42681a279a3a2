import { EmptyPopulationError, InvalidClvInputError, requireNonNegative, requirePositive } from './clv-errors';
import { minimizeNelderMead, type MinimizeResult } from './nelder-mead';
import { minimizeBfgs } from './quasi-newton';
import { digamma, logGamma } from './special-functions';

/** Gamma-Gamma parameters: spend per transaction ~ Gamma(p, ν), ν ~ Gamma(q, v) across customers. */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** What the spend model needs of a customer: repeat purchase count and their mean amount. */
export interface FrequencyMonetary {
  frequency: number;
  monetaryValue: number;
}

export interface GammaGammaFitOptions {
  /** L2 penalty as lifetimes: minimise -(ln L)/N + penalty·(p² + q² + v²). Default 0. */
  penalty?: number;
  initial?: GammaGammaParams;
  maxRestarts?: number;
  /** 'bfgs' (default, Nelder-Mead when it fails) or 'nelder-mead' alone. */
  optimiser?: 'bfgs' | 'nelder-mead';
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Customers used: those with frequency > 0. */
  customers: number;
  evaluations: number;
  converged: boolean;
  warnings: string[];
}

const LOG_BOUND = 18;
const PARAM_NAMES = ['p', 'q', 'v'] as const;

/**
 * Maximum-likelihood fit of the Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV") on the
 * customers with frequency > 0 (the others are skipped). Per customer, with x repeat purchases of mean m:
 *   ln L = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v + x m)
 */
export function fitGammaGamma(
  customers: readonly FrequencyMonetary[],
  options: GammaGammaFitOptions = {},
): GammaGammaFit {
  const repeaters = customers.filter((customer, index) => {
    validateSpendCustomer(customer, index);
    return customer.frequency > 0;
  });
  if (repeaters.length === 0)
    throw new EmptyPopulationError('Gamma-Gamma', 'no customers with frequency > 0 to fit on');
  const penalty = options.penalty ?? 0;
  requireNonNegative(penalty, 'penalty');
  const columns = spendColumns(repeaters);
  const meanSpend = columns.monetary.reduce((sum, m) => sum + m, 0) / repeaters.length;
  const initial = options.initial ?? { p: 1, q: 1, v: meanSpend };
  const toParams = (logs: readonly number[]): GammaGammaParams => ({
    p: Math.exp(logs[0] as number),
    q: Math.exp(logs[1] as number),
    v: Math.exp(logs[2] as number),
  });
  const n = repeaters.length;
  const objective = (logs: readonly number[], gradient?: Float64Array): number => {
    const params = toParams(logs);
    const ll = gammaGammaLogLikelihoodOf(params, columns, gradient);
    if (gradient)
      PARAM_NAMES.forEach((name, i) => {
        // chain rule to log-parameters: ∂f/∂ln θ = θ · ∂f/∂θ
        gradient[i] = params[name] * (-(gradient[i] as number) / n + 2 * penalty * params[name]);
      });
    return -ll / n + penalty * (params.p ** 2 + params.q ** 2 + params.v ** 2);
  };
  const bounds = { lower: [-LOG_BOUND, -LOG_BOUND, -LOG_BOUND], upper: [LOG_BOUND, LOG_BOUND, LOG_BOUND] };
  const start = PARAM_NAMES.map((name) => Math.log(initial[name]));
  // As BG/NBD: BFGS on the analytic gradient, Nelder-Mead with restarts from its point when it fails.
  const quasiNewton =
    options.optimiser === 'nelder-mead'
      ? { point: start, value: objective(start), evaluations: 1, restarts: 0, converged: false }
      : minimizeBfgs(objective, start, { ...bounds, gradientTolerance: 1e-9 });
  let result: MinimizeResult = quasiNewton;
  if (!quasiNewton.converged) {
    const simplex = minimizeNelderMead(
      (logs) => objective(logs),
      Number.isFinite(quasiNewton.value) ? quasiNewton.point : start,
      {
        ...bounds,
        maxRestarts: options.maxRestarts ?? 10,
        functionTolerance: 1e-10,
        pointTolerance: 1e-6,
        restartStep: 0.01,
        // Degenerate spend (no heterogeneity: p, q → ∞ together) crawls along the box for the whole
        // budget: stop once the best point has stayed on it (the stall rule's 50 per dimension).
        boundPatience: 50 * PARAM_NAMES.length,
        boundMargin: 0.01,
      },
    );
    result = { ...simplex, evaluations: simplex.evaluations + quasiNewton.evaluations };
  }
  const params = toParams(result.point);
  const pinned = PARAM_NAMES.filter((_, i) => Math.abs(result.point[i] as number) >= LOG_BOUND - 0.01);
  const warnings = pinned.map(
    (name) => `${name} reached the search bound (${params[name].toExponential(3)}): the data cannot identify it`,
  );
  // BFGS converged on the box: its projected gradient vanished there, the likelihood still rises towards it.
  if (result.stoppedAtBound || (result.converged && pinned.length > 0))
    warnings.push('optimiser stopped on the search bound: the likelihood still rises towards it');
  else if (!result.converged) warnings.push('optimiser stopped on its evaluation budget before converging');
  return {
    params,
    logLikelihood: gammaGammaLogLikelihoodOf(params, columns),
    customers: repeaters.length,
    evaluations: result.evaluations,
    converged: result.converged,
    warnings,
  };
}

/**
 * E[mean spend | x, m] = (q-1)/(px+q-1) · vp/(q-1) + px/(px+q-1) · m: a weighted mean of the population
 * mean vp/(q-1) and the customer's own mean. For frequency 0 it is the population mean (needs q > 1).
 */
export function expectedAverageSpend(params: GammaGammaParams, customer: FrequencyMonetary): number {
  validateGammaGammaParams(params);
  validateSpendCustomer(customer);
  const { p, q, v } = params;
  if (q <= 1) throw new InvalidClvInputError('q', 'must be > 1 for the expected spend to exist');
  const px = p * customer.frequency;
  return ((q - 1) / (px + q - 1)) * ((v * p) / (q - 1)) + (px / (px + q - 1)) * customer.monetaryValue;
}

/** Total Gamma-Gamma log-likelihood of the customers with frequency > 0 at `params` (the others are skipped). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, customers: readonly FrequencyMonetary[]): number {
  return gammaGammaLogLikelihoodOf(params, spendColumns(customers.filter((customer) => customer.frequency > 0)));
}

/** The repeaters' columns, built once per population (the likelihood is evaluated many times on them). */
export interface SpendColumns {
  frequency: Float64Array;
  monetary: Float64Array;
  logMonetary: Float64Array;
  logFrequency: Float64Array;
  maxFrequency: number;
}

export function spendColumns(customers: readonly FrequencyMonetary[]): SpendColumns {
  const frequency = Float64Array.from(customers, (c) => c.frequency);
  const monetary = Float64Array.from(customers, (c) => c.monetaryValue);
  return {
    frequency,
    monetary,
    logMonetary: monetary.map(Math.log),
    logFrequency: frequency.map(Math.log),
    maxFrequency: frequency.reduce((max, x) => Math.max(max, x), 0),
  };
}

/**
 * Total Gamma-Gamma log-likelihood of the repeaters' columns; with `gradient` (length 3), also writes
 * ∂ln L/∂(p, q, v) into it in the same pass (ψ, the digamma function, tabulated by x as ln Γ is).
 */
export function gammaGammaLogLikelihoodOf(
  params: GammaGammaParams,
  columns: SpendColumns,
  gradient?: Float64Array,
): number {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  // ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln v depends on the integer x only: tabulate it.
  const byFrequency = new Float64Array(columns.maxFrequency + 1);
  const logV = Math.log(v);
  const constant = -logGamma(q) + q * logV;
  for (let x = 1; x <= columns.maxFrequency; x++) byFrequency[x] = logGamma(p * x + q) - logGamma(p * x) + constant;
  // Their derivatives: x (ψ(px+q) − ψ(px)) in p, ψ(px+q) − ψ(q) + ln v in q.
  const dP = gradient ? new Float64Array(columns.maxFrequency + 1) : null;
  const dQ = gradient ? new Float64Array(columns.maxFrequency + 1) : null;
  if (dP && dQ) {
    const digammaQ = digamma(q);
    for (let x = 1; x <= columns.maxFrequency; x++) {
      const both = digamma(p * x + q);
      dP[x] = x * (both - digamma(p * x));
      dQ[x] = both - digammaQ + logV;
    }
  }
  const { frequency, monetary, logMonetary, logFrequency } = columns;
  let total = 0;
  let gP = 0;
  let gQ = 0;
  let gV = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const px = p * x;
    const spend = v + x * (monetary[i] as number);
    const logSpend = Math.log(spend);
    total +=
      (byFrequency[x] as number) +
      (px - 1) * (logMonetary[i] as number) +
      px * (logFrequency[i] as number) -
      (px + q) * logSpend;
    if (dP && dQ) {
      gP += (dP[x] as number) + x * ((logMonetary[i] as number) + (logFrequency[i] as number) - logSpend);
      gQ += (dQ[x] as number) - logSpend;
      gV += q / v - (px + q) / spend;
    }
  }
  if (gradient) {
    gradient[0] = gP;
    gradient[1] = gQ;
    gradient[2] = gV;
  }
  return total;
}

function validateSpendCustomer(customer: FrequencyMonetary, index?: number): void {
  if (!Number.isInteger(customer.frequency) || customer.frequency < 0) {
    throw new InvalidClvInputError('frequency', 'must be an integer >= 0', index);
  }
  if (customer.frequency > 0) requirePositive(customer.monetaryValue, 'monetaryValue', index);
  else requireNonNegative(customer.monetaryValue, 'monetaryValue', index);
}

function validateGammaGammaParams(params: GammaGammaParams): void {
  for (const name of PARAM_NAMES) requirePositive(params[name], name);
}
