import { HypergeometricConvergenceError } from './clv-errors';

// Lanczos approximation (g = 607/128, 15 terms), relative error ~1e-15 for x > 0.
const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.9999999999999971, 57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202,
  0.00003399464998481189, 0.00004652362892704858, -0.00009837447530487956, 0.0001580887032249125,
  -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639, 0.00008441822398385275,
  -0.000026190838401581408, 0.0000036899182659531625,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return logGamma(x + 1) - Math.log(x); // keeps precision for tiny x
  const y = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 10, then the asymptotic
 * series (error below 1e-14 there). For analytic gradients of likelihoods written with ln Γ.
 */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  const series =
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

export interface Hyp2f1Options {
  /** Relative size of the last term below which the series counts as converged. */
  tolerance?: number;
  /** Term budget; beyond it a HypergeometricConvergenceError is thrown. */
  maxTerms?: number;
}

/**
 * 2F1(a, b; c; z) by its power series, for 0 <= z < 1 and c not a non-positive integer. Throws
 * HypergeometricConvergenceError when the series does not settle within `maxTerms` or overflows.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, options: Hyp2f1Options = {}): number {
  const { sum, logScale } = sumSeries(a, b, c, z, options);
  const value = sum * Math.exp(logScale);
  if (!Number.isFinite(value)) throw new HypergeometricConvergenceError(a, b, c, z, 'value overflows a double');
  return value;
}

/**
 * ln 2F1(a, b; c; z), summed with a running log scale so that huge terms cannot overflow. Throws
 * HypergeometricConvergenceError as hyp2f1 does, and when the sum is <= 0 (no real logarithm).
 */
export function logHyp2f1(a: number, b: number, c: number, z: number, options: Hyp2f1Options = {}): number {
  const { sum, logScale } = sumSeries(a, b, c, z, options);
  if (!(sum > 0)) throw new HypergeometricConvergenceError(a, b, c, z, `series sum ${sum} is not positive`);
  return Math.log(sum) + logScale;
}

const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);

/**
 * A bound on every term ratio z·(a+k)(b+k)/((c+k)(k+1)) of 2F1's series for k >= m (a+m, b+m, c+m > 0):
 * one numerator parameter over k+1, the other over c+k, each factor at most its value at k = m when it
 * exceeds 1. Of the two pairings the tighter is taken: with a ≈ c (BG/NBD's Euler form when dropout
 * is rare, a and c ~ 10^5) pairing a with c bounds the ratio by z from the first terms, where pairing
 * a with k+1 took ~a·z/(1−z) terms to fall below 1 (minutes for a population).
 */
export function tailRatioBound(a: number, b: number, c: number, z: number, m: number): number {
  const aOverK = 1 + Math.max(0, a - 1) / (m + 1);
  const bOverK = 1 + Math.max(0, b - 1) / (m + 1);
  const aOverC = 1 + Math.max(0, a - c) / (c + m);
  const bOverC = 1 + Math.max(0, b - c) / (c + m);
  return z * Math.min(aOverK * bOverC, bOverK * aOverC);
}

function sumSeries(
  a: number,
  b: number,
  c: number,
  z: number,
  options: Hyp2f1Options,
): { sum: number; logScale: number } {
  const tolerance = options.tolerance ?? 1e-15;
  const maxTerms = options.maxTerms ?? 1_000_000;
  if (!(z >= 0 && z < 1)) throw new HypergeometricConvergenceError(a, b, c, z, 'z must be in [0, 1)');
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    throw new HypergeometricConvergenceError(a, b, c, z, 'parameters must be finite');
  }
  if (c <= 0 && Number.isInteger(c))
    throw new HypergeometricConvergenceError(a, b, c, z, 'c is a non-positive integer');
  let logScale = 0; // the true sum is sum * e^logScale
  let sum = 1;
  let term = 1;
  if (z === 0) return { sum, logScale };
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return { sum, logScale };
    // Rigorous stop: for m > n every later term ratio is at most `bound`, so the tail is at most
    // |term| * bound / (1 - bound) (geometric); valid once a+m, b+m, c+m are all positive.
    const m = n + 1;
    if (a + m > 0 && b + m > 0 && c + m > 0) {
      const bound = tailRatioBound(a, b, c, z, m);
      if (bound < 1 && (Math.abs(term) * bound) / (1 - bound) <= tolerance * Math.abs(sum)) return { sum, logScale };
    }
    if (Math.abs(sum) > RESCALE || Math.abs(term) > RESCALE) {
      logScale += LOG_RESCALE;
      sum /= RESCALE;
      term /= RESCALE;
    }
    if (!Number.isFinite(sum)) throw new HypergeometricConvergenceError(a, b, c, z, 'non-finite partial sum');
  }
  throw new HypergeometricConvergenceError(a, b, c, z, `no convergence within ${maxTerms} terms`);
}
