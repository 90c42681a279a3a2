import { cdnowSummaryWithMonetary } from './cdnow-dataset.fixture';
import { fitBgNbd } from './bg-nbd';
import { fitGammaGamma } from './gamma-gamma';
import { customerLifetimeValue } from './lifetime-value';
import { bgNbdCovariance, gammaGammaCovariance } from './parameter-covariance';
import { predictWithIntervals, type PredictionWithIntervals } from './prediction-intervals';
import { normalQuantile, quadraticForm } from './matrix';
import { simulateCustomers } from './simulate';

const customers = cdnowSummaryWithMonetary();
const bg = fitBgNbd(customers);
const gg = fitGammaGamma(customers);
const models = { bgNbd: bg.params, gammaGamma: gg.params };
const uncertainty = {
  bgNbd: bgNbdCovariance(bg.params, customers),
  gammaGamma: gammaGammaCovariance(gg.params, customers),
};
const lifetimeValue = { horizonPeriods: 12, periodLength: 4.345, discountRate: 0.01 };
const options = { purchaseHorizon: 39, lifetimeValue };
const contains = ([low, high]: [number, number], value: number): boolean =>
  low <= value + 1e-12 && value <= high + 1e-12;

describe('prediction intervals from the parameter uncertainty (CDNOW, weeks)', () => {
  const delta = predictWithIntervals(models, uncertainty, customers, options);

  it('keeps the point predictions of the models: E[Y(39)] = 1.226 for the first customer, CLV as customerLifetimeValue', () => {
    expect(delta[0]!.expectedPurchases).toBeCloseTo(1.2259, 4);
    customers.slice(0, 50).forEach((customer, i) => {
      expect(delta[i]!.lifetimeValue).toBeCloseTo(customerLifetimeValue(models, customer, lifetimeValue), 9);
    });
  });

  it('contains the point estimate in every interval, and 1 alone for P(alive) of a customer who never repeated', () => {
    delta.forEach((p, i) => {
      expect(contains(p.probabilityAliveInterval!, p.probabilityAlive)).toBe(true);
      expect(contains(p.expectedPurchasesInterval!, p.expectedPurchases)).toBe(true);
      expect(contains(p.lifetimeValueInterval!, p.lifetimeValue!)).toBe(true);
      // the predictive count interval need not hold the mean (it is [0, 0] when P(0) >= 95%), only start at or below it
      expect(p.purchasesPredictiveInterval[0]).toBeLessThanOrEqual(p.expectedPurchases);
      if (customers[i]!.frequency === 0) expect(p.probabilityAliveInterval).toEqual([1, 1]);
    });
  });

  it('agrees with a parametric bootstrap of 300 draws within a few percent of the interval width', () => {
    const sample = customers.filter((_, i) => i % 50 === 0);
    const fromDelta = predictWithIntervals(models, uncertainty, sample, options);
    const fromBootstrap = predictWithIntervals(models, uncertainty, sample, {
      ...options,
      method: 'bootstrap',
      draws: 300,
      seed: 3,
    });
    const close = (a: [number, number] | null, b: [number, number] | null, width: number): void => {
      expect(Math.abs(a![0] - b![0])).toBeLessThan(0.2 * width + 1e-9);
      expect(Math.abs(a![1] - b![1])).toBeLessThan(0.2 * width + 1e-9);
    };
    fromDelta.forEach((d, i) => {
      const b = fromBootstrap[i] as PredictionWithIntervals;
      close(
        d.expectedPurchasesInterval,
        b.expectedPurchasesInterval,
        d.expectedPurchasesInterval![1] - d.expectedPurchasesInterval![0],
      );
      close(
        d.lifetimeValueInterval,
        b.lifetimeValueInterval,
        d.lifetimeValueInterval![1] - d.lifetimeValueInterval![0],
      );
    });
  });

  it('is deterministic with a seed, and another seed gives other (close) bootstrap intervals', () => {
    const sample = customers.slice(0, 20);
    const run = (seed: number) =>
      predictWithIntervals(models, uncertainty, sample, { ...options, method: 'bootstrap', draws: 100, seed });
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
  });

  it('widens with the level', () => {
    const at50 = predictWithIntervals(models, uncertainty, customers.slice(0, 30), { ...options, level: 0.5 });
    at50.forEach((p, i) => {
      const wide = delta[i]!.expectedPurchasesInterval!;
      expect(p.expectedPurchasesInterval![0]).toBeGreaterThanOrEqual(wide[0]);
      expect(p.expectedPurchasesInterval![1]).toBeLessThanOrEqual(wide[1]);
    });
  });

  it('narrows with more data: the same customer in a population ten times larger has a narrower interval', () => {
    // given two populations simulated from the same truth, and one customer scored with each fit
    const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const ages = (n: number) => Array.from({ length: n }, (_, i) => 10 + (i % 30));
    const relativeWidth = (population: ReturnType<typeof simulateCustomers>): number => {
      const fit = fitBgNbd(population);
      const [p] = predictWithIntervals(
        { bgNbd: fit.params },
        { bgNbd: bgNbdCovariance(fit.params, population) },
        [{ frequency: 3, recency: 20, T: 30 }],
        {
          purchaseHorizon: 30,
        },
      );
      return (p!.expectedPurchasesInterval![1] - p!.expectedPurchasesInterval![0]) / p!.expectedPurchases;
    };
    // then the larger population's interval is about sqrt(10) times narrower
    expect(
      relativeWidth(simulateCustomers(truth, ages(2000), 21)) /
        relativeWidth(simulateCustomers(truth, ages(20000), 22)),
    ).toBeGreaterThan(2.5);
  });

  it('evaluates identical customers once: duplicates get identical predictions', () => {
    const twice = predictWithIntervals(models, uncertainty, [customers[0]!, customers[0]!], options);
    expect(twice[1]).toEqual(twice[0]);
  });

  it('without uncertainty gives only the predictive count interval; a free repeater has a value of 0', () => {
    const [p, free] = predictWithIntervals(
      models,
      null,
      [customers[0]!, { frequency: 2, recency: 10, T: 20, monetaryValue: 0 }],
      options,
    );
    expect(p!.expectedPurchasesInterval).toBeNull();
    expect(p!.lifetimeValueInterval).toBeNull();
    expect(p!.purchasesPredictiveInterval).toEqual([0, 4]);
    expect(free!.lifetimeValue).toBe(0);
  });

  it('refuses a level outside (0, 1), naming it', () => {
    expect(() => predictWithIntervals(models, uncertainty, customers.slice(0, 1), { ...options, level: 1 })).toThrow(
      /level/,
    );
  });
});

describe('the delta method on the lifetime value', () => {
  it('differentiates the discounted sum at every period end: its standard error matches finite differences of customerLifetimeValue', () => {
    // given no spend uncertainty, so the CLV interval reflects the BG/NBD part alone
    const noSpendUncertainty = {
      ...uncertainty.gammaGamma,
      logCovariance: [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    };
    const z = normalQuantile(0.95);
    for (const customer of customers.slice(0, 12)) {
      const [p] = predictWithIntervals(
        models,
        { bgNbd: uncertainty.bgNbd, gammaGamma: noSpendUncertainty },
        [customer],
        options,
      );
      const [low, high] = p!.lifetimeValueInterval!;
      const analytic = Math.log(high / low) / (2 * z);
      // when the exact gradient of ln CLV (all 12 period ends) is taken by forward differences
      const h = 1e-6;
      const base = Math.log(customerLifetimeValue(models, customer, lifetimeValue));
      const gradient = (['r', 'alpha', 'a', 'b'] as const).map(
        (name) =>
          (Math.log(
            customerLifetimeValue(
              { ...models, bgNbd: { ...models.bgNbd, [name]: models.bgNbd[name] * Math.exp(h) } },
              customer,
              lifetimeValue,
            ),
          ) -
            base) /
          h,
      );
      const exact = Math.sqrt(quadraticForm(uncertainty.bgNbd.logCovariance, gradient));
      // then the standard errors agree to the finite differences' own accuracy
      expect(Math.abs(analytic - exact) / exact).toBeLessThan(1e-4);
    }
  });
});
