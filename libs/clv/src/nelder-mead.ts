export interface MinimizeOptions {
  /** Stop when the simplex's function values differ by at most this. */
  functionTolerance?: number;
  /** ...and its vertices by at most this in every coordinate. */
  pointTolerance?: number;
  /** Evaluation budget over all runs (default 1000 per dimension). */
  maxEvaluations?: number;
  /** Fresh simplices started from the best point after a run converges (guards against collapse). */
  maxRestarts?: number;
  /** Initial simplex edge length. */
  initialStep?: number;
  /** Edge length of the restart simplices (smaller: they only check the optimum). Default 0.01. */
  restartStep?: number;
  /**
   * Stop (without restarts) once the best vertex has stayed on a bound of the box for this many
   * evaluations: the function still falls towards the bound, so the minimum is not inside the box and
   * crawling along it decides nothing. Default: never.
   */
  boundPatience?: number;
  /** How near a bound counts as on it for `boundPatience` (default 0: exactly on it). */
  boundMargin?: number;
  /** Box the search to [lower, upper] per coordinate (projected); default unbounded. */
  lower?: readonly number[];
  upper?: readonly number[];
}

export interface MinimizeResult {
  point: number[];
  value: number;
  evaluations: number;
  restarts: number;
  /** True when the last run met both tolerances before the budget ran out. */
  converged: boolean;
  /** True when the search stopped on `boundPatience`: the best point sits on a bound of the box. */
  stoppedAtBound?: boolean;
}

/**
 * Minimises f by Nelder-Mead with the dimension-adaptive coefficients of Gao & Han (2012), restarted
 * from the best vertex with a fresh simplex until a restart no longer improves f. f may return
 * Infinity/NaN for infeasible points; those count as +Infinity.
 */
export function minimizeNelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const maxRestarts = options.maxRestarts ?? 10;
  const functionTolerance = options.functionTolerance ?? 1e-10;
  let evaluations = 0;
  const lower = options.lower;
  const upper = options.upper;
  const clamp = (x: number[]): number[] =>
    x.map((v, i) => Math.min(upper?.[i] ?? Infinity, Math.max(lower?.[i] ?? -Infinity, v)));
  const objective = (x: number[]): number => {
    evaluations++;
    const value = f(x);
    return Number.isNaN(value) ? Infinity : value;
  };

  let best = { point: clamp([...start]), value: 0, converged: false, stoppedAtBound: false };
  best.value = objective(best.point);
  let restarts = 0;
  const budget = options.maxEvaluations ?? 1000 * start.length;
  for (let run = 0; run <= maxRestarts && evaluations < budget; run++) {
    const step = run === 0 ? (options.initialStep ?? 0.5) : (options.restartStep ?? 0.01);
    const outcome = runSimplex(objective, best.point, best.value, step, budget - evaluations, options, clamp);
    const improved = best.value - outcome.value;
    if (outcome.value <= best.value) best = outcome;
    restarts = run;
    if (outcome.stoppedAtBound) break; // a restart from the bound would only crawl along it again
    if (outcome.converged && improved <= functionTolerance) break;
  }
  return {
    point: best.point,
    value: best.value,
    evaluations,
    restarts,
    converged: best.converged,
    ...(best.stoppedAtBound ? { stoppedAtBound: true } : {}),
  };
}

const STALL_EVALUATIONS_PER_DIMENSION = 50;

interface Vertex {
  point: number[];
  value: number;
}

function runSimplex(
  objective: (x: number[]) => number,
  start: number[],
  startValue: number,
  step: number,
  maxEvaluations: number,
  options: MinimizeOptions,
  clamp: (x: number[]) => number[],
): { point: number[]; value: number; converged: boolean; stoppedAtBound: boolean } {
  const n = start.length;
  const boundPatience = options.boundPatience ?? Infinity;
  const margin = options.boundMargin ?? 0;
  const onBound = (point: readonly number[]): boolean =>
    point.some(
      (v, i) => v <= (options.lower?.[i] ?? -Infinity) + margin || v >= (options.upper?.[i] ?? Infinity) - margin,
    );
  let onBoundSince = -1; // evaluations used when the best vertex last arrived on a bound
  const functionTolerance = options.functionTolerance ?? 1e-10;
  const pointTolerance = options.pointTolerance ?? 1e-6;
  const reflection = 1;
  const expansion = 1 + 2 / n;
  const contraction = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;

  const simplex: Vertex[] = [{ point: start, value: startValue }];
  for (let i = 0; i < n; i++) {
    const point = [...start];
    point[i] = (point[i] as number) + step;
    const clamped = clamp(point);
    // A vertex clamped back onto the start would make the simplex degenerate: step the other way.
    if (clamped[i] === start[i]) clamped[i] = (start[i] as number) - step;
    simplex.push({ point: clamped, value: objective(clamped) });
  }
  let used = n;
  let lastImprovement = { value: Infinity, at: 0 };
  const along = (from: number[], to: number[], t: number): number[] =>
    clamp(from.map((v, i) => v + t * ((to[i] as number) - v)));

  while (used < maxEvaluations) {
    simplex.sort((p, q) => p.value - q.value);
    const bestVertex = simplex[0] as Vertex;
    const worst = simplex[n] as Vertex;
    const spreadF = Math.abs(worst.value - bestVertex.value);
    let spreadX = 0;
    for (const vertex of simplex)
      for (let i = 0; i < n; i++)
        spreadX = Math.max(spreadX, Math.abs((vertex.point[i] as number) - (bestVertex.point[i] as number)));
    // Converged when the simplex is small, or when f is flat across it and the best value has stopped
    // improving (a ridge of equally good points, e.g. a parameter the data cannot identify).
    if (bestVertex.value < lastImprovement.value - functionTolerance)
      lastImprovement = { value: bestVertex.value, at: used };
    const stalled = used - lastImprovement.at > STALL_EVALUATIONS_PER_DIMENSION * n;
    if (spreadF <= functionTolerance && (spreadX <= pointTolerance || stalled))
      return { ...bestVertex, converged: true, stoppedAtBound: false };
    if (!onBound(bestVertex.point)) onBoundSince = -1;
    else if (onBoundSince < 0) onBoundSince = used;
    else if (used - onBoundSince > boundPatience) return { ...bestVertex, converged: false, stoppedAtBound: true };

    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++)
        centroid[i] = (centroid[i] as number) + ((simplex[k] as Vertex).point[i] as number) / n;

    const reflected = along(centroid, worst.point, -reflection);
    const reflectedValue = objective(reflected);
    used++;
    const secondWorst = simplex[n - 1] as Vertex;
    if (reflectedValue < bestVertex.value) {
      const expanded = along(centroid, worst.point, -expansion);
      const expandedValue = objective(expanded);
      used++;
      simplex[n] =
        expandedValue < reflectedValue
          ? { point: expanded, value: expandedValue }
          : { point: reflected, value: reflectedValue };
      continue;
    }
    if (reflectedValue < secondWorst.value) {
      simplex[n] = { point: reflected, value: reflectedValue };
      continue;
    }
    const outside = reflectedValue < worst.value;
    const contracted = outside ? along(centroid, reflected, contraction) : along(centroid, worst.point, contraction);
    const contractedValue = objective(contracted);
    used++;
    if (contractedValue < (outside ? reflectedValue : worst.value)) {
      simplex[n] = { point: contracted, value: contractedValue };
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const point = along(bestVertex.point, (simplex[k] as Vertex).point, shrink);
      simplex[k] = { point, value: objective(point) };
      used++;
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return { ...(simplex[0] as Vertex), converged: false, stoppedAtBound: false };
}
