import { seededRandom } from '@rapport/clv';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { kpiCube } from './kpi-aggregate';
import { buildKpiFactTable } from './kpi-fact-table';
import { KPI_DIMENSIONS } from './kpi-params';
import { periodNumber, periodNumberStart, type PeriodKind } from './kpi-periods';
import { deriveKpiRecords } from './kpi-records';
import { windowCube } from './kpi-timeline';
import { evolveServiceKpi, type ServiceKpiDoc } from './service-kpi.projection';
import { DAY_MS } from '@rapport/domain';

// The cached whole-timeline cube, sliced to a window and corrected for the as-of moment, must equal the
// cube counted directly over that window: random populations, windows, as-of times and dimensions.
const START = Date.parse('2025-01-01T00:00:00Z');

function population(seed: number): ServiceKpiDoc[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const docs: ServiceKpiDoc[] = [];
  let position = 0;
  for (let i = 0; i < 60; i++) {
    const customerId = `c${i}`;
    const events: Array<[number, string, Record<string, unknown>]> = [];
    const t0 = START + rand() * 300 * DAY_MS;
    events.push([
      t0,
      'CustomerRegistered',
      { region: pick(['N', 'S']), city: pick(['x', 'y']), acquisitionChannel: pick(['ads', 'web']) },
    ]);
    for (let b = 0, t = t0; b < 1 + rand() * 6; b++, t += rand() * 90 * DAY_MS)
      events.push([t, 'PurchaseRecorded', { orderId: `o${b}`, total: Math.round(rand() * 100) }]);
    for (let s = 0; s < 3; s++)
      events.push([
        t0 + rand() * 300 * DAY_MS,
        'SurveyResponded',
        { surveyId: `s${s}`, kind: pick(['nps', 'csat', 'ces']), score: Math.floor(rand() * 6) },
      ]);
    const filed = t0 + rand() * 300 * DAY_MS;
    events.push([filed, 'ComplaintFiled', { complaintId: 'k', severity: 'high', category: 'd' }]);
    events.push([
      filed + rand() * 50 * 3_600_000,
      'ComplaintAcknowledged',
      { complaintId: 'k', by: pick(['a1', 'a2']) },
    ]);
    events.push([filed + rand() * 300 * 3_600_000, 'ComplaintResolved', { complaintId: 'k', by: 'a1' }]);
    const made = t0 + rand() * 300 * DAY_MS;
    events.push([
      made,
      'PromiseMade',
      { promiseId: 'p', dueAt: new Date(made + rand() * 60 * DAY_MS).toISOString(), madeBy: pick(['a1', 'a3']) },
    ]);
    if (rand() < 0.6) events.push([made + rand() * 40 * DAY_MS, 'PromiseKept', { promiseId: 'p', keptBy: 'a1' }]);
    events.sort((a, b) => a[0] - b[0]);
    let doc: ServiceKpiDoc | null = null;
    for (const [at, type, data] of events) {
      const iso = new Date(at).toISOString();
      doc = evolveServiceKpi(doc, {
        type,
        data: { customerId, ...data },
        metadata: { occurredAt: iso, recordedAt: iso, channel: pick(['web', 'phone']) },
        streamId: `customer-${customerId}`,
        revision: 0,
        position: ++position,
      } as unknown as ProjectedEvent);
    }
    docs.push(doc!);
  }
  return docs;
}

describe('KPI timeline cube', () => {
  it.each([1, 2, 3, 4, 5])('equals the cube counted over the window (population %i)', (seed) => {
    const table = buildKpiFactTable(population(seed));
    const rand = seededRandom(seed * 7);
    for (let trial = 0; trial < 12; trial++) {
      const kind: PeriodKind = rand() < 0.5 ? 'month' : 'week';
      const asOfMs = START + (100 + rand() * 400) * DAY_MS;
      const everything = rand() < 0.5;
      const records = deriveKpiRecords(table, everything ? Number.POSITIVE_INFINITY : asOfMs);
      const p1 = periodNumber(kind, asOfMs - rand() * 60 * DAY_MS);
      const p0 = p1 - Math.floor(rand() * 14);
      const lastEnd = Math.min(periodNumberStart(kind, p1 + 1), asOfMs + 1);
      const w = { kind, p0, p1, lastEnd, asOfMs, churnDays: 35 + Math.floor(rand() * 200) };
      const dims = KPI_DIMENSIONS.filter((d) => d !== 'tier' && d !== 'stage');
      const by = rand() < 0.3 ? null : dims[Math.floor(rand() * dims.length)]!;
      const fromTimeline = windowCube(table, records, w, by);
      const direct = kpiCube(table, records, w, by);
      expect(fromTimeline.names).toEqual(direct.names);
      expect(fromTimeline.counters).toEqual(direct.counters);
      expect(fromTimeline.range).toEqual(direct.range);
      expect(fromTimeline.firstResponse).toEqual(direct.firstResponse);
      expect(fromTimeline.resolution).toEqual(direct.resolution);
    }
  });
});
