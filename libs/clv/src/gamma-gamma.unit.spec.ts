import { cdnowSummaryWithMonetary } from './cdnow-dataset.fixture';
import { EmptyPopulationError } from './clv-errors';
import { expectedAverageSpend, fitGammaGamma } from './gamma-gamma';
import { simulateCustomers } from './simulate';

const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

describe('Gamma-Gamma spend model', () => {
  it('fits the published p = 6.25, q = 3.74, v = 15.45 on the 946 CDNOW repeat customers within 1%', () => {
    const fit = fitGammaGamma(cdnowSummaryWithMonetary());
    expect(fit.customers).toBe(946);
    expect(relativeError(fit.params.p, 6.25)).toBeLessThan(0.01);
    expect(relativeError(fit.params.q, 3.74)).toBeLessThan(0.01);
    expect(relativeError(fit.params.v, 15.45)).toBeLessThan(0.01);
    expect(fit.warnings).toEqual([]);
  });

  it('gives the conditional expected spend of the lifetimes documentation for CDNOW customers 1-3', () => {
    const params = fitGammaGamma(cdnowSummaryWithMonetary()).params;
    const [first, second, third] = cdnowSummaryWithMonetary();
    expect(expectedAverageSpend(params, first!)).toBeCloseTo(24.6586, 2);
    expect(expectedAverageSpend(params, second!)).toBeCloseTo(18.9115, 2);
    expect(expectedAverageSpend(params, third!)).toBeCloseTo(35.171, 2); // frequency 0: the population mean
  });

  it('shrinks a customer mean toward the population mean, less so with more purchases', () => {
    const params = { p: 6.25, q: 3.74, v: 15.45 };
    const populationMean = (params.p * params.v) / (params.q - 1);
    const few = expectedAverageSpend(params, { frequency: 1, monetaryValue: 100 });
    const many = expectedAverageSpend(params, { frequency: 50, monetaryValue: 100 });
    expect(few).toBeGreaterThan(populationMean);
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(100);
  });

  it('recovers the parameters of simulated spend (seeded)', () => {
    const truth = { p: 4, q: 5, v: 20 };
    const ages = Array.from({ length: 6000 }, () => 52);
    const customers = simulateCustomers({ r: 2, alpha: 10, a: 0.5, b: 5 }, ages, 99, truth);
    const fit = fitGammaGamma(customers);
    expect(fit.customers).toBeGreaterThan(3000);
    expect(relativeError(fit.params.p, truth.p)).toBeLessThan(0.1);
    // q and v are only weakly identified separately; their ratio (the mean of ν's prior) is tight.
    expect(relativeError(fit.params.v / (fit.params.q - 1), truth.v / (truth.q - 1))).toBeLessThan(0.1);
    expect(relativeError(fit.params.q, truth.q)).toBeLessThan(0.3);
  });

  it('refuses a population without repeat customers, and bad monetary values, with clear errors', () => {
    expect(() => fitGammaGamma([])).toThrow(EmptyPopulationError);
    expect(() => fitGammaGamma([{ frequency: 0, monetaryValue: 0 }])).toThrow(
      'Gamma-Gamma: no customers with frequency > 0 to fit on',
    );
    expect(() => fitGammaGamma([{ frequency: 2, monetaryValue: 0 }])).toThrow(
      'customer #0: monetaryValue must be a finite number > 0',
    );
    expect(() => expectedAverageSpend({ p: 1, q: 0.9, v: 1 }, { frequency: 1, monetaryValue: 5 })).toThrow(
      /q must be > 1/,
    );
  });
});
