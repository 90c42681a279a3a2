import { expectedPurchases, probabilityAlive, type BgNbdParams } from './bg-nbd';
import { allocateHorizonTerms, horizonTermsByDifferences, horizonTermsBySeries } from './bg-nbd-horizon-terms';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma';
import { normalQuantile, quadraticForm } from './matrix';
import type { BgNbdCovariance, GammaGammaCovariance } from './parameter-covariance';
import { predictWithIntervals, type Interval, type PredictionSubject } from './prediction-intervals';
import { purchaseCountInterval } from './purchase-count-distribution';
import { seededRandom } from './simulate';

// Parameters of the scoring bench's fit (days), and a dropout near the a → 1 edge where the series is not used.
const DAYS: BgNbdParams = { r: 0.9944, alpha: 32.62, a: 2.7195, b: 33.86 };
const NEAR_ONE: BgNbdParams = { r: 0.25, alpha: 4.4, a: 1.0004, b: 2.4 };
// CDNOW's published fit (a < 1: the Euler form's B = a − 1 is negative).
const PUBLISHED: BgNbdParams = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
const SPEND: GammaGammaParams = { p: 2.99, q: 2.98, v: 149.8 };
const VALUE = { horizonPeriods: 12, periodLength: 30, discountRate: 0.01 };
const OPTIONS = { purchaseHorizon: 90, lifetimeValue: VALUE, level: 0.9 };
const Z = normalQuantile(0.95);

/** A positive-definite covariance L·Lᵀ from a seeded lower-triangular L of the given scale. */
function covariance<Name extends string>(names: readonly Name[], centre: Record<Name, number>, scale: number) {
  const random = seededRandom(names.length);
  const lower = names.map((_, i) => names.map((__, j) => (j < i ? (random() - 0.5) * scale : j === i ? scale : 0)));
  const logCovariance = names.map((_, i) =>
    names.map((__, j) => lower[i]!.reduce((sum, l, k) => sum + l * lower[j]![k]!, 0)),
  );
  return {
    names,
    logEstimate: names.map((name) => Math.log(centre[name])),
    logCovariance,
    standardErrors: Object.fromEntries(names.map((name, i) => [name, centre[name] * Math.sqrt(logCovariance[i]![i]!)])),
  } as {
    names: readonly Name[];
    logEstimate: number[];
    logCovariance: number[][];
    standardErrors: Record<Name, number>;
  };
}

/** Seeded summaries in days: frequency 0..40, T 0..730, recency 0..T (0 without repeats), spend 5..500. */
function summaries(count: number, seed: number): PredictionSubject[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const frequency = Math.floor(random() * 41);
    const T = Math.floor(random() * 731);
    const recency = frequency === 0 ? 0 : Math.floor(random() * (T + 1));
    return { frequency, recency, T, monetaryValue: frequency === 0 ? 0 : 5 + random() * 495 };
  });
}

/**
 * The straightforward computation, customer by customer: the library's point functions, every period
 * end summed, gradients of logit P(alive), ln E[Y] and ln CLV by central differences on ln θ.
 */
function reference(
  bgNbd: BgNbdParams,
  bgCovariance: BgNbdCovariance,
  spendCovariance: GammaGammaCovariance,
  customer: PredictionSubject,
) {
  const h = 1e-5;
  const discounted = (p: BgNbdParams): number => {
    let total = 0;
    let previous = 0;
    for (let i = 1; i <= VALUE.horizonPeriods; i++) {
      const current = expectedPurchases(p, customer, i * VALUE.periodLength);
      total += (current - previous) / (1 + VALUE.discountRate) ** i;
      previous = current;
    }
    return total;
  };
  const gradient = (f: (p: BgNbdParams) => number): number[] =>
    (['r', 'alpha', 'a', 'b'] as const).map(
      (name) =>
        (f({ ...bgNbd, [name]: bgNbd[name] * Math.exp(h) }) - f({ ...bgNbd, [name]: bgNbd[name] * Math.exp(-h) })) /
        (2 * h),
    );
  const spendGradient = (['p', 'q', 'v'] as const).map(
    (name) =>
      (Math.log(expectedAverageSpend({ ...SPEND, [name]: SPEND[name] * Math.exp(h) }, customer as never)) -
        Math.log(expectedAverageSpend({ ...SPEND, [name]: SPEND[name] * Math.exp(-h) }, customer as never))) /
      (2 * h),
  );
  const alive = probabilityAlive(bgNbd, customer);
  const purchases = expectedPurchases(bgNbd, customer, OPTIONS.purchaseHorizon);
  const value = expectedAverageSpend(SPEND, customer as never) * discounted(bgNbd);
  const around = (centre: number, variance: number): Interval => [
    centre - Z * Math.sqrt(variance),
    centre + Z * Math.sqrt(variance),
  ];
  const logit = (p: number): number => Math.log(p / (1 - p));
  const aliveInterval =
    customer.frequency === 0
      ? [1, 1]
      : around(
          logit(alive),
          quadraticForm(
            bgCovariance.logCovariance,
            gradient((p) => logit(probabilityAlive(p, customer))),
          ),
        ).map((v) => 1 / (1 + Math.exp(-v)));
  const logPurchasesVariance = quadraticForm(
    bgCovariance.logCovariance,
    gradient((p) => Math.log(expectedPurchases(p, customer, OPTIONS.purchaseHorizon))),
  );
  const logValueVariance =
    quadraticForm(
      bgCovariance.logCovariance,
      gradient((p) => Math.log(discounted(p))),
    ) + quadraticForm(spendCovariance.logCovariance, spendGradient);
  return {
    probabilityAlive: alive,
    expectedPurchases: purchases,
    lifetimeValue: value,
    probabilityAliveInterval: aliveInterval,
    expectedPurchasesInterval: around(Math.log(purchases), logPurchasesVariance).map(Math.exp),
    lifetimeValueInterval: around(Math.log(value), logValueVariance).map(Math.exp),
    purchasesPredictiveInterval: purchaseCountInterval(bgNbd, customer, OPTIONS.purchaseHorizon, 0.9),
  };
}

const closeTo = (actual: number, expected: number, relative: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);
};

describe('delta-method predictions, shared per (frequency, T), against the customer-by-customer computation', () => {
  it.each([
    ['the bench fit (series path)', DAYS, 11],
    ['a dropout shape near 1 (finite-difference path)', NEAR_ONE, 12],
    ['a dropout shape below 1 (series path)', PUBLISHED, 13],
  ])('gives the same points, intervals and predictive counts on 300 random summaries: %s', (_, bgNbd, seed) => {
    // given 300 random customers and a covariance for each model
    const customers = summaries(300, seed);
    const bgCovariance = covariance(['r', 'alpha', 'a', 'b'] as const, bgNbd, 0.05);
    const spendCovariance = covariance(['p', 'q', 'v'] as const, SPEND, 0.03);
    // when they are predicted together
    const predictions = predictWithIntervals(
      { bgNbd, gammaGamma: SPEND },
      { bgNbd: bgCovariance, gammaGamma: spendCovariance },
      customers,
      OPTIONS,
    );
    // then each matches its own straightforward computation: points to rounding, intervals to the
    // accuracy of the reference's central differences, predictive counts exactly
    predictions.forEach((prediction, i) => {
      const expected = reference(bgNbd, bgCovariance, spendCovariance, customers[i]!);
      closeTo(prediction.probabilityAlive, expected.probabilityAlive, 1e-14);
      closeTo(prediction.expectedPurchases, expected.expectedPurchases, 1e-13);
      closeTo(prediction.lifetimeValue!, expected.lifetimeValue, 1e-12);
      for (const key of ['probabilityAliveInterval', 'expectedPurchasesInterval', 'lifetimeValueInterval'] as const) {
        closeTo(prediction[key]![0], expected[key][0]!, 1e-7);
        closeTo(prediction[key]![1], expected[key][1]!, 1e-7);
      }
      expect(prediction.purchasesPredictiveInterval).toEqual(expected.purchasesPredictiveInterval);
    });
  });

  it('takes the series and its analytic gradient to the finite differences of expectedPurchases at every horizon', () => {
    const horizons = [90, 30, 60, 120, 150, 180, 210, 240, 270, 300, 330, 360];
    const bySeries = allocateHorizonTerms(horizons.length);
    const byDifferences = allocateHorizonTerms(horizons.length);
    for (const [x, T] of [
      [0, 0],
      [0, 400],
      [1, 3],
      [5, 120],
      [39, 700],
      [12, 30],
    ] as const) {
      expect(horizonTermsBySeries(DAYS, x, T, horizons, bySeries)).toBe(true);
      horizonTermsByDifferences(DAYS, x, T, horizons, byDifferences);
      bySeries.value.forEach((q, h) => closeTo(q, byDifferences.value[h]!, 1e-13));
      bySeries.gradient.forEach((g, k) => {
        const scale = Math.max(...byDifferences.gradient.subarray(k - (k % 4), k - (k % 4) + 4).map(Math.abs));
        expect(Math.abs(g - byDifferences.gradient[k]!)).toBeLessThanOrEqual(1e-7 * scale);
      });
    }
  });

  it('declines the series near a = 1, where the Euler form cancels', () => {
    expect(horizonTermsBySeries(NEAR_ONE, 3, 40, [90], allocateHorizonTerms(1))).toBe(false);
  });
});
