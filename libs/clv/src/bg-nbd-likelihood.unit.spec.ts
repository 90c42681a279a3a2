import { bgNbdLogLikelihoodOf, type BgNbdParams } from './bg-nbd-likelihood';
import { cdnowSummary } from './cdnow-dataset.fixture';
import { compactPopulation } from './population';
import { logGamma } from './special-functions';

const population = compactPopulation(cdnowSummary(), 'BG/NBD');

describe('BG/NBD log-likelihood', () => {
  it('equals the textbook formula written with ln Γ (FHL 2005 eq. 6) for each customer', () => {
    const p: BgNbdParams = { r: 0.7, alpha: 3, a: 1.3, b: 2.2 };
    const customer = { frequency: 4, recency: 20.5, T: 31 };
    const x = customer.frequency;
    const textbook =
      logGamma(p.r + x) -
      logGamma(p.r) +
      p.r * Math.log(p.alpha) +
      logGamma(p.a + p.b) +
      logGamma(p.b + x) -
      logGamma(p.b) -
      logGamma(p.a + p.b + x) +
      Math.log(
        (p.alpha + customer.T) ** -(p.r + x) + (p.a / (p.b + x - 1)) * (p.alpha + customer.recency) ** -(p.r + x),
      );
    expect(bgNbdLogLikelihoodOf(p, compactPopulation([customer], 'test'))).toBeCloseTo(textbook, 10);
  });

  it('has an analytic gradient that matches central finite differences', () => {
    const p: BgNbdParams = { r: 0.3, alpha: 5, a: 0.6, b: 2 };
    const gradient = new Float64Array(4);
    bgNbdLogLikelihoodOf(p, population, gradient);
    (['r', 'alpha', 'a', 'b'] as const).forEach((name, i) => {
      const h = 1e-6 * p[name];
      const numeric =
        (bgNbdLogLikelihoodOf({ ...p, [name]: p[name] + h }, population) -
          bgNbdLogLikelihoodOf({ ...p, [name]: p[name] - h }, population)) /
        (2 * h);
      expect(Math.abs((gradient[i] as number) - numeric)).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
    });
  });

  it('stays finite for extreme parameters (log-space evaluation)', () => {
    expect(Number.isFinite(bgNbdLogLikelihoodOf({ r: 1e7, alpha: 1e8, a: 1e-7, b: 1e7 }, population))).toBe(true);
    expect(Number.isFinite(bgNbdLogLikelihoodOf({ r: 1e-7, alpha: 1e-7, a: 50, b: 1e-7 }, population))).toBe(true);
  });
});
