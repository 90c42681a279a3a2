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
  backtestFacts(report: object): [string, Record<string, unknown>][];
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

  it('states the split, the totals, the error measures and both coverages as message keys with raw values', () => {
    const facts = Object.fromEntries(math.backtestFacts(report));
    expect(facts['backtest.calibration']).toEqual({ from: '1997-01-01T00:00:00.000Z', to: '1997-09-30T23:59:59.999Z' });
    expect(facts['backtest.holdout']).toEqual({ to: '1998-06-30T23:59:59.999Z', length: 273, unit: 'days' });
    expect(facts['backtest.holdoutPurchases']).toEqual({ predicted: 9.78, actual: 11, error: -0.111 });
    expect(facts['backtest.perCustomer']).toEqual({ mae: 0.81, rmse: 1.7, correlation: 0.66 });
    expect(facts['backtest.predictiveInterval']).toEqual({ level: 0.9, share: 0.942 });
    expect(facts['backtest.parameterInterval']).toEqual({ level: 0.9, share: 0.004 });
  });

  it('gives null, not NaN, for a measure the report lacks', () => {
    const facts = Object.fromEntries(math.backtestFacts({ ...report, errors: {}, coverage: {} }));
    expect(facts['backtest.perCustomer']).toEqual({ mae: null, rmse: null, correlation: null });
    expect(facts['backtest.predictiveInterval']).toEqual({ level: 0.9, share: null });
  });
});
