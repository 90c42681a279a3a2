import type { ProjectedEvent } from '@rapport/projection-engine';
import { AnalystQueryError } from '@rapport/projection-engine';
import { purchased, refunded } from '@rapport/testing';
import { buildKpiFactTable } from '@rapport/projections/service-kpi/kpi-fact-table';
import { deriveKpiRecords } from '@rapport/projections/service-kpi/kpi-records';
import { evolveServiceKpi, type ServiceKpiDoc } from '@rapport/projections/service-kpi/service-kpi.projection';
import { cohortReport, parseCohortQuery } from './cohort-retention.query';

const NOW = Date.parse('2026-12-31T00:00:00Z');

function report(events: ProjectedEvent[], params: Record<string, string>) {
  const docs = new Map<string, ServiceKpiDoc>();
  for (const e of events) docs.set(e.data.customerId, evolveServiceKpi(docs.get(e.data.customerId) ?? null, e)!);
  const q = parseCohortQuery(params, NOW);
  return cohortReport(deriveKpiRecords(buildKpiFactTable(docs.values()), q.asOfMs, q.knownAtMs), q);
}

describe('cohort retention', () => {
  const events = [
    purchased('a', '2026-01-10T00:00:00.000Z', 100, 'a1'),
    purchased('a', '2026-01-20T00:00:00.000Z', 50, 'a2'),
    purchased('a', '2026-03-02T00:00:00.000Z', 30, 'a3'),
    refunded('a', '2026-03-05T00:00:00.000Z', 'a3', 10),
    purchased('b', '2026-01-31T23:00:00.000Z', 50, 'b1'),
    purchased('b', '2026-02-01T01:00:00.000Z', 20, 'b2'),
    purchased('c', '2026-02-15T00:00:00.000Z', 40, 'c1'),
  ];

  it('given purchases over three months, then cohorts are first-purchase months and cells count buyers and net revenue per month since', () => {
    const r = report(events, { asOf: '2026-03-31T00:00:00Z' });
    expect(r.cohorts.map((c) => [c.cohort, c.size, c.revenue0])).toEqual([
      ['2026-01', 2, 200],
      ['2026-02', 1, 40],
    ]);
    const jan = r.cohorts[0]!.cells;
    expect(jan.map((c) => [c.monthsSince, c.active, c.retention, c.revenue, c.revenueRetained])).toEqual([
      [0, 2, 1, 200, 1],
      [1, 1, 0.5, 20, 0.1],
      [2, 1, 0.5, 20, 0.1], // 30 bought, 10 refunded in March
    ]);
    expect(r.cohorts[1]!.cells.map((c) => c.active)).toEqual([1, 0]);
    expect(jan.map((c) => c.value)).toEqual([1, 0.5, 0.5]);
    expect(r.maxMonthsSince).toBe(2);
  });

  it('given an as-of before later purchases, then neither the cohorts nor the cells see them', () => {
    const r = report(events, { asOf: '2026-01-31T23:30:00Z', metric: 'revenue' });
    expect(r.cohorts.map((c) => [c.cohort, c.size, c.cells.length])).toEqual([['2026-01', 2, 1]]);
    expect(r.cohorts[0]!.cells[0]!.value).toBe(1);
  });

  it('filters cohorts by month and caps months since', () => {
    const r = report(events, { asOf: '2026-03-31T00:00:00Z', from: '2026-02', months: '1' });
    expect(r.cohorts.map((c) => [c.cohort, c.cells.length])).toEqual([['2026-02', 1]]);
  });

  it('rejects a bad metric, month or unknown parameter naming it', () => {
    const field = (params: Record<string, unknown>) => {
      try {
        parseCohortQuery(params, NOW);
        return null;
      } catch (e) {
        return e instanceof AnalystQueryError ? e.field : 'other';
      }
    };
    expect(field({ metric: 'profit' })).toBe('metric');
    expect(field({ from: '2026-13' })).toBe('from');
    expect(field({ months: '0' })).toBe('months');
    expect(field({ cohort: 'x' })).toBe('cohort');
  });
});
