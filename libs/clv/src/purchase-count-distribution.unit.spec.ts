import { expectedPurchases } from './bg-nbd';
import { purchaseCountDistribution, purchaseCountInterval } from './purchase-count-distribution';
import { simulateHistories } from './simulate';

const PUBLISHED = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };

describe('BG/NBD distribution of the purchase count in a horizon, given the history', () => {
  it.each([
    [{ frequency: 0, recency: 0, T: 38.86 }, 39],
    [{ frequency: 2, recency: 30.43, T: 38.86 }, 39],
    [{ frequency: 7, recency: 20, T: 38 }, 52],
    [{ frequency: 30, recency: 37, T: 38 }, 10],
  ])('sums to 1 and has the conditional expectation E[Y(t)] as its mean for %j, t = %p', (customer, t) => {
    const distribution = purchaseCountDistribution(PUBLISHED, customer, t);
    let mass = 0;
    let mean = 0;
    distribution.forEach((p, n) => {
      expect(p).toBeGreaterThanOrEqual(0);
      mass += p;
      mean += n * p;
    });
    expect(mass).toBeCloseTo(1, 10);
    expect(mean).toBeCloseTo(expectedPurchases(PUBLISHED, customer, t), 8);
  });

  it('puts the dropped-out share on zero: a long-lapsed buyer most likely buys nothing', () => {
    const lapsed = purchaseCountDistribution(PUBLISHED, { frequency: 5, recency: 2, T: 38 }, 39);
    const active = purchaseCountDistribution(PUBLISHED, { frequency: 5, recency: 37, T: 38 }, 39);
    expect(lapsed[0]).toBeGreaterThan(0.9);
    expect(active[0]).toBeLessThan(lapsed[0]!);
  });

  it('gives an integer interval that widens with the level and holds the simulated counts at about its level', () => {
    // given customers simulated from the model, observed 39 units, then 39 more
    const histories = simulateHistories(
      PUBLISHED,
      Array.from({ length: 3000 }, () => 78),
      5,
    );
    let inside = 0;
    for (const history of histories) {
      const calibration = history.repeatPurchaseTimes.filter((t) => t < 39);
      const customer = { frequency: calibration.length, recency: calibration.at(-1) ?? 0, T: 39 };
      const holdout = history.repeatPurchaseTimes.length - calibration.length;
      // when the 90% predictive interval of the holdout count is taken
      const [low, high] = purchaseCountInterval(PUBLISHED, customer, 39, 0.9);
      expect(Number.isInteger(low) && Number.isInteger(high) && low <= high).toBe(true);
      const [low50, high50] = purchaseCountInterval(PUBLISHED, customer, 39, 0.5);
      expect(low50).toBeGreaterThanOrEqual(low);
      expect(high50).toBeLessThanOrEqual(high);
      if (holdout >= low && holdout <= high) inside += 1;
    }
    // then at least 90% of the actual counts fall inside (integer intervals cover a little more)
    expect(inside / histories.length).toBeGreaterThanOrEqual(0.9);
    expect(inside / histories.length).toBeLessThan(0.99);
  });

  it('is a point mass on 0 over a zero horizon', () => {
    expect([...purchaseCountDistribution(PUBLISHED, { frequency: 3, recency: 10, T: 20 }, 0)]).toEqual([1]);
    expect(purchaseCountInterval(PUBLISHED, { frequency: 3, recency: 10, T: 20 }, 0)).toEqual([0, 0]);
  });
});
