import type { ProjectedEvent } from '@rapport/projection-engine';
import { MemoryReadStore } from '@rapport/read-store';
import { projected } from '@rapport/testing';
import { buildKpiFactTable } from './kpi-fact-table';
import { deriveKpiRecords } from './kpi-records';
import { loadKpiFactSource, refreshKpiFactSource } from './kpi-source';
import { kpiReport, parseKpiQuery } from './kpi.query';
import { serviceKpiProjection, type ServiceKpiDoc } from './service-kpi.projection';

const C = 'service-kpi';
const NOW = Date.parse('2026-06-30T00:00:00Z');
const survey = (c: string, at: string, score: number) =>
  projected('SurveyResponded', at, { customerId: c, surveyId: `s-${at}`, kind: 'nps', score });

/** A store fed like the projection runner: each event folded into its document, committed with the checkpoint. */
async function feed(store: MemoryReadStore, docs: Map<string, ServiceKpiDoc>, events: ProjectedEvent[]): Promise<void> {
  for (const e of events) {
    const doc = serviceKpiProjection.evolve(docs.get(e.data.customerId) ?? null, e)!;
    docs.set(doc.id, doc);
    await store.commit([{ kind: 'upsert', collection: C, doc, position: e.position }], {
      name: C,
      position: e.position,
    });
  }
}

describe('KPI fact source refresh', () => {
  it('given documents changed since the table was read, then only they are read again and the table equals a full read', async () => {
    const store = new MemoryReadStore();
    await store.ensureCollection({ name: C, indexes: serviceKpiProjection.indexes });
    const docs = new Map<string, ServiceKpiDoc>();
    await feed(store, docs, [
      survey('a', '2026-02-01T00:00:00Z', 10),
      survey('b', '2026-02-02T00:00:00Z', 2),
      survey('c', '2026-02-03T00:00:00Z', 8),
    ]);
    const first = await loadKpiFactSource(store, C);
    // Then: b answers again, a new customer d answers; a and c do not change.
    await feed(store, docs, [survey('b', '2026-03-01T00:00:00Z', 9), survey('d', '2026-03-02T00:00:00Z', 0)]);
    const scan = jest.spyOn(store, 'scan');
    const refreshed = await refreshKpiFactSource(store, first, C);
    expect(scan).not.toHaveBeenCalled();
    expect(refreshed.position).toBe(await store.getCheckpoint(C));
    expect(refreshed.table.customerIds.sort()).toEqual(['a', 'b', 'c', 'd']);
    const q = parseKpiQuery({ from: '2026-01-01T00:00:00Z', asOf: '2026-06-01T00:00:00Z', by: 'channel' }, NOW);
    const reread = await loadKpiFactSource(store, C);
    const viaRefresh = kpiReport(refreshed.table, refreshed.records(q.asOfMs), q);
    expect(viaRefresh).toEqual(kpiReport(reread.table, reread.records(q.asOfMs), q));
    const built = buildKpiFactTable(docs.values());
    expect(viaRefresh).toEqual(kpiReport(built, deriveKpiRecords(built, q.asOfMs), q));
    expect(viaRefresh.totals.nps).toMatchObject({ responses: 5, promoters: 2, detractors: 2 });
    // The first table is untouched: what it answered, it still answers.
    expect(kpiReport(first.table, first.records(q.asOfMs), q).totals.nps.responses).toBe(3);
    // Nothing changed since: the same source.
    expect(await refreshKpiFactSource(store, refreshed, C)).toBe(refreshed);
  });
});
