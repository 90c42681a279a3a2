import type { CompactPopulation } from './population';

/** BG/NBD parameters: purchase rate λ ~ Gamma(shape r, rate alpha), dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Total BG/NBD log-likelihood (FHL 2005, eq. 6) of a compacted population, computed in log space:
 *   ln L = ln Γ(r+x)/Γ(r) + r ln α + ln B(a, b+x)/B(a, b)
 *          + ln[ (α+T)^-(r+x) + 1{x>0} · a/(b+x-1) · (α+t_x)^-(r+x) ]
 * The Gamma and Beta ratios are sums of logs over the integer x (exact, no cancellation between large
 * ln Γ values), and r ln α - (r+x) ln(α+T) is written -r (ln(α+T) - ln α) - x ln(α+T),
 * avoiding the difference of two huge terms when r is large.
 *
 * With `gradient` (length 4), also writes ∂ln L/∂(r, α, a, b) into it, in the same pass.
 */
export function bgNbdLogLikelihoodOf(
  params: BgNbdParams,
  population: CompactPopulation,
  gradient?: Float64Array,
): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NaN;
  const maxX = population.maxFrequency;
  // Per-frequency terms: common = Σ_{k<x} ln(r+k) + ln((b+k)/(a+b+k)); dropout = ln(a/(b+x-1));
  // and their derivatives in r, a, b (sums of reciprocals).
  const common = new Float64Array(maxX + 1);
  const dropoutTerm = new Float64Array(maxX + 1);
  const dCommonR = new Float64Array(maxX + 1);
  const dCommonA = new Float64Array(maxX + 1);
  const dCommonB = new Float64Array(maxX + 1);
  let running = 0;
  let runningR = 0;
  let runningA = 0;
  let runningB = 0;
  const logA = Math.log(a);
  for (let x = 0; x <= maxX; x++) {
    common[x] = running;
    dCommonR[x] = runningR;
    dCommonA[x] = runningA;
    dCommonB[x] = runningB;
    running += Math.log(r + x) + Math.log(b + x) - Math.log(a + b + x);
    dropoutTerm[x] = x > 0 ? logA - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
    if (gradient) {
      runningR += 1 / (r + x);
      runningA -= 1 / (a + b + x);
      runningB += 1 / (b + x) - 1 / (a + b + x);
    }
  }
  const logAlpha = Math.log(alpha);
  const { frequency, recency, age, weight, levels, ageLevel, recencyLevel } = population;
  // Whole days give a few hundred distinct T and t_x for 100,000s of rows: ln(α + t) once per value.
  const logAlphaLevel = new Float64Array(levels.length);
  for (let j = 0; j < levels.length; j++) logAlphaLevel[j] = Math.log(alpha + (levels[j] as number));
  let total = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const w = weight[i] as number;
    const logAlphaT = logAlphaLevel[ageLevel[i] as number] as number;
    const aliveThroughT = -r * (logAlphaT - logAlpha) - x * logAlphaT;
    let mixture = aliveThroughT;
    let dropoutShare = 0; // e^B / (e^A + e^B): the weight of the dropped-out branch
    let logAlphaTx = 0;
    if (x > 0) {
      logAlphaTx = logAlphaLevel[recencyLevel[i] as number] as number;
      const droppedOut = (dropoutTerm[x] as number) - r * (logAlphaTx - logAlpha) - x * logAlphaTx;
      // ln(e^u + e^v) = max + ln(1 + e^-|u-v|); plain log is exact enough here and faster than log1p.
      if (aliveThroughT > droppedOut) {
        const e = Math.exp(droppedOut - aliveThroughT);
        mixture = aliveThroughT + Math.log(1 + e);
        dropoutShare = e / (1 + e);
      } else {
        const e = Math.exp(aliveThroughT - droppedOut);
        mixture = droppedOut + Math.log(1 + e);
        dropoutShare = 1 / (1 + e);
      }
    }
    total += w * ((common[x] as number) + mixture);
    if (gradient) {
      const aliveShare = 1 - dropoutShare;
      gR +=
        w * ((dCommonR[x] as number) - aliveShare * (logAlphaT - logAlpha) - dropoutShare * (logAlphaTx - logAlpha));
      const alphaT = alpha + (age[i] as number);
      gAlpha +=
        w *
        (r / alpha -
          aliveShare * ((r + x) / alphaT) -
          (x > 0 ? dropoutShare * ((r + x) / (alpha + (recency[i] as number))) : 0));
      gA += w * ((dCommonA[x] as number) + dropoutShare / a);
      gB += w * ((dCommonB[x] as number) - (x > 0 ? dropoutShare / (b + x - 1) : 0));
    }
  }
  if (gradient) {
    gradient[0] = gR;
    gradient[1] = gAlpha;
    gradient[2] = gA;
    gradient[3] = gB;
  }
  return total;
}
