import { cdnowSummary, cdnowSummaryWithMonetary } from './cdnow-dataset.fixture';
import { SingularInformationError } from './clv-errors';
import { fitBgNbd } from './bg-nbd';
import { fitGammaGamma } from './gamma-gamma';
import { bgNbdCovariance, gammaGammaCovariance } from './parameter-covariance';
import { simulateCustomers } from './simulate';

const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

describe('parameter covariance from the observed information', () => {
  it('gives the standard errors lifetimes publishes for BG/NBD on CDNOW (0.0126, 0.378, 0.186, 0.705) within 0.5%', () => {
    // given the CDNOW calibration summary and its ML fit
    const customers = cdnowSummary();
    const fit = fitBgNbd(customers);
    // when the covariance is taken at the optimum
    const covariance = bgNbdCovariance(fit.params, customers);
    // then the standard errors are those of lifetimes' BetaGeoFitter summary
    const published = { r: 0.012557, alpha: 0.378221, a: 0.185719, b: 0.705345 };
    for (const name of ['r', 'alpha', 'a', 'b'] as const)
      expect(relativeError(covariance.standardErrors[name], published[name])).toBeLessThan(0.005);
    expect(covariance.logEstimate[0]).toBeCloseTo(Math.log(fit.params.r), 12);
  });

  it('is symmetric and positive on the diagonal', () => {
    const customers = cdnowSummary();
    const covariance = bgNbdCovariance(fitBgNbd(customers).params, customers);
    for (let i = 0; i < 4; i++) {
      expect(covariance.logCovariance[i]![i]).toBeGreaterThan(0);
      for (let j = 0; j < 4; j++) expect(covariance.logCovariance[i]![j]).toBe(covariance.logCovariance[j]![i]);
    }
  });

  it('narrows as the population grows: about 1/sqrt(N)', () => {
    // given two simulated populations from the same truth, one ten times larger
    const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const small = simulateCustomers(
      truth,
      Array.from({ length: 2000 }, (_, i) => 10 + (i % 30)),
      11,
    );
    const large = simulateCustomers(
      truth,
      Array.from({ length: 20000 }, (_, i) => 10 + (i % 30)),
      12,
    );
    // when each is fitted and its covariance taken
    const se = (customers: typeof small) => bgNbdCovariance(fitBgNbd(customers).params, customers).standardErrors.r;
    const ratio = se(small) / se(large);
    // then the standard error shrinks by about sqrt(10)
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(4);
  });

  it('gives positive Gamma-Gamma standard errors whose intervals hold the published p, q, v', () => {
    const customers = cdnowSummaryWithMonetary();
    const fit = fitGammaGamma(customers);
    const covariance = gammaGammaCovariance(fit.params, customers);
    const published = { p: 6.25, q: 3.74, v: 15.45 };
    for (const name of ['p', 'q', 'v'] as const) {
      expect(covariance.standardErrors[name]).toBeGreaterThan(0);
      expect(Math.abs(fit.params[name] - published[name])).toBeLessThan(covariance.standardErrors[name]);
    }
  });

  it('refuses a point where the likelihood is not curved like a maximum', () => {
    // given parameters far from the optimum, where the log-likelihood is not concave in every direction
    const customers = cdnowSummary();
    expect(() => bgNbdCovariance({ r: 50, alpha: 0.001, a: 1e-6, b: 1e6 }, customers)).toThrow(
      SingularInformationError,
    );
  });
});
