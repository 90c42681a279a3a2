import { backtest, type BacktestCustomer } from './backtest';
import { UnidentifiedModelError } from './clv-errors';
import { cdnowSampleTransactions } from './cdnow-dataset.fixture';
import { summarizePopulation } from './rfm-summary';
import { simulateHistories } from './simulate';

/** CDNOW sample with the literature's split: 39 weeks of calibration from 1997-01-01, the next 39 weeks holdout. */
function cdnowSplit(): BacktestCustomer[] {
  const transactions = cdnowSampleTransactions();
  const calibration = summarizePopulation(transactions, { observationEnd: new Date('1997-09-30'), unit: 'weeks' });
  const whole = summarizePopulation(transactions, { observationEnd: new Date('1998-06-30'), unit: 'weeks' });
  return [...calibration].map(([id, summary]) => ({
    id,
    calibration: summary,
    holdoutPurchases: whole.get(id)!.frequency - summary.frequency,
  }));
}

describe('calibration/holdout back-test of BG/NBD', () => {
  describe('on the CDNOW sample, weeks 1-39 calibration and 40-78 holdout (Fader, Hardie & Lee 2005)', () => {
    const result = backtest(cdnowSplit(), { holdoutLength: 39 });

    it('fits the calibration period to the published parameters and lifetimes’ standard errors', () => {
      expect(result.customers).toBe(2357);
      expect(result.fit.params.r).toBeCloseTo(0.2426, 3);
      expect(result.fit.params.alpha).toBeCloseTo(4.4135, 2);
      expect(result.fit.params.a).toBeCloseTo(0.7929, 3);
      expect(result.fit.params.b).toBeCloseTo(2.4258, 2);
      expect(result.fit.standardErrors!.b).toBeCloseTo(0.705, 2);
    });

    it('bins customers by calibration frequency 0..6 and 7+, the bins adding up to the population', () => {
      expect(result.byFrequency.map((bin) => bin.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
      expect(result.byFrequency.reduce((sum, bin) => sum + bin.customers, 0)).toBe(2357);
      expect(result.byFrequency[0]!.customers).toBe(1411); // the summary's customers with no repeat purchase
      // holdout purchases rise with the calibration frequency, actual and predicted alike
      for (let i = 1; i < result.byFrequency.length; i++) {
        expect(result.byFrequency[i]!.predicted).toBeGreaterThan(result.byFrequency[i - 1]!.predicted);
        expect(result.byFrequency[i]!.actual).toBeGreaterThan(result.byFrequency[i - 1]!.actual);
      }
    });

    it('counts the holdout as the data say and measures the errors from the per-customer rows', () => {
      const rows = result.perCustomer;
      expect(result.errors.totalActual).toBe(rows.reduce((sum, row) => sum + row.actual, 0));
      expect(result.errors.totalActual).toBe(1882); // repeat purchase days in 1997-10-01..1998-06-30
      expect(result.errors.mae).toBeCloseTo(
        rows.reduce((sum, row) => sum + Math.abs(row.predicted - row.actual), 0) / rows.length,
        10,
      );
      // the model under-forecasts this holdout by about 12% in total, and ranks customers well
      expect(result.errors.totalRelativeError).toBeGreaterThan(-0.15);
      expect(result.errors.totalRelativeError).toBeLessThan(-0.09);
      expect(result.errors.correlation).toBeGreaterThan(0.55);
      expect(result.errors.rmse).toBeGreaterThan(result.errors.mae);
    });

    it('reports coverage: the predictive count interval holds about 90% or more, the parameter interval of the mean almost none', () => {
      expect(result.coverage.predictiveInterval).toBeGreaterThanOrEqual(0.9);
      expect(result.coverage.parameterInterval).toBeLessThan(0.05);
    });
  });

  it('recovers the truth on data simulated from the model: totals within 10% (sampling noise of a few thousand purchases), predictive coverage about the level', () => {
    // given customers simulated from BG/NBD, each observed 39 units and then 39 more
    const truth = { r: 0.3, alpha: 5, a: 0.7, b: 2.5 };
    const histories = simulateHistories(
      truth,
      Array.from({ length: 6000 }, (_, i) => 60 + (i % 19)),
      9,
    );
    const customers = histories.map((history, i): BacktestCustomer => {
      const T = 40 + (i % 19) - 1;
      const calibration = history.repeatPurchaseTimes.filter((t) => t <= T);
      const holdout = history.repeatPurchaseTimes.filter((t) => t > T && t <= T + 20).length;
      return {
        id: String(i),
        calibration: { frequency: calibration.length, recency: calibration.at(-1) ?? 0, T },
        holdoutPurchases: holdout,
      };
    });
    // when back-tested over a 20-unit holdout
    const result = backtest(customers, { holdoutLength: 20, level: 0.8 });
    // then the totals agree and the 80% predictive intervals hold about 80% (integers: a little more)
    expect(Math.abs(result.errors.totalRelativeError)).toBeLessThan(0.1);
    expect(result.coverage.predictiveInterval).toBeGreaterThanOrEqual(0.8);
    expect(result.coverage.predictiveInterval).toBeLessThan(0.95);
  });

  it('refuses a negative or fractional holdout count, naming the customer', () => {
    expect(() =>
      backtest([{ id: 'x', calibration: { frequency: 0, recency: 0, T: 3 }, holdoutPurchases: 1.5 }], {
        holdoutLength: 3,
      }),
    ).toThrow(/customer #0: holdoutPurchases/);
    expect(() => backtest([], { holdoutLength: 0 })).toThrow(/holdoutLength/);
  });
});

describe('a calibration period that cannot identify the model', () => {
  it('is refused rather than predicted from: nobody repeating leaves the dropout parameters unidentified', () => {
    const customers = Array.from({ length: 50 }, (_, i) => ({
      id: String(i),
      calibration: { frequency: 0, recency: 0, T: 10 + (i % 7) },
      holdoutPurchases: 0,
    }));
    expect(() => backtest(customers, { holdoutLength: 10 })).toThrow(UnidentifiedModelError);
  });
});
