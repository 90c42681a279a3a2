import { seededRandom } from '@rapport/clv';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { buildKpiFactTable } from './kpi-fact-table';
import { periodsBetween } from './kpi-periods';
import { KpiFactSource } from './kpi-source';
import { kpiReport, parseKpiQuery } from './kpi.query';
import { evolveServiceKpi, type ServiceKpiDoc } from './service-kpi.projection';
import { DAY_MS } from '@rapport/domain';

// The KPI report against a straightforward reading of docs/read-models.md, computed here from the raw
// events with none of the engine's indexes: random customers, as-of times, period kinds and churn spans.
const START = Date.parse('2025-01-01T00:00:00Z');

interface Raw {
  customer: string;
  region: string;
  purchases: number[];
  nps: Array<[number, number]>;
  promises: Array<{ due: number; keptAt: number | null }>;
}

function world(seed: number): { raws: Raw[]; events: ProjectedEvent[] } {
  const rand = seededRandom(seed);
  const raws: Raw[] = [];
  const events: ProjectedEvent[] = [];
  let position = 0;
  const emit = (customerId: string, at: number, type: string, data: Record<string, unknown>) => {
    const iso = new Date(at).toISOString();
    events.push({
      type,
      data: { customerId, ...data },
      metadata: { occurredAt: iso, recordedAt: iso, channel: 'web' },
      streamId: `customer-${customerId}`,
      revision: 0,
      position: ++position,
    } as unknown as ProjectedEvent);
  };
  for (let i = 0; i < 80; i++) {
    const customer = `c${i}`;
    const raw: Raw = { customer, region: rand() < 0.5 ? 'N' : 'S', purchases: [], nps: [], promises: [] };
    const t0 = START + Math.floor(rand() * 200) * DAY_MS;
    const timeline: Array<[number, () => void]> = [];
    timeline.push([
      t0,
      () => emit(customer, t0, 'CustomerRegistered', { region: raw.region, city: 'x', acquisitionChannel: 'ads' }),
    ]);
    for (let k = 0, t = t0; k < Math.floor(rand() * 6); k++) {
      t += Math.floor(rand() * 150) * DAY_MS + 3_600_000;
      const at = t;
      raw.purchases.push(at);
      timeline.push([at, () => emit(customer, at, 'PurchaseRecorded', { orderId: `o${k}`, total: 10 })]);
    }
    for (let k = 0; k < 3; k++) {
      const at = t0 + Math.floor(rand() * 400) * DAY_MS;
      const score = Math.floor(rand() * 11);
      raw.nps.push([at, score]);
      timeline.push([at, () => emit(customer, at, 'SurveyResponded', { surveyId: `s${k}`, kind: 'nps', score })]);
    }
    const made = t0 + Math.floor(rand() * 300) * DAY_MS;
    const due = made + Math.floor(rand() * 40) * DAY_MS;
    const keptAt = rand() < 0.6 ? made + Math.floor(rand() * 50) * DAY_MS : null;
    raw.promises.push({ due, keptAt });
    timeline.push([
      made,
      () => emit(customer, made, 'PromiseMade', { promiseId: 'p', dueAt: new Date(due).toISOString(), madeBy: 'a' }),
    ]);
    if (keptAt !== null)
      timeline.push([keptAt, () => emit(customer, keptAt, 'PromiseKept', { promiseId: 'p', keptBy: 'a' })]);
    timeline.sort((a, b) => a[0] - b[0]).forEach(([, f]) => f());
    raw.purchases.sort((a, b) => a - b);
    raws.push(raw);
  }
  return { raws, events };
}

/** Active at x: the last purchase before x is less than `span` before x. */
const activeAt = (purchases: number[], x: number, span: number): boolean => {
  const before = purchases.filter((t) => t < x);
  return before.length > 0 && before[before.length - 1]! + span > x;
};

describe('KPIs against a reference computation', () => {
  it.each([11, 12, 13, 14])(
    'world %i: NPS, promise-kept, repeat purchase and churn per period and over the range',
    (seed) => {
      const { raws, events } = world(seed);
      const docs = new Map<string, ServiceKpiDoc>();
      for (const e of events) docs.set(e.data.customerId, evolveServiceKpi(docs.get(e.data.customerId) ?? null, e)!);
      const source = new KpiFactSource(buildKpiFactTable(docs.values()), events.length, 'x');
      const rand = seededRandom(seed + 100);
      for (let trial = 0; trial < 6; trial++) {
        const asOfMs = START + Math.floor(100 + rand() * 500) * DAY_MS + Math.floor(rand() * DAY_MS);
        const period = rand() < 0.5 ? 'month' : 'week';
        const churnDays = 40 + Math.floor(rand() * 150);
        const from = new Date(asOfMs - Math.floor(30 + rand() * 200) * DAY_MS).toISOString();
        const q = parseKpiQuery(
          { asOf: new Date(asOfMs).toISOString(), period, from, churnDays: String(churnDays), by: 'region' },
          Date.parse('2030-01-01T00:00:00Z'),
        );
        const report = kpiReport(source.table, source.records(q.asOfMs), q);
        const periods = periodsBetween(period, Date.parse(from), asOfMs).map((p) => ({
          ...p,
          end: Math.min(p.end, asOfMs + 1),
        }));
        const span = churnDays * DAY_MS;
        const expected = (start: number, end: number, region?: string) => {
          const rs = raws.filter((r) => region === undefined || r.region === region);
          const answers = rs.flatMap((r) =>
            r.nps.filter(([t]) => t >= start && t < end && t <= asOfMs).map(([, s]) => s),
          );
          const dues = rs.flatMap((r) => r.promises.filter((p) => p.due >= start && p.due < end && p.due <= asOfMs));
          const buyers = rs.filter((r) => r.purchases.some((t) => t >= start && t < end && t <= asOfMs));
          const active = rs.filter((r) =>
            activeAt(
              r.purchases.filter((t) => t <= asOfMs),
              start,
              span,
            ),
          );
          return {
            promoters: answers.filter((s) => s >= 9).length,
            detractors: answers.filter((s) => s <= 6).length,
            responses: answers.length,
            due: dues.length,
            keptOnTime: dues.filter((p) => p.keptAt !== null && p.keptAt <= p.due && p.keptAt <= asOfMs).length,
            purchasers: buyers.length,
            repeaters: buyers.filter((r) => r.purchases.filter((t) => t < end && t <= asOfMs).length >= 2).length,
            activeAtStart: active.length,
            churned: active.filter(
              (r) =>
                !activeAt(
                  r.purchases.filter((t) => t <= asOfMs),
                  end,
                  span,
                ),
            ).length,
          };
        };
        const actual = (v: (typeof report)['totals']) => ({
          promoters: v.nps.promoters,
          detractors: v.nps.detractors,
          responses: v.nps.responses,
          due: v.promiseKeptRate.due,
          keptOnTime: v.promiseKeptRate.keptOnTime,
          purchasers: v.repeatPurchaseRate.purchasers,
          repeaters: v.repeatPurchaseRate.repeaters,
          activeAtStart: v.churnRate.activeAtStart,
          churned: v.churnRate.churned,
        });
        expect(report.periods.map((p) => p.period)).toEqual(periods.map((p) => p.name));
        periods.forEach((p, i) => {
          expect({ period: p.name, ...actual(report.periods[i]!.values) }).toEqual({
            period: p.name,
            ...expected(p.start, p.end),
          });
          for (const region of ['N', 'S']) {
            const group = report.periods[i]!.groups!.find((g) => g.key === region);
            const want = expected(p.start, p.end, region);
            if (group === undefined) expect(Object.values(want).every((x) => x === 0)).toBe(true);
            else expect({ region, ...actual(group.values) }).toEqual({ region, ...want });
          }
        });
        const rangeStart = periods[0]!.start;
        expect(actual(report.totals)).toEqual(expected(rangeStart, asOfMs + 1));
        for (const region of ['N', 'S'])
          expect(actual(report.groups!.find((g) => g.key === region)!.values)).toEqual(
            expected(rangeStart, asOfMs + 1, region),
          );
      }
    },
  );
});
