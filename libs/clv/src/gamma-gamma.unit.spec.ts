import { cdnowSummaryWithMonetary } from './cdnow-dataset.fixture';
import { EmptyPopulationError } from './clv-errors';
import { expectedAverageSpend, fitGammaGamma, gammaGammaLogLikelihoodOf, spendColumns } from './gamma-gamma';
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

  it('has the analytic gradient of its log-likelihood (central differences agree)', () => {
    const columns = spendColumns(cdnowSummaryWithMonetary().filter((c) => c.frequency > 0));
    const gradient = new Float64Array(3);
    const at = { p: 5.1, q: 3.3, v: 17.2 };
    gammaGammaLogLikelihoodOf(at, columns, gradient);
    (['p', 'q', 'v'] as const).forEach((name, i) => {
      const h = 1e-6 * at[name];
      const up = gammaGammaLogLikelihoodOf({ ...at, [name]: at[name] + h }, columns);
      const down = gammaGammaLogLikelihoodOf({ ...at, [name]: at[name] - h }, columns);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 3);
    });
  });

  it('reaches the same optimum by BFGS as by the derivative-free fallback, in far fewer evaluations', () => {
    const bfgs = fitGammaGamma(cdnowSummaryWithMonetary());
    const simplex = fitGammaGamma(cdnowSummaryWithMonetary(), { optimiser: 'nelder-mead' });
    expect(bfgs.logLikelihood).toBeGreaterThanOrEqual(simplex.logLikelihood - 1e-6);
    for (const name of ['p', 'q', 'v'] as const)
      expect(relativeError(bfgs.params[name], simplex.params[name])).toBeLessThan(1e-3);
    expect(bfgs.evaluations).toBeLessThan(simplex.evaluations / 3);
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

  it('stops once the fit sits on the search bound: spend without heterogeneity is reported within a few hundred evaluations', () => {
    // given 20,000 repeaters who all spend exactly 50 (p, q -> infinity together: nothing to identify)
    const customers = Array.from({ length: 20_000 }, (_, i) => ({ frequency: 1 + (i % 5), monetaryValue: 50 }));
    // when fitted
    const fit = fitGammaGamma(customers);
    // then the fit is reported as unidentified long before the 3,000-evaluation budget it used to burn
    expect(fit.warnings.join('; ')).toMatch(/q reached the search bound/);
    expect(fit.warnings).toContain('optimiser stopped on the search bound: the likelihood still rises towards it');
    expect(fit.evaluations).toBeLessThan(600);
    // and its mean spend is still the data's
    expect(relativeError((fit.params.v * fit.params.p) / (fit.params.q - 1), 50)).toBeLessThan(1e-3);
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
