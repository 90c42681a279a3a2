import { cdnowSummary } from './cdnow-dataset.fixture';
import { EmptyPopulationError, InvalidClvInputError } from './clv-errors';
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesOfNewCustomer,
  fitBgNbd,
  probabilityAlive,
  probabilityAliveUnder,
  type BgNbdParams,
} from './bg-nbd';
import { seededRandom, simulateCustomers, simulateHistories } from './simulate';
import { HypergeometricConvergenceError } from './clv-errors';
import { logHyp2f1 } from './special-functions';

const PUBLISHED: BgNbdParams = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

describe('BG/NBD on CDNOW (weeks)', () => {
  const customers = cdnowSummary();
  const fit = fitBgNbd(customers);

  it('fits the published parameters of Fader, Hardie & Lee (2005) within 1%', () => {
    for (const name of ['r', 'alpha', 'a', 'b'] as const)
      expect(relativeError(fit.params[name], PUBLISHED[name])).toBeLessThan(0.01);
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
    expect(fit.customers).toBe(2357);
  });

  it('reaches the maximum log-likelihood reported for these data (-9582.4, as lifetimes)', () => {
    expect(fit.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(bgNbdLogLikelihood(PUBLISHED, customers)).toBeLessThanOrEqual(fit.logLikelihood + 1e-6);
  });

  it("predicts 1.226 purchases in the next 39 weeks for the paper's example customer (x=2, t_x=30.43, T=38.86)", () => {
    expect(expectedPurchases(fit.params, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('reaches the same optimum by the derivative-free fallback (Nelder-Mead) as by BFGS', () => {
    expect(fit.optimiser).toBe('bfgs');
    const simplex = fitBgNbd(customers, { optimiser: 'nelder-mead' });
    expect(simplex.optimiser).toBe('nelder-mead');
    for (const name of ['r', 'alpha', 'a', 'b'] as const)
      expect(relativeError(simplex.params[name], fit.params[name])).toBeLessThan(1e-4);
  });

  it('penalises large parameters when asked (L2), trading likelihood for smaller parameters', () => {
    const penalised = fitBgNbd(customers, { penalty: 0.01 });
    const size = (p: BgNbdParams): number => p.r ** 2 + p.alpha ** 2 + p.a ** 2 + p.b ** 2;
    expect(size(penalised.params)).toBeLessThan(size(fit.params));
    expect(penalised.logLikelihood).toBeLessThan(fit.logLikelihood);
  });
});

describe('BG/NBD predictions', () => {
  const params = PUBLISHED;

  it('gives a customer who never repeated P(alive) = 1, and lowers it as the last purchase ages', () => {
    expect(probabilityAlive(params, { frequency: 0, recency: 0, T: 30 })).toBe(1);
    const recent = probabilityAlive(params, { frequency: 5, recency: 29, T: 30 });
    const lapsed = probabilityAlive(params, { frequency: 5, recency: 5, T: 30 });
    expect(recent).toBeGreaterThan(0.8);
    expect(lapsed).toBeLessThan(recent);
    expect(probabilityAlive(params, { frequency: 400, recency: 1, T: 1000 })).toBe(0); // odds overflow to 0, not NaN
  });

  it('predicts at once, as a Poisson-gamma buyer, when the fit finds almost no dropout (CDNOW as of 1997-01-20)', () => {
    // What CDNOW's first three weeks fit: dropout p ~ Beta(7·10^-6, 3·10^5), i.e. nobody leaves. Its series
    // once ran to a million terms a customer (five minutes for a scoring run).
    const rare = { r: 0.6486, alpha: 76.88, a: 7.388e-6, b: 313_461 };
    const customer = { frequency: 2, recency: 12, T: 19 };
    const t = 90;
    // Without dropout: λ | x, T ~ Gamma(r + x, α + T), E[Y(t)] = (r + x)·t/(α + T).
    expect(expectedPurchases(rare, customer, t)).toBeCloseTo(((rare.r + 2) * t) / (rare.alpha + 19), 3);
    expect(expectedPurchases(rare, customer, t, { maxTerms: 200 })).toBe(expectedPurchases(rare, customer, t));
  });

  it('gives the same P(alive) under parameters checked once as probabilityAlive, to the last bit', () => {
    const customers = cdnowSummary();
    for (const params of [PUBLISHED, { r: 3.1, alpha: 0.02, a: 12, b: 0.4 }]) {
      const under = probabilityAliveUnder(params);
      for (const customer of customers) expect(under(customer)).toBe(probabilityAlive(params, customer));
      // Along one customer's days, as stage histories ask it (the logs not depending on T kept between calls).
      for (const customer of customers.slice(0, 200))
        for (const T of [customer.T, customer.T + 1, customer.T + 40])
          expect(under({ ...customer, T })).toBe(probabilityAlive(params, { ...customer, T }));
    }
    expect(() => probabilityAliveUnder({ ...PUBLISHED, a: 0 })).toThrow(InvalidClvInputError);
  });

  it('names the age at which P(alive) falls below a level: below it just after, not yet just before', () => {
    for (const params of [PUBLISHED, { r: 3.1, alpha: 0.02, a: 12, b: 0.4 }]) {
      const under = probabilityAliveUnder(params);
      for (const [frequency, recency] of [
        [1, 3],
        [4, 20],
        [12, 70],
        [40, 77],
      ] as const)
        for (const p of [0.05, 0.3, 0.5, 0.9]) {
          const age = under.ageBelow(frequency, recency, p);
          // An age before the last purchase: P(alive) was already below p on its day.
          if (age < recency) expect(under({ frequency, recency, T: recency })).toBeLessThan(p);
          else {
            expect(under({ frequency, recency, T: age * (1 + 1e-9) + 1e-9 })).toBeLessThan(p);
            expect(under({ frequency, recency, T: age * (1 - 1e-9) })).toBeGreaterThanOrEqual(p);
          }
        }
      expect(under.ageBelow(0, 0, 0.5)).toBe(Number.POSITIVE_INFINITY);
    }
  });

  it('expects more purchases over longer horizons, none over a zero horizon', () => {
    const customer = { frequency: 3, recency: 20, T: 35 };
    const horizons = [0, 1, 10, 52, 520];
    const values = horizons.map((t) => expectedPurchases(params, customer, t));
    expect(values[0]).toBe(0);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] as number);
  });

  it.each([
    [{ r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 }, { frequency: 7, recency: 30, T: 38 }, 39],
    [{ r: 1.5, alpha: 20, a: 2.5, b: 4 }, { frequency: 0, recency: 0, T: 3 }, 200],
    [{ r: 3, alpha: 0.5, a: 0.3, b: 0.4 }, { frequency: 60, recency: 50, T: 52 }, 10],
  ])('agrees with the direct (non-transformed) hypergeometric formula for %j %j t=%p', (p, customer, t) => {
    const x = customer.frequency;
    const z = t / (p.alpha + customer.T + t);
    const bracket = 1 - Math.exp(logHyp2f1(p.r + x, p.b + x, p.a + p.b + x - 1, z) + (p.r + x) * Math.log(1 - z));
    const odds =
      x > 0 ? (p.a / (p.b + x - 1)) * ((p.alpha + customer.T) / (p.alpha + customer.recency)) ** (p.r + x) : 0;
    const direct = (((p.a + p.b + x - 1) / (p.a - 1)) * bracket) / (1 + odds);
    expect(relativeError(expectedPurchases(p, customer, t), direct)).toBeLessThan(1e-9);
  });

  it('matches the mean purchase count of simulated new customers (E[X(t)])', () => {
    const truth = { r: 0.8, alpha: 5, a: 1.4, b: 3 };
    const simulated = simulateCustomers(truth, new Array<number>(20_000).fill(26), 7);
    const counts = simulated.map((c) => c.frequency);
    const mean = counts.reduce((s, x) => s + x, 0) / counts.length;
    const sd = Math.sqrt(counts.reduce((s, x) => s + (x - mean) ** 2, 0) / counts.length);
    expect(Math.abs(mean - expectedPurchasesOfNewCustomer(truth, 26))).toBeLessThan(
      (4 * sd) / Math.sqrt(counts.length),
    );
  });

  it('predicts simulated holdout purchases and the share still alive (calibration 52, holdout 26)', () => {
    const truth = { r: 0.6, alpha: 8, a: 0.7, b: 2.2 };
    const calibration = 52;
    const holdout = 26;
    const histories = simulateHistories(truth, new Array<number>(10_000).fill(calibration + holdout), 11);
    let predicted = 0;
    let actual = 0;
    let aliveProbability = 0;
    let alive = 0;
    const squares: number[] = [];
    for (const history of histories) {
      const before = history.repeatPurchaseTimes.filter((time) => time < calibration);
      const customer = { frequency: before.length, recency: before[before.length - 1] ?? 0, T: calibration };
      const count = history.repeatPurchaseTimes.length - before.length;
      predicted += expectedPurchases(truth, customer, holdout);
      actual += count;
      squares.push(count);
      aliveProbability += probabilityAlive(truth, customer);
      if (history.droppedOutAt >= calibration) alive++;
    }
    const n = histories.length;
    const sd = Math.sqrt(squares.reduce((sum, c) => sum + (c - actual / n) ** 2, 0) / n);
    expect(Math.abs(predicted / n - actual / n)).toBeLessThan((4 * sd) / Math.sqrt(n));
    expect(Math.abs(aliveProbability / n - alive / n)).toBeLessThan(4 * Math.sqrt(0.25 / n));
  });

  it('throws a clear convergence error when 2F1 cannot be summed (z extremely close to 1)', () => {
    const extreme = { r: 0.5, alpha: 1e-9, a: 0.7, b: 2.2 };
    const newCustomer = { frequency: 0, recency: 0, T: 0 };
    const budget = { maxTerms: 10_000 };
    expect(() => expectedPurchases(extreme, newCustomer, 1e6, budget)).toThrow(HypergeometricConvergenceError);
    expect(() => expectedPurchases(extreme, newCustomer, 1e6, budget)).toThrow(/no convergence within 10000 terms/);
  });

  it('is continuous through a = 1, where the closed form is 0/0 and the limit is used', () => {
    const customer = { frequency: 2, recency: 10, T: 20 };
    const at = (a: number): number => expectedPurchases({ ...params, a }, customer, 30);
    expect(at(1)).toBeGreaterThan(0);
    expect(relativeError(at(1), at(1 + 1e-5))).toBeLessThan(1e-4);
    expect(relativeError(at(1), at(1 - 1e-5))).toBeLessThan(1e-4);
  });

  it('rejects negative horizons and invalid parameters by name', () => {
    expect(() => expectedPurchases(params, { frequency: 1, recency: 1, T: 2 }, -1)).toThrow(
      /t must be a finite number >= 0/,
    );
    expect(() => probabilityAlive({ ...params, alpha: 0 }, { frequency: 1, recency: 1, T: 2 })).toThrow(
      /alpha must be a finite number > 0/,
    );
  });
});

describe('BG/NBD fit', () => {
  it('recovers the parameters of simulated data (seeded)', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 2.8 };
    const ages = Array.from({ length: 8000 }, (_, i) => 20 + (i % 33));
    const fit = fitBgNbd(simulateCustomers(truth, ages, 2024));
    expect(relativeError(fit.params.r, truth.r)).toBeLessThan(0.1);
    expect(relativeError(fit.params.alpha, truth.alpha)).toBeLessThan(0.15);
    expect(relativeError(fit.params.a, truth.a)).toBeLessThan(0.2);
    expect(relativeError(fit.params.b, truth.b)).toBeLessThan(0.25);
    expect(fit.converged).toBe(true);
  });

  it('fits a population of one-purchase customers, warning that the parameters are not identified', () => {
    const fit = fitBgNbd(Array.from({ length: 300 }, (_, i) => ({ frequency: 0, recency: 0, T: 10 + (i % 20) })));
    expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
    expect(fit.warnings).toContain('no customer has a repeat purchase: a and b (dropout) are not identified');
    expect(expectedPurchases(fit.params, { frequency: 0, recency: 0, T: 20 }, 52)).toBeLessThan(1e-3);
  });

  it('fits identical customers (no heterogeneity to estimate) to finite parameters, with a warning', () => {
    const customers = Array.from({ length: 500 }, () => ({ frequency: 3, recency: 20, T: 30 }));
    const fit = fitBgNbd(customers);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    expect(fit.warnings.length).toBeGreaterThan(0);
    expect(fit.optimiser).toBe('nelder-mead'); // BFGS ended on the search box: the robust path took over
    expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(PUBLISHED, customers));
    const prediction = expectedPurchases(fit.params, customers[0] as (typeof customers)[0], 10);
    expect(Number.isFinite(prediction)).toBe(true);
    expect(prediction).toBeGreaterThanOrEqual(0);
  });

  it('reports a dropout the data drive to the search bound at once, from BFGS, without a derivative-free crawl', () => {
    // given 10,000 customers who buy at one rate (Poisson, a purchase every 20 days) and never drop out
    const random = seededRandom(5);
    const customers = Array.from({ length: 10_000 }, (_, i) => {
      const T = 100 + (i % 600);
      let frequency = 0;
      let at = 0;
      let last = 0;
      for (;;) {
        at += -Math.log(1 - random()) * 20;
        if (at > T) break;
        frequency++;
        last = at;
      }
      return { frequency, recency: Math.floor(last), T };
    });
    // when fitted
    const fit = fitBgNbd(customers);
    // then BFGS's optimum on the box (a -> 0: no dropout) is reported as unidentified, after its own few evaluations
    expect(fit.optimiser).toBe('bfgs');
    expect(fit.warnings.join('; ')).toMatch(/a reached the search bound/);
    expect(fit.evaluations).toBeLessThan(100);
    // and it is the same likelihood Nelder-Mead with restarts reaches in many more evaluations
    const simplex = fitBgNbd(customers, { optimiser: 'nelder-mead' });
    expect(simplex.evaluations).toBeGreaterThan(2 * fit.evaluations);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(simplex.logLikelihood - 1e-6 * Math.abs(simplex.logLikelihood));
  });

  it('refuses an empty population with a clear error', () => {
    expect(() => fitBgNbd([])).toThrow(EmptyPopulationError);
    expect(() => fitBgNbd([])).toThrow('BG/NBD: no customers to fit on');
  });

  it.each([
    [{ frequency: 1.5, recency: 1, T: 2 }, /customer #1: frequency must be an integer >= 0/],
    [{ frequency: 2, recency: 3, T: 2 }, /customer #1: recency must be <= T/],
    [{ frequency: 0, recency: 1, T: 2 }, /recency must be 0 when frequency is 0/],
    [{ frequency: 1, recency: 1, T: Number.NaN }, /T must be a finite number >= 0/],
  ])('rejects invalid customer %j naming the field', (bad, message) => {
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 1 }, bad])).toThrow(InvalidClvInputError);
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 1 }, bad])).toThrow(message);
  });
});
