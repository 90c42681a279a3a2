import type { MinimizeResult } from './nelder-mead';

export interface BfgsOptions {
  /** Converged when every gradient component is at most this in absolute value. */
  gradientTolerance?: number;
  maxIterations?: number;
  /** Largest step (in any coordinate) a line search may try, to keep early steps sane. */
  maxStep?: number;
  lower?: readonly number[];
  upper?: readonly number[];
}

/**
 * Minimises f with BFGS (inverse-Hessian update) and a backtracking Armijo line search, using the
 * analytic gradient `f(x, gradientOut)` writes. Steps are projected into the box [lower, upper].
 * Returns converged = false (rather than throwing) when the line search or the budget fails, so that
 * a caller can fall back to a derivative-free method.
 */
export function minimizeBfgs(
  f: (x: readonly number[], gradient: Float64Array) => number,
  start: readonly number[],
  options: BfgsOptions = {},
): MinimizeResult {
  const n = start.length;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 200;
  const maxStep = options.maxStep ?? 2;
  const clamp = (x: number[]): number[] =>
    x.map((v, i) => Math.min(options.upper?.[i] ?? Infinity, Math.max(options.lower?.[i] ?? -Infinity, v)));
  let evaluations = 0;
  const evaluate = (x: number[], gradient: Float64Array): number => {
    evaluations++;
    const value = f(x, gradient);
    return Number.isFinite(value) && gradient.every(Number.isFinite) ? value : Infinity;
  };

  let x = clamp([...start]);
  let gradient = new Float64Array(n);
  let value = evaluate(x, gradient);
  const failed = (converged: boolean): MinimizeResult => ({ point: x, value, evaluations, restarts: 0, converged });
  if (value === Infinity) return failed(false);
  let inverseHessian = identity(n);
  let scaled = false;

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(projectedGradient(x, gradient, options)) <= gradientTolerance) return failed(true);
    let direction = multiply(inverseHessian, gradient).map((v) => -v);
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      inverseHessian = identity(n); // lost descent: restart from steepest descent
      direction = Array.from(gradient, (v) => -v);
      slope = dot(direction, gradient);
    }
    let step = Math.min(1, maxStep / Math.max(maxAbs(direction), 1e-300));
    const nextGradient = new Float64Array(n);
    let next: number[] | undefined;
    let nextValue = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      const candidate = clamp(x.map((v, i) => v + step * (direction[i] as number)));
      const candidateValue = evaluate(candidate, nextGradient);
      const actualSlope = dot(
        candidate.map((v, i) => v - (x[i] as number)),
        gradient,
      );
      if (candidateValue <= value + 1e-4 * Math.min(actualSlope, 0)) {
        next = candidate;
        nextValue = candidateValue;
        break;
      }
      step *= 0.5;
    }
    if (!next) return failed(false);
    const s = next.map((v, i) => v - (x[i] as number));
    const y = Array.from(nextGradient, (v, i) => v - (gradient[i] as number));
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        inverseHessian = identity(n).map((row) => row.map((v) => (v * sy) / dot(y, y)));
        scaled = true;
      }
      inverseHessian = bfgsUpdate(inverseHessian, s, y, sy);
    }
    const improvement = value - nextValue;
    x = next;
    value = nextValue;
    gradient = nextGradient;
    if (improvement <= 1e-16 * Math.max(1, Math.abs(value)) && maxAbs(s) < 1e-12) {
      return failed(maxAbs(projectedGradient(x, gradient, options)) <= gradientTolerance * 100);
    }
  }
  return failed(false);
}

/** Gradient with the components that push against an active bound zeroed (they cannot be followed). */
function projectedGradient(x: readonly number[], gradient: Float64Array, options: BfgsOptions): number[] {
  return Array.from(gradient, (g, i) => {
    const atLower = options.lower !== undefined && (x[i] as number) <= (options.lower[i] as number) && g > 0;
    const atUpper = options.upper !== undefined && (x[i] as number) >= (options.upper[i] as number) && g < 0;
    return atLower || atUpper ? 0 : g;
  });
}

function bfgsUpdate(h: number[][], s: number[], y: number[], sy: number): number[][] {
  // H' = (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (sᵀy)
  const rho = 1 / sy;
  const hy = multiply(h, y);
  const yhy = dot(y, hy);
  return h.map((row, i) =>
    row.map(
      (v, j) =>
        v -
        rho * ((hy[i] as number) * (s[j] as number) + (s[i] as number) * (hy[j] as number)) +
        (rho * rho * yhy + rho) * (s[i] as number) * (s[j] as number),
    ),
  );
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function multiply(m: number[][], v: ArrayLike<number>): number[] {
  return m.map((row) => row.reduce((sum, x, j) => sum + x * (v[j] as number), 0));
}

function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += (u[i] as number) * (v[i] as number);
  return sum;
}

function maxAbs(v: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] as number));
  return max;
}
