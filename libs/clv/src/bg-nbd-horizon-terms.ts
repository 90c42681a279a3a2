import type { BgNbdParams } from './bg-nbd-likelihood';
import { expectedPurchases } from './bg-nbd';
import { tailRatioBound } from './special-functions';

/**
 * The recency-free part of the BG/NBD expectation: E[Y(t) | x, t_x, T] = Q(t) / (1 + odds(x, t_x, T)) with
 *   Q(t) = (a+b+x−1)/(a−1) · [1 − (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z)],  z = t/(α+T+t)
 * (the Euler form `expectedPurchases` uses). Q depends on (x, T) only, so customers sharing them share Q at
 * every horizon: whole days collapse 100,000 customers to ~15,000 pairs.
 */
export interface HorizonTerms {
  /** Q(t_h) per horizon h. */
  value: Float64Array;
  /** ∂Q(t_h)/∂ln(r, α, a, b): 4 per horizon, horizon-major. */
  gradient: Float64Array;
  /** The series' running state per horizon, reused from one (x, T) to the next. */
  work: SeriesState;
}

interface SeriesState {
  z: Float64Array;
  term: Float64Array;
  sum: Float64Array;
  byA: Float64Array;
  byB: Float64Array;
  byC: Float64Array;
  byZ: Float64Array;
  active: Uint8Array;
}

export function allocateHorizonTerms(horizons: number): HorizonTerms {
  const f = (): Float64Array => new Float64Array(horizons);
  return {
    value: f(),
    gradient: new Float64Array(4 * horizons),
    work: { z: f(), term: f(), sum: f(), byA: f(), byB: f(), byC: f(), byZ: f(), active: new Uint8Array(horizons) },
  };
}

const MAX_TERMS = 1_000_000;
const TOLERANCE = 1e-15;
const RESCALE = 1e250;

/**
 * Q and its log-parameter gradient at every horizon in one pass of the series: the coefficients
 * c_n = (A)_n (B)_n / ((C)_n n!) are shared by all horizons, and their parameter derivatives are
 * c_n · Σ_{k<n} 1/(A+k) (and likewise B, −C), so ∂2F1/∂A, ∂B, ∂C, ∂z are sums beside the value.
 * Term ratios and stopping rule are those of `hyp2f1`, so Q equals `expectedPurchases`' numerator bit for bit.
 * Returns false (out undefined) where that series cannot be used: a ≈ 1, no convergence, overflow.
 */
export function horizonTermsBySeries(
  params: BgNbdParams,
  x: number,
  T: number,
  horizons: readonly number[] | Float64Array,
  out: HorizonTerms,
): boolean {
  const { r, alpha, a, b } = params;
  const A = a + b - 1 - r;
  const B = a - 1;
  const C = a + b + x - 1;
  // Near a = 1 the Euler form cancels (Q = C/B · O(B)) and its derivatives in a more so.
  if (Math.abs(B) < 1e-3 || C <= 0) return false;
  const H = horizons.length;
  const s = out.work;
  let active = 0;
  for (let h = 0; h < H; h++) {
    const t = horizons[h] as number;
    s.z[h] = t / (alpha + T + t);
    s.term[h] = 1;
    s.sum[h] = 1;
    s.byA[h] = 0;
    s.byB[h] = 0;
    s.byC[h] = 0;
    s.byZ[h] = 0;
    s.active[h] = t > 0 ? 1 : 0;
    active += s.active[h] as number;
  }
  let recA = 0; // Σ_{k<m} 1/(A+k): ∂ ln (A)_m / ∂A
  let recB = 0;
  let recC = 0;
  for (let n = 0; active > 0; n++) {
    if (n >= MAX_TERMS) return false;
    const rho = ((A + n) * (B + n)) / ((C + n) * (n + 1));
    recA += 1 / (A + n);
    recB += 1 / (B + n);
    recC += 1 / (C + n);
    const m = n + 1;
    const boundable = A + m > 0 && B + m > 0 && C + m > 0;
    const ratioBound = boundable ? tailRatioBound(A, B, C, 1, m) : Number.POSITIVE_INFINITY;
    for (let h = 0; h < H; h++) {
      if (s.active[h] === 0) continue;
      const z = s.z[h] as number;
      const term = (s.term[h] as number) * (rho * z);
      const sum = (s.sum[h] as number) + term;
      s.term[h] = term;
      s.sum[h] = sum;
      s.byA[h] = (s.byA[h] as number) + term * recA;
      s.byB[h] = (s.byB[h] as number) + term * recB;
      s.byC[h] = (s.byC[h] as number) + term * recC;
      s.byZ[h] = (s.byZ[h] as number) + term * m;
      let done = term === 0;
      if (!done && boundable) {
        const bound = z * ratioBound;
        done = bound < 1 && (Math.abs(term) * bound) / (1 - bound) <= TOLERANCE * Math.abs(sum);
      }
      if (done) {
        s.active[h] = 0;
        active--;
      } else if (!(Math.abs(sum) <= RESCALE && Math.abs(term) <= RESCALE)) return false;
    }
  }
  const K = C / B;
  for (let h = 0; h < H; h++) {
    const t = horizons[h] as number;
    const g = 4 * h;
    if (t === 0) {
      out.value[h] = 0;
      out.gradient.fill(0, g, g + 4);
      continue;
    }
    const z = s.z[h] as number;
    const sum = s.sum[h] as number;
    const logRest = Math.log1p(-z); // ln(1−z) = ln(α+T) − ln(α+T+t)
    const power = Math.pow(1 - z, B);
    const bracket = -Math.expm1(B * logRest) - power * (sum - 1);
    const Q = K * bracket;
    // G = (1−z)^B · 2F1; bracket = 1 − G. ∂A/∂ln(r, a, b) = (−r, a, b), ∂B/∂ln a = a, ∂C/∂ln(a, b) = (a, b).
    const G = power * sum;
    const byA = power * (s.byA[h] as number);
    const byB = power * (s.byB[h] as number);
    const byC = power * (s.byC[h] as number);
    const byZ = power * (s.byZ[h] as number); // z · ∂2F1/∂z, scaled
    const span = alpha + T + t;
    const dG0 = -r * byA;
    // ∂ln(1−z)/∂ln α = α·t / ((α+T)(α+T+t)); ∂z/∂ln α = −α·z/(α+T+t)
    const dG1 = G * B * ((alpha * t) / ((alpha + T) * span)) - byZ * (alpha / span);
    const dG2 = a * (G * logRest + byA + byB - byC);
    const dG3 = b * (byA - byC);
    out.value[h] = Q;
    // Q = K·(1 − G), K = C/B: ∂Q = Q·∂ln K − K·∂G, ∂ln K/∂ln(a, b) = (a/C − a/B, b/C)
    out.gradient[g] = -K * dG0;
    out.gradient[g + 1] = -K * dG1;
    out.gradient[g + 2] = Q * (a / C - a / B) - K * dG2;
    out.gradient[g + 3] = Q * (b / C) - K * dG3;
    if (!Number.isFinite(Q) || !Number.isFinite(out.gradient[g + 2] as number)) return false;
    if (!Number.isFinite(out.gradient[g + 1] as number) || !Number.isFinite(out.gradient[g + 3] as number))
      return false;
    if (!Number.isFinite(out.gradient[g] as number)) return false;
  }
  return true;
}

const STEP = 1e-5;
const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/**
 * The same terms from `expectedPurchases` (with its own fallbacks), the gradient by central differences
 * on the log-parameters: the slow, general path for the pairs the series cannot take. Q = E · (1 + odds),
 * at t_x = T so that the odds stay a/(b+x−1) (or 0) and the product loses nothing.
 */
export function horizonTermsByDifferences(
  params: BgNbdParams,
  x: number,
  T: number,
  horizons: readonly number[] | Float64Array,
  out: HorizonTerms,
): void {
  const customer = { frequency: x, recency: x === 0 ? 0 : T, T };
  const q = (p: BgNbdParams, t: number): number =>
    expectedPurchases(p, customer, t) * (x === 0 ? 1 : 1 + p.a / (p.b + x - 1));
  const H = horizons.length;
  for (let h = 0; h < H; h++) out.value[h] = q(params, horizons[h] as number);
  NAMES.forEach((name, k) => {
    const up = { ...params, [name]: params[name] * Math.exp(STEP) };
    const down = { ...params, [name]: params[name] * Math.exp(-STEP) };
    for (let h = 0; h < H; h++) {
      const t = horizons[h] as number;
      out.gradient[4 * h + k] = (q(up, t) - q(down, t)) / (2 * STEP);
    }
  });
}
