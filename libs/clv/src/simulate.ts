import type { BgNbdParams } from './bg-nbd-likelihood';
import type { GammaGammaParams } from './gamma-gamma';
import type { CustomerSummary } from './rfm-summary';

/** Seeded PRNG (mulberry32): uniform in [0, 1), reproducible across runs and machines. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function sampleNormal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function sampleGamma(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return sampleGamma(random, shape + 1, rate) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function sampleBeta(random: () => number, a: number, b: number): number {
  const x = sampleGamma(random, a, 1);
  return x / (x + sampleGamma(random, b, 1));
}

/**
 * Customers drawn from the BG/NBD story: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases are Poisson(λ)
 * from time 0 (first purchase) and after each repeat purchase the customer drops out with probability p.
 * Observed for `ages[i]` time units. With `spend`, each purchase amount is Gamma(p, ν), ν ~ Gamma(q, v),
 * and monetaryValue is the mean of the repeat purchases. For tests and benchmarks.
 */
export function simulateCustomers(
  params: BgNbdParams,
  ages: readonly number[],
  seed: number,
  spend?: GammaGammaParams,
): CustomerSummary[] {
  const random = seededRandom(seed);
  return ages.map((T) => {
    const lambda = sampleGamma(random, params.r, params.alpha);
    const dropout = sampleBeta(random, params.a, params.b);
    const nu = spend ? sampleGamma(random, spend.q, spend.v) : 0;
    let time = 0;
    let frequency = 0;
    let recency = 0;
    let total = 0;
    for (;;) {
      time += -Math.log(1 - random()) / lambda;
      if (!(time < T)) break;
      frequency++;
      recency = time;
      if (spend) total += sampleGamma(random, spend.p, nu);
      if (random() < dropout) break;
    }
    return { frequency, recency, T, monetaryValue: frequency > 0 ? total / frequency : 0 };
  });
}

/** One simulated customer's history: repeat purchase times (first purchase at 0) and dropout time. */
export interface SimulatedHistory {
  repeatPurchaseTimes: number[];
  /** Time of the purchase after which the customer dropped out; Infinity if still alive at the end. */
  droppedOutAt: number;
}

/** Full BG/NBD histories up to `ages[i]`, for calibration/holdout checks of the predictions. */
export function simulateHistories(params: BgNbdParams, ages: readonly number[], seed: number): SimulatedHistory[] {
  const random = seededRandom(seed);
  return ages.map((age) => {
    const lambda = sampleGamma(random, params.r, params.alpha);
    const dropout = sampleBeta(random, params.a, params.b);
    const repeatPurchaseTimes: number[] = [];
    let time = 0;
    for (;;) {
      time += -Math.log(1 - random()) / lambda;
      if (!(time < age)) return { repeatPurchaseTimes, droppedOutAt: Infinity };
      repeatPurchaseTimes.push(time);
      if (random() < dropout) return { repeatPurchaseTimes, droppedOutAt: time };
    }
  });
}
