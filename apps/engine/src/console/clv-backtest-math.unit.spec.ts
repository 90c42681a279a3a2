import { join } from 'node:path';
import { loadBrowserModule } from './browser-module';

interface Bin {
  frequency: number;
  label: string;
  customers: number;
  actual: number;
  predicted: number;
}
interface BacktestMath {
  backtestSeries(report: { byFrequency: Bin[] }): {
    labels: string[];
    customers: number[];
    actual: (number | null)[];
    predicted: (number | null)[];
  };
  backtestFacts(report: object): [string, string][];
}

const math = loadBrowserModule<BacktestMath>(join(__dirname, '../../console/clv-backtest-math.js'));

describe('CLV back-test panel helpers', () => {
  const report = {
    level: 0.9,
    unit: 'days',
    customers: 10,
    holdoutLength: 273,
    cohortStart: '1997-01-01T00:00:00.000Z',
    calibrationEnd: '1997-09-30T23:59:59.999Z',
    holdoutEnd: '1998-06-30T23:59:59.999Z',
    byFrequency: [
      { frequency: 0, label: '0', customers: 6, actual: 0.25, predicted: 0.23 },
      { frequency: 1, label: '1', customers: 0, actual: 0, predicted: 0 },
      { frequency: 2, label: '2+', customers: 4, actual: 2.5, predicted: 2.1 },
    ],
    errors: {
      totalPredicted: 9.78,
      totalActual: 11,
      totalRelativeError: -0.111,
      mae: 0.81,
      rmse: 1.7,
      correlation: 0.66,
    },
    coverage: { predictiveInterval: 0.942, parameterInterval: 0.004 },
  };

  it('plots one point per frequency bin, leaving empty bins out rather than drawing them at 0', () => {
    expect(math.backtestSeries(report)).toEqual({
      labels: ['0', '1', '2+'],
      customers: [6, 0, 4],
      actual: [0.25, null, 2.5],
      predicted: [0.23, null, 2.1],
    });
  });

  it('states the split, the totals, the error measures and both coverages', () => {
    const facts = Object.fromEntries(math.backtestFacts(report));
    expect(facts.calibration).toBe('1997-01-01 … 1997-09-30');
    expect(facts.holdout).toBe('… 1998-06-30 (273 days)');
    expect(facts['purchases in the holdout']).toBe('predicted 10, actual 11 (-11.1%)');
    expect(facts['per customer']).toBe('MAE 0.810, RMSE 1.700, correlation 0.660');
    expect(facts['90.0% predictive interval']).toContain('94.2%');
    expect(facts['90.0% parameter interval']).toContain('0.4%');
  });
});
