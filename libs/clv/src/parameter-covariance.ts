import { SingularInformationError } from './clv-errors';
import { bgNbdLogLikelihoodOf, type BgNbdParams } from './bg-nbd-likelihood';
import { gammaGammaLogLikelihoodOf, spendColumns, type FrequencyMonetary, type GammaGammaParams } from './gamma-gamma';
import { invertPositiveDefinite } from './matrix';
import { compactPopulation, type FrequencyRecencyAge } from './population';

/**
 * The sampling uncertainty of fitted parameters: the inverse of the observed information (minus the
 * Hessian of the log-likelihood at the optimum) on the log-parameters the fit searched over. On the
 * log scale the likelihood is closer to quadratic and intervals built from it stay positive.
 */
export interface ParameterCovariance<Name extends string = string> {
  names: readonly Name[];
  /** ln of the estimates, in `names` order: the centre of the covariance. */
  logEstimate: number[];
  /** Covariance of the log-parameters (names × names). */
  logCovariance: number[][];
  /** Standard errors of the parameters themselves by the delta method: θ · sd(ln θ). */
  standardErrors: Record<Name, number>;
}

export type BgNbdCovariance = ParameterCovariance<'r' | 'alpha' | 'a' | 'b'>;
export type GammaGammaCovariance = ParameterCovariance<'p' | 'q' | 'v'>;

const BG_NAMES = ['r', 'alpha', 'a', 'b'] as const;
const GG_NAMES = ['p', 'q', 'v'] as const;
// Relative steps of the finite differences, on ln θ: central differences of the analytic gradient
// (BG/NBD) are accurate to ~h²; second differences of the value (Gamma-Gamma) need a larger step.
const GRADIENT_STEP = 1e-4;
const VALUE_STEP = 1e-3;

/**
 * Covariance of the BG/NBD log-parameters at `params` (normally the unpenalised ML fit on the same
 * customers): the observed information from central differences of the analytic gradient.
 * Throws SingularInformationError when it is not positive definite (a parameter not identified).
 */
export function bgNbdCovariance(params: BgNbdParams, customers: readonly FrequencyRecencyAge[]): BgNbdCovariance {
  const population = compactPopulation(customers, 'BG/NBD');
  const logEstimate = BG_NAMES.map((name) => Math.log(params[name]));
  const logGradient = (logs: readonly number[]): number[] => {
    const at: BgNbdParams = {
      r: Math.exp(logs[0]!),
      alpha: Math.exp(logs[1]!),
      a: Math.exp(logs[2]!),
      b: Math.exp(logs[3]!),
    };
    const gradient = new Float64Array(4);
    bgNbdLogLikelihoodOf(at, population, gradient);
    return BG_NAMES.map((name, i) => at[name] * gradient[i]!); // ∂ℓ/∂ln θ = θ · ∂ℓ/∂θ
  };
  const hessian = BG_NAMES.map(() => new Array<number>(4).fill(0));
  for (let j = 0; j < 4; j++) {
    const up = logGradient(logEstimate.map((v, k) => (k === j ? v + GRADIENT_STEP : v)));
    const down = logGradient(logEstimate.map((v, k) => (k === j ? v - GRADIENT_STEP : v)));
    for (let i = 0; i < 4; i++) hessian[i]![j] = (up[i]! - down[i]!) / (2 * GRADIENT_STEP);
  }
  return fromHessian('BG/NBD', BG_NAMES, logEstimate, hessian);
}

/**
 * Covariance of the Gamma-Gamma log-parameters at `params`, on the customers with frequency > 0:
 * the observed information from second differences of the log-likelihood.
 */
export function gammaGammaCovariance(
  params: GammaGammaParams,
  customers: readonly FrequencyMonetary[],
): GammaGammaCovariance {
  const logEstimate = GG_NAMES.map((name) => Math.log(params[name]));
  // The same sums as gammaGammaLogLikelihood, its columns built once for the 13 evaluations.
  const columns = spendColumns(customers.filter((customer) => customer.frequency > 0));
  const value = (logs: readonly number[]): number =>
    gammaGammaLogLikelihoodOf({ p: Math.exp(logs[0]!), q: Math.exp(logs[1]!), v: Math.exp(logs[2]!) }, columns);
  const shifted = (steps: ReadonlyArray<[number, number]>): number =>
    value(logEstimate.map((v, k) => steps.reduce((sum, [index, by]) => (index === k ? sum + by : sum), v)));
  const h = VALUE_STEP;
  const centre = value(logEstimate);
  const hessian = GG_NAMES.map(() => new Array<number>(3).fill(0));
  for (let i = 0; i < 3; i++) {
    hessian[i]![i] = (shifted([[i, h]]) - 2 * centre + shifted([[i, -h]])) / (h * h);
    for (let j = 0; j < i; j++) {
      const mixed =
        (shifted([
          [i, h],
          [j, h],
        ]) -
          shifted([
            [i, h],
            [j, -h],
          ]) -
          shifted([
            [i, -h],
            [j, h],
          ]) +
          shifted([
            [i, -h],
            [j, -h],
          ])) /
        (4 * h * h);
      hessian[i]![j] = hessian[j]![i] = mixed;
    }
  }
  return fromHessian('Gamma-Gamma', GG_NAMES, logEstimate, hessian);
}

function fromHessian<Name extends string>(
  model: string,
  names: readonly Name[],
  logEstimate: number[],
  hessian: number[][],
): ParameterCovariance<Name> {
  const n = names.length;
  const information = hessian.map((row, i) => row.map((_, j) => -(hessian[i]![j]! + hessian[j]![i]!) / 2));
  const logCovariance = invertPositiveDefinite(information);
  if (logCovariance === null || logCovariance.some((row, i) => !(row[i]! > 0) || row.some((x) => !Number.isFinite(x))))
    throw new SingularInformationError(
      model,
      'the observed information is not positive definite: a parameter is not identified by the data',
    );
  const standardErrors = {} as Record<Name, number>;
  for (let i = 0; i < n; i++) standardErrors[names[i]!] = Math.exp(logEstimate[i]!) * Math.sqrt(logCovariance[i]![i]!);
  return { names, logEstimate, logCovariance, standardErrors };
}
