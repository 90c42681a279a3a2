// The CLV back-test on CDNOW_master through the read model (customer-value documents in a SQLite read
// store, each taken as of both ends) against the same back-test computed straight from the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backtest, summarizePopulation } from '@rapport/clv';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { customerValueProjection } from '@rapport/projections/customer-value/customer-value.projection';
import { runClvBacktest, type ClvBacktestReport } from './clv-backtest';
import { NothingToBacktest } from './clv-backtest-errors';
import { readCdnowMaster } from '@rapport/testing/fixtures/cdnow-master';
import { storeCdnowCustomerValues } from './clv-cdnow.fixture';

describe('CLV back-test on CDNOW_master (SQLite read store), the literature’s 39 + 39 weeks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-clv-backtest-'));
  const store = new SqliteReadStore({ filename: join(dir, 'read.db') });
  const purchases = readCdnowMaster();
  let report: ClvBacktestReport;

  beforeAll(async () => {
    await storeCdnowCustomerValues(store, purchases);
    report = await runClvBacktest(store, customerValueProjection.name, {}, new Date('1998-07-01T00:00:00.000Z'));
  }, 60_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits by default at 1997-09-30 and 1998-06-30 (39 weeks from the first purchase day, then 39 weeks)', () => {
    expect(report.cohortStart).toBe('1997-01-01T00:00:00.000Z');
    expect(report.calibrationEnd).toBe('1997-09-30T23:59:59.999Z');
    expect(report.holdoutEnd).toBe('1998-06-30T23:59:59.999Z');
    expect(report.holdoutLength).toBe(273);
    expect(report.customers).toBe(23_570);
    expect(report.acquiredInHoldout).toBe(0);
  });

  it('fits the calibration period as a store cut at 1997-09-30 does: r 0.2516, α 33.52 days, a 0.7234, b 2.161', () => {
    expect(report.fit.params.r).toBeCloseTo(0.2516, 4);
    expect(report.fit.params.alpha).toBeCloseTo(33.52, 2);
    expect(report.fit.params.a).toBeCloseTo(0.7234, 4);
    expect(report.fit.params.b).toBeCloseTo(2.161, 3);
  });

  it('equals the back-test computed straight from the transactions (summaries in weeks: the model is scale-free)', () => {
    // given the file summarised without the read model, at both ends
    const rows = purchases.map((p) => ({ customerId: p.customerId, at: new Date(p.at), amount: p.amount }));
    const calibration = summarizePopulation(rows, { observationEnd: new Date('1997-09-30'), unit: 'weeks' });
    const whole = summarizePopulation(rows, { observationEnd: new Date('1998-06-30'), unit: 'weeks' });
    const direct = backtest(
      [...calibration].map(([id, s]) => ({
        id,
        calibration: s,
        holdoutPurchases: whole.get(id)!.frequency - s.frequency,
      })),
      { holdoutLength: 39 },
    );
    // then the holdout counts, bins, errors and coverage agree
    expect(report.errors.totalActual).toBe(direct.errors.totalActual);
    expect(report.errors.totalActual).toBe(19_684);
    expect(report.errors.totalPredicted).toBeCloseTo(direct.errors.totalPredicted, 3);
    expect(report.errors.mae).toBeCloseTo(direct.errors.mae, 8);
    expect(report.errors.correlation).toBeCloseTo(direct.errors.correlation, 8);
    report.byFrequency.forEach((bin, i) => {
      expect(bin.customers).toBe(direct.byFrequency[i]!.customers);
      expect(bin.actual).toBeCloseTo(direct.byFrequency[i]!.actual, 10);
      expect(bin.predicted).toBeCloseTo(direct.byFrequency[i]!.predicted, 6);
    });
    expect(report.coverage).toEqual(direct.coverage);
    expect(report.fit.params.alpha).toBeCloseTo(direct.fit.params.alpha * 7, 3);
  });

  it('reports what the literature shows: under-forecast of the holdout total, good ranking, predictive coverage above 90%', () => {
    expect(report.errors.totalRelativeError).toBeCloseTo(-0.143, 2);
    expect(report.errors.correlation).toBeGreaterThan(0.6);
    expect(report.coverage.predictiveInterval).toBeGreaterThanOrEqual(0.9);
    expect(report.coverage.parameterInterval).toBeLessThan(0.05);
  });

  it('knows only what was recorded by knownAt: before any recording time, nothing to back-test', async () => {
    // the fixture's events are recorded when they occurred (1997 on): as known at 1996-12-31 there is none
    await expect(
      runClvBacktest(
        store,
        customerValueProjection.name,
        { knownAt: '1996-12-31' },
        new Date('1998-07-01T00:00:00.000Z'),
      ),
    ).rejects.toThrow(NothingToBacktest);
  });
});
