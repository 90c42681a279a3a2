import { HypergeometricConvergenceError } from './clv-errors';
import { digamma, hyp2f1, logAddExp, logGamma, logHyp2f1 } from './special-functions';

describe('digamma', () => {
  it('is the derivative of logGamma, and takes its known values', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12); // −γ
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 12); // −γ − 2 ln 2
    for (const x of [0.003, 0.4, 1.7, 5.9, 6, 42, 1e4]) {
      const h = 1e-5 * x;
      expect(digamma(x)).toBeCloseTo((logGamma(x + h) - logGamma(x - h)) / (2 * h), 5);
    }
    expect(digamma(0)).toBeNaN();
  });
});

describe('logGamma', () => {
  it.each([
    [0.5, 0.5 * Math.log(Math.PI)],
    [1, 0],
    [2, 0],
    [10, Math.log(362880)],
    [0.2426, 1.3197854750907918], // reference values: Python math.lgamma
    [1234.5678, 7551.033504440956],
    [171.5, 709.1431630309282],
  ])('ln Γ(%p) = %p', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 9);
  });

  it('keeps full precision for tiny and moderate arguments', () => {
    expect(logGamma(1e-10)).toBeCloseTo(-Math.log(1e-10) - 0.5772156649e-10, 10);
    expect(Math.exp(logGamma(5.5))).toBeCloseTo(52.34277778455352, 10);
  });

  it('is NaN outside its domain', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('logAddExp', () => {
  it('adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
  });
});

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.999]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 1 : -Math.log(1 - z) / z, 10);
      expect(hyp2f1(0.7, 3.2, 3.2, z)).toBeCloseTo((1 - z) ** -0.7, 9);
      // 2F1(1/2, 1; 3/2; -x²)... with z >= 0: 2F1(1/2, 1/2; 3/2; z²) = asin(z)/z
      if (z > 0 && z < 0.99) expect(hyp2f1(0.5, 0.5, 1.5, z * z)).toBeCloseTo(Math.asin(z) / z, 10);
    }
  });

  it('handles a negative parameter (alternating terms after the first)', () => {
    // 2F1(-a, b; b; z) = (1 - z)^a
    expect(hyp2f1(-0.2, 5, 5, 0.6)).toBeCloseTo(0.4 ** 0.2, 12);
  });

  it('sums in log space past the double range', () => {
    // 2F1(2000, b; b; 1/2) = 2^2000, far beyond Number.MAX_VALUE
    expect(logHyp2f1(2000, 7, 7, 0.5) / (2000 * Math.LN2)).toBeCloseTo(1, 10);
    expect(() => hyp2f1(2000, 7, 7, 0.5)).toThrow(HypergeometricConvergenceError);
  });

  it('stops within a few dozen terms when a numerator parameter nearly equals c, however large', () => {
    // BG/NBD's Euler form when dropout is rare (b ~ 3·10^5): 2F1(A, a−1; A+x+r; z). Pairing A with n+1 in
    // the tail bound needed ~A·z/(1−z) terms; the series itself settles like z^n.
    const [A, B, C, z] = [313_460.2, -0.9999926, 313_462.5, 0.5];
    let sum = 1;
    let term = 1;
    for (let n = 0; n < 2000; n++) sum += term *= (((A + n) * (B + n)) / ((C + n) * (n + 1))) * z;
    expect(hyp2f1(A, B, C, z, { maxTerms: 100 })).toBeCloseTo(sum, 14);
    expect(hyp2f1(B, A, C, z, { maxTerms: 100 })).toBeCloseTo(sum, 14); // either numerator parameter
  });

  it('fails with a clear error when the series does not converge within its budget', () => {
    expect(() => hyp2f1(1, 1, 2, 0.99999, { maxTerms: 100 })).toThrow(
      /did not converge: no convergence within 100 terms/,
    );
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/z must be in \[0, 1\)/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/c is a non-positive integer/);
    expect(() => logHyp2f1(1, 1, -0.5, 0.5)).toThrow(/is not positive/); // a negative sum has no real log
  });
});
