// CDNOW (23,570 customers, 69,659 purchases) through the service-kpi projection into a SQLite read store,
// read back as a fact table, and the cohort table checked against a count made here from the raw rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { readCdnowMaster } from '@rapport/testing/fixtures/cdnow-master';
import { purchased } from '@rapport/testing';
import { loadKpiFactSource, type KpiFactSource } from '@rapport/projections/service-kpi/kpi-source';
import { serviceKpiProjection, type ServiceKpiDoc } from '@rapport/projections/service-kpi/service-kpi.projection';
import { cohortReport, parseCohortQuery } from './cohort-retention.query';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('cohort retention on CDNOW (SQLite read store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-cohorts-'));
  const store = new SqliteReadStore({ filename: join(dir, 'read.db') });
  const rows = readCdnowMaster().map((r) => ({ ...r, cents: Math.round(r.amount * 100) }));
  let source: KpiFactSource;

  beforeAll(async () => {
    const docs = new Map<string, ServiceKpiDoc | null>();
    rows.forEach((row, i) => {
      const event: ProjectedEvent = {
        ...purchased(row.customerId, row.at, row.cents / 100, `${row.customerId}-${i}`),
        position: i + 1,
      };
      docs.set(row.customerId, serviceKpiProjection.evolve(docs.get(row.customerId) ?? null, event));
    });
    await store.ensureCollection({ name: 'service-kpi', indexes: [] });
    await store.commit(
      [...docs.values()].map((doc, i) => ({
        kind: 'upsert' as const,
        collection: 'service-kpi',
        doc: doc!,
        position: i + 1,
      })),
      { name: 'service-kpi', position: rows.length },
    );
    source = await loadKpiFactSource(store, 'service-kpi');
  }, 120_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Cohort month → months since → [active customers, revenue in cents], counted straight from the rows. */
  function expected(asOf: string): Map<string, Map<number, [Set<string>, number]>> {
    const first = new Map<string, string>();
    for (const r of rows)
      if (r.at <= asOf && (!first.has(r.customerId) || r.at < first.get(r.customerId)!)) first.set(r.customerId, r.at);
    const out = new Map<string, Map<number, [Set<string>, number]>>();
    const month = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
    for (const r of rows) {
      if (r.at > asOf) continue;
      const f = first.get(r.customerId)!;
      const cohort = f.slice(0, 7);
      const k = month(r.at) - month(f);
      const cells = out.get(cohort) ?? new Map<number, [Set<string>, number]>();
      out.set(cohort, cells);
      const cell = cells.get(k) ?? [new Set<string>(), 0];
      cells.set(k, cell);
      cell[0].add(r.customerId);
      cell[1] += r.cents;
    }
    return out;
  }

  it.each(['1998-06-30T23:59:59.999Z', '1997-08-15T00:00:00.000Z'])(
    'given the whole file, when asked as of %s, then every cell equals the count made from the raw rows',
    (asOf) => {
      const q = parseCohortQuery({ asOf, metric: 'revenue' }, NOW);
      const report = cohortReport(source.records(q.asOfMs), q);
      const truth = expected(asOf);
      expect(report.cohorts.map((c) => c.cohort)).toEqual([...truth.keys()].sort());
      for (const row of report.cohorts) {
        const cells = truth.get(row.cohort)!;
        expect(row.size).toBe(cells.get(0)![0].size);
        for (const cell of row.cells) {
          const [active, cents] = cells.get(cell.monthsSince) ?? [new Set(), 0];
          expect(cell.active).toBe(active.size);
          expect(Math.round(cell.revenue * 100)).toBe(cents);
          expect(cell.retention).toBeCloseTo(active.size / row.size, 4);
          expect(cell.value).toBe(cell.revenueRetained);
        }
      }
    },
  );

  it('then the cohorts are those CDNOW documents: 23,570 customers, all first buying in Q1 1997', () => {
    const q = parseCohortQuery({ asOf: '1998-06-30T23:59:59Z' }, NOW);
    const report = cohortReport(source.records(q.asOfMs), q);
    expect(report.cohorts.map((c) => c.cohort)).toEqual(['1997-01', '1997-02', '1997-03']);
    expect(report.cohorts.reduce((n, c) => n + c.size, 0)).toBe(23_570);
    // The January cohort runs to June 1998: months 0..17.
    expect(report.maxMonthsSince).toBe(17);
    expect(report.cohorts[0]!.cells[0]!.retention).toBe(1);
  });
});
