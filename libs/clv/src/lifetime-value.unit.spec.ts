import { cdnowSummaryWithMonetary } from './cdnow-dataset.fixture';
import { expectedPurchases, fitBgNbd } from './bg-nbd';
import { expectedAverageSpend, fitGammaGamma } from './gamma-gamma';
import { customerLifetimeValue } from './lifetime-value';
import { scoreCustomer } from './customer-score';

const models = {
  bgNbd: { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 },
  gammaGamma: { p: 6.25, q: 3.74, v: 15.45 },
};
const customer = { frequency: 4, recency: 30, T: 38, monetaryValue: 40 };

describe('customerLifetimeValue', () => {
  it("reproduces the lifetimes documentation's CDNOW values (12 periods of 30 units, 1% a period)", () => {
    const customers = cdnowSummaryWithMonetary();
    const fitted = { bgNbd: fitBgNbd(customers).params, gammaGamma: fitGammaGamma(customers).params };
    const options = { horizonPeriods: 12, periodLength: 30, discountRate: 0.01 };
    const values = customers.slice(0, 3).map((c) => customerLifetimeValue(fitted, c, options));
    expect(values[0]).toBeCloseTo(140.096, 1);
    expect(values[1]).toBeCloseTo(18.943, 1);
    expect(values[2]).toBeCloseTo(38.181, 1);
  });

  it('without discounting equals expected spend times expected purchases over the horizon', () => {
    const value = customerLifetimeValue(models, customer, { horizonPeriods: 12, periodLength: 4, discountRate: 0 });
    const expected = expectedAverageSpend(models.gammaGamma, customer) * expectedPurchases(models.bgNbd, customer, 48);
    expect(value).toBeCloseTo(expected, 9);
  });

  it('falls with the discount rate and grows with the horizon; zero horizon is worth nothing', () => {
    const at = (horizonPeriods: number, discountRate: number): number =>
      customerLifetimeValue(models, customer, { horizonPeriods, periodLength: 4, discountRate });
    expect(at(12, 0.05)).toBeLessThan(at(12, 0.01));
    expect(at(24, 0.01)).toBeGreaterThan(at(12, 0.01));
    expect(at(0, 0.01)).toBe(0);
  });

  it('rejects a bad horizon, period or rate naming the field', () => {
    expect(() =>
      customerLifetimeValue(models, customer, { horizonPeriods: 1.5, periodLength: 4, discountRate: 0 }),
    ).toThrow(/horizonPeriods must be an integer/);
    expect(() =>
      customerLifetimeValue(models, customer, { horizonPeriods: 3, periodLength: 0, discountRate: 0 }),
    ).toThrow(/periodLength must be a finite number > 0/);
    expect(() =>
      customerLifetimeValue(models, customer, { horizonPeriods: 3, periodLength: 4, discountRate: -0.1 }),
    ).toThrow(/discountRate/);
  });
});

describe('scoreCustomer', () => {
  it('bundles probability alive, expected purchases, expected spend and lifetime value of one customer', () => {
    const lifetimeValue = { horizonPeriods: 12, periodLength: 4.345, discountRate: 0.01 };
    const score = scoreCustomer(models, customer, { purchaseHorizon: 13, lifetimeValue });
    expect(score.expectedPurchases).toBeCloseTo(expectedPurchases(models.bgNbd, customer, 13), 12);
    expect(score.expectedAverageSpend).toBeCloseTo(expectedAverageSpend(models.gammaGamma, customer), 12);
    expect(score.lifetimeValue).toBeCloseTo(customerLifetimeValue(models, customer, lifetimeValue), 12);
    expect(score.probabilityAlive).toBeGreaterThan(0);
    expect(score.probabilityAlive).toBeLessThan(1);
  });
});
