import { EmptyPopulationError, InvalidClvInputError, requireNonNegative, requirePositive } from './clv-errors';
import { minimizeNelderMead } from './nelder-mead';
import { logGamma } from './special-functions';

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
  const logLikelihoodAt = (params: GammaGammaParams): number => gammaGammaLogLikelihoodOf(params, columns);
  const result = minimizeNelderMead(
    (logs) => {
      const params = toParams(logs);
      return -logLikelihoodAt(params) / repeaters.length + penalty * (params.p ** 2 + params.q ** 2 + params.v ** 2);
    },
    PARAM_NAMES.map((name) => Math.log(initial[name])),
    {
      lower: [-LOG_BOUND, -LOG_BOUND, -LOG_BOUND],
      upper: [LOG_BOUND, LOG_BOUND, LOG_BOUND],
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
  const params = toParams(result.point);
  const warnings = PARAM_NAMES.filter((_, i) => Math.abs(result.point[i] as number) >= LOG_BOUND - 0.01).map(
    (name) => `${name} reached the search bound (${params[name].toExponential(3)}): the data cannot identify it`,
  );
  if (result.stoppedAtBound)
    warnings.push('optimiser stopped on the search bound: the likelihood still rises towards it');
  else if (!result.converged) warnings.push('optimiser stopped on its evaluation budget before converging');
  return {
    params,
    logLikelihood: logLikelihoodAt(params),
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

export function gammaGammaLogLikelihoodOf(params: GammaGammaParams, columns: SpendColumns): number {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  // ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln v depends on the integer x only: tabulate it.
  const byFrequency = new Float64Array(columns.maxFrequency + 1);
  const constant = -logGamma(q) + q * Math.log(v);
  for (let x = 1; x <= columns.maxFrequency; x++) byFrequency[x] = logGamma(p * x + q) - logGamma(p * x) + constant;
  const { frequency, monetary, logMonetary, logFrequency } = columns;
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const px = p * x;
    total +=
      (byFrequency[x] as number) +
      (px - 1) * (logMonetary[i] as number) +
      px * (logFrequency[i] as number) -
      (px + q) * Math.log(v + x * (monetary[i] as number));
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
