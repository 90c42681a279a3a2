import type { ProjectedEvent } from '@rapport/projection-engine';
import { AnalystQueryError } from '@rapport/projection-engine';
import { projected } from '@rapport/testing';
import { buildKpiFactTable } from './kpi-fact-table';
import { driversReport, parseDriversQuery } from './kpi-drivers';
import { deriveKpiRecords } from './kpi-records';
import { KpiFactSource } from './kpi-source';
import { kpiReport, parseKpiQuery } from './kpi.query';
import { evolveServiceKpi, type ServiceKpiDoc } from './service-kpi.projection';
import { DAY_MS } from '@rapport/domain';

const NOW = Date.parse('2026-06-30T00:00:00Z');

/** An event recorded at `recordedAt` (default: when it occurred). */
const at = (event: ProjectedEvent, recordedAt?: string, channel?: string): ProjectedEvent => ({
  ...event,
  metadata: {
    ...event.metadata,
    ...(recordedAt ? { recordedAt } : {}),
    ...(channel ? { channel: channel as ProjectedEvent['metadata']['channel'] } : {}),
  },
});
const reg = (c: string, when: string, region: string, acquisitionChannel = 'web') =>
  projected('CustomerRegistered', when, {
    customerId: c,
    name: 'x',
    acquisitionChannel,
    acquisitionCost: 0,
    region,
    city: `${region}-city`,
    demographics: {},
  });
const survey = (c: string, when: string, kind: 'nps' | 'csat' | 'ces', score: number) =>
  projected('SurveyResponded', when, { customerId: c, surveyId: `s-${c}-${when}`, kind, score });
const buy = (c: string, when: string, total: number) =>
  projected('PurchaseRecorded', when, { customerId: c, orderId: `o-${c}-${when}`, lines: [], total, currency: 'CNY' });
const filed = (c: string, id: string, when: string) =>
  projected('ComplaintFiled', when, {
    customerId: c,
    complaintId: id,
    category: 'delivery',
    severity: 'high',
    description: 'x',
  });
const acked = (c: string, id: string, when: string, by = 'agent-a') =>
  projected('ComplaintAcknowledged', when, { customerId: c, complaintId: id, by });
const resolved = (c: string, id: string, when: string, by = 'agent-a') =>
  projected('ComplaintResolved', when, { customerId: c, complaintId: id, by, resolution: 'x' });
const promised = (c: string, id: string, when: string, dueAt: string, madeBy = 'agent-p') =>
  projected('PromiseMade', when, { customerId: c, promiseId: id, description: 'x', dueAt, madeBy, withinPolicy: true });
const kept = (c: string, id: string, when: string) =>
  projected('PromiseKept', when, { customerId: c, promiseId: id, keptBy: 'agent-p' });

function sourceOf(events: ProjectedEvent[]): KpiFactSource {
  const docs = new Map<string, ServiceKpiDoc>();
  for (const e of events) {
    const next = evolveServiceKpi(docs.get(e.data.customerId) ?? null, e);
    if (next) docs.set(next.id, next);
  }
  return new KpiFactSource(buildKpiFactTable(docs.values()), events.length, 'service-kpi');
}
const report = (source: KpiFactSource, params: Record<string, string>) => {
  const q = parseKpiQuery(params, NOW);
  return kpiReport(source.table, source.records(q.asOfMs, q.knownAtMs), q);
};

describe('service KPIs', () => {
  describe('given survey answers in two months', () => {
    const source = sourceOf([
      reg('a', '2026-01-01T00:00:00Z', 'North'),
      reg('b', '2026-01-01T00:00:00Z', 'South'),
      survey('a', '2026-02-03T00:00:00Z', 'nps', 10),
      survey('b', '2026-02-04T00:00:00Z', 'nps', 9),
      survey('a', '2026-02-05T00:00:00Z', 'nps', 7),
      survey('b', '2026-02-06T00:00:00Z', 'nps', 3),
      survey('a', '2026-03-01T00:00:00Z', 'nps', 0),
      survey('a', '2026-02-07T00:00:00Z', 'csat', 5),
      survey('b', '2026-02-08T00:00:00Z', 'csat', 4),
      survey('b', '2026-02-09T00:00:00Z', 'csat', 2),
      survey('a', '2026-02-10T00:00:00Z', 'ces', 2),
      survey('b', '2026-02-11T00:00:00Z', 'ces', 5),
    ]);

    it('when asked by month, then NPS is promoters − detractors in % with counts, CSAT the share of 4–5, CES the mean', () => {
      const r = report(source, { from: '2026-02-01T00:00:00Z', asOf: '2026-03-31T23:59:59Z' });
      expect(r.periods.map((p) => p.period)).toEqual(['2026-02', '2026-03']);
      const feb = r.periods[0]!.values;
      // 2 promoters, 1 passive, 1 detractor of 4: (2 − 1) / 4 = 25.
      expect(feb.nps).toEqual({ score: 25, promoters: 2, passives: 1, detractors: 1, responses: 4 });
      expect(feb.csat).toEqual({ score: 66.67, satisfied: 2, responses: 3 });
      expect(feb.ces).toEqual({ mean: 3.5, responses: 2 });
      expect(r.periods[1]!.values.nps).toEqual({ score: -100, promoters: 0, passives: 0, detractors: 1, responses: 1 });
      // Over the range: 2 promoters, 2 detractors of 5.
      expect(r.totals.nps.score).toBe(0);
    });

    it('when asked by region, then each group holds its own customers’ answers', () => {
      const r = report(source, { from: '2026-02-01T00:00:00Z', asOf: '2026-03-31T23:59:59Z', by: 'region' });
      expect(r.groups!.map((g) => [g.key, g.values.nps.responses, g.values.nps.score])).toEqual([
        ['North', 3, 0],
        ['South', 2, 0],
      ]);
      expect(r.periods[1]!.groups!.map((g) => g.key)).toEqual(['North']);
    });

    it('when asked as of a date inside February, then later answers do not count (no look-ahead)', () => {
      const r = report(source, { from: '2026-02-01T00:00:00Z', asOf: '2026-02-05T12:00:00Z' });
      expect(r.totals.nps.responses).toBe(3);
      expect(r.to).toBe('2026-02-05T12:00:00.000Z');
    });
  });

  it('given an answer recorded late, when asked known at a time before its recording, then it is left out', () => {
    const source = sourceOf([
      survey('a', '2026-02-03T00:00:00Z', 'nps', 10),
      at(survey('a', '2026-02-04T00:00:00Z', 'nps', 0), '2026-04-01T00:00:00Z'),
    ]);
    const params = { from: '2026-02-01T00:00:00Z', asOf: '2026-03-01T00:00:00Z' };
    expect(report(source, params).totals.nps.responses).toBe(2);
    expect(report(source, { ...params, knownAt: '2026-03-15T00:00:00Z' }).totals.nps).toMatchObject({
      responses: 1,
      score: 100,
    });
  });

  it('given complaints, then first-response and resolution hours are measured from filing, median and p90', () => {
    const events: ProjectedEvent[] = [];
    // Five complaints answered after 1, 2, 3, 4 and 10 hours; three resolved after 10, 20 and 30 hours.
    [1, 2, 3, 4, 10].forEach((h, i) => {
      const filedAt = Date.parse('2026-02-02T00:00:00Z') + i * DAY_MS;
      events.push(filed('a', `k${i}`, new Date(filedAt).toISOString()));
      events.push(acked('a', `k${i}`, new Date(filedAt + h * 3_600_000).toISOString()));
      if (i < 3) events.push(resolved('a', `k${i}`, new Date(filedAt + (i + 1) * 10 * 3_600_000).toISOString()));
    });
    const r = report(sourceOf(events), { from: '2026-02-01T00:00:00Z', asOf: '2026-02-28T00:00:00Z' });
    // Sorted 1,2,3,4,10: median 3; p90 at rank 3.6 = 4 + 0.6 × 6 = 7.6.
    expect(r.totals.firstResponseHours).toEqual({ median: 3, p90: 7.6, count: 5 });
    expect(r.totals.resolutionHours).toEqual({ median: 20, p90: 28, count: 3 });
  });

  it('given a resolution before any acknowledgement, then the resolution is also the first response', () => {
    const r = report(sourceOf([filed('a', 'k', '2026-02-02T00:00:00Z'), resolved('a', 'k', '2026-02-02T05:00:00Z')]), {
      from: '2026-02-01T00:00:00Z',
      asOf: '2026-02-28T00:00:00Z',
    });
    expect(r.totals.firstResponseHours.median).toBe(5);
    expect(r.totals.resolutionHours.median).toBe(5);
  });

  it('given a question to the customer before any acknowledgement, then the question is the first response', () => {
    const r = report(
      sourceOf([
        filed('a', 'k', '2026-02-02T00:00:00Z'),
        projected('ComplaintAwaitingCustomer', '2026-02-02T02:00:00Z', {
          customerId: 'a',
          complaintId: 'k',
          by: 'agent-q',
        }),
        acked('a', 'k', '2026-02-02T06:00:00Z'),
      ]),
      { from: '2026-02-01T00:00:00Z', asOf: '2026-02-28T00:00:00Z', by: 'agent' },
    );
    expect(r.totals.firstResponseHours).toEqual({ median: 2, p90: 2, count: 1 });
    expect(r.groups!.map((g) => [g.key, g.values.firstResponseHours.count])).toEqual([['agent-q', 1]]);
  });

  it('given promises kept on time, late, broken, renegotiated and cancelled, then the kept rate counts due promises only', () => {
    const source = sourceOf([
      promised('a', 'p1', '2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'),
      kept('a', 'p1', '2026-02-09T00:00:00Z'),
      promised('a', 'p2', '2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'),
      kept('a', 'p2', '2026-02-11T00:00:00Z'), // late
      promised('a', 'p3', '2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'),
      projected('PromiseBroken', '2026-02-05T00:00:00Z', { customerId: 'a', promiseId: 'p3' }),
      promised('a', 'p4', '2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'),
      projected('PromiseCancelled', '2026-02-05T00:00:00Z', { customerId: 'a', promiseId: 'p4' }),
      promised('a', 'p5', '2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'),
      projected('PromiseRenegotiated', '2026-02-05T00:00:00Z', {
        customerId: 'a',
        promiseId: 'p5',
        previousDueAt: '2026-02-10T00:00:00Z',
        newDueAt: '2026-04-10T00:00:00Z',
      }),
    ]);
    const r = report(source, { from: '2026-02-01T00:00:00Z', asOf: '2026-03-01T00:00:00Z', by: 'agent' });
    // p1 on time, p2 late, p3 broken; p4 cancelled; p5 now due in April.
    expect(r.totals.promiseKeptRate).toEqual({ rate: 0.3333, keptOnTime: 1, due: 3 });
    expect(r.groups!.map((g) => g.key)).toEqual(['agent-p']);
  });

  it('given purchases, then repeat purchase counts buyers with a second purchase and churn counts lapses past churnDays', () => {
    const source = sourceOf([
      buy('a', '2026-01-05T00:00:00Z', 10),
      buy('a', '2026-02-05T00:00:00Z', 10), // a repeats in February
      buy('b', '2026-02-07T00:00:00Z', 10), // b's first purchase
      buy('c', '2025-12-20T00:00:00Z', 10), // c lapses: 35 days after 12-20 is 01-24
    ]);
    const r = report(source, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-28T23:59:59Z',
      asOf: '2026-03-01T00:00:00Z',
      churnDays: '35',
    });
    const [jan, feb] = r.periods.map((p) => p.values);
    expect(jan!.repeatPurchaseRate).toEqual({ rate: 0, repeaters: 0, purchasers: 1 });
    expect(feb!.repeatPurchaseRate).toEqual({ rate: 0.5, repeaters: 1, purchasers: 2 });
    // January: c active at 01-01 (12 days after its purchase), not at 02-01.
    expect(jan!.churnRate).toEqual({ rate: 1, churned: 1, activeAtStart: 1 });
    // February: a active at 02-01 (purchase 01-05, 27 days) and bought again; nobody lapses.
    expect(feb!.churnRate).toEqual({ rate: 0, churned: 0, activeAtStart: 1 });
  });

  it('given a region change, then by=region uses the region as of the query', () => {
    const source = sourceOf([
      reg('a', '2026-01-01T00:00:00Z', 'North'),
      survey('a', '2026-02-03T00:00:00Z', 'nps', 10),
      projected('CustomerProfileUpdated', '2026-03-10T00:00:00Z', { customerId: 'a', changes: { region: 'West' } }),
    ]);
    const keys = (asOf: string) =>
      report(source, { from: '2026-02-01T00:00:00Z', asOf, by: 'region' }).groups!.map((g) => g.key);
    expect(keys('2026-03-01T00:00:00Z')).toEqual(['North']);
    expect(keys('2026-03-31T00:00:00Z')).toEqual(['West']);
  });

  it('given an event applied twice, then the document is unchanged', () => {
    const e = survey('a', '2026-02-03T00:00:00Z', 'nps', 10);
    const once = evolveServiceKpi(null, e);
    expect(evolveServiceKpi(once, e)).toBe(once);
    expect(once!.facts).toHaveLength(1);
  });

  it('rejects unknown parameters and bad values, naming the field', () => {
    const field = (params: Record<string, unknown>) => {
      try {
        parseKpiQuery(params, NOW);
      } catch (e) {
        return e instanceof AnalystQueryError ? e.field : 'other';
      }
      return null;
    };
    expect(field({ period: 'year' })).toBe('period');
    expect(field({ by: 'colour' })).toBe('by');
    expect(field({ asOf: 'yesterday' })).toBe('asOf');
    expect(field({ churnDays: '31' })).toBe('churnDays');
    expect(field({ nope: '1' })).toBe('nope');
    expect(field({ from: '2026-03-01', to: '2026-02-01' })).toBe('to');
    expect(field({ from: '2000-01-01', period: 'week' })).toBeNull();
    expect(() => report(sourceOf([]), { from: '2000-01-01', period: 'week' })).toThrow(AnalystQueryError);
  });

  describe('drivers', () => {
    it('given answers after a broken promise or complaint and answers without, then each side has its NPS, CSAT and counts', () => {
      const source = sourceOf([
        promised('a', 'p', '2026-02-01T00:00:00Z', '2026-02-05T00:00:00Z'),
        projected('PromiseBroken', '2026-02-06T00:00:00Z', { customerId: 'a', promiseId: 'p' }),
        survey('a', '2026-02-10T00:00:00Z', 'nps', 2), // 4 days after the broken promise
        survey('a', '2026-05-10T00:00:00Z', 'nps', 9), // long after: without
        survey('b', '2026-02-10T00:00:00Z', 'nps', 10),
        survey('b', '2026-02-11T00:00:00Z', 'csat', 5),
        filed('c', 'k', '2026-02-01T00:00:00Z'),
        survey('c', '2026-02-02T00:00:00Z', 'csat', 1),
      ]);
      const q = parseDriversQuery({ asOf: '2026-06-01T00:00:00Z' }, NOW);
      const r = driversReport(source.records(q.asOfMs), q);
      const broken = r.drivers.find((d) => d.driver === 'brokenPromise')!;
      expect(broken.with.nps).toMatchObject({ responses: 1, detractors: 1, score: -100 });
      expect(broken.with.customers).toBe(1);
      expect(broken.without.nps).toMatchObject({ responses: 2, promoters: 2, score: 100 });
      expect(broken.difference.nps).toBe(-200);
      const complaint = r.drivers.find((d) => d.driver === 'complaint')!;
      expect(complaint.with.csat).toEqual({ score: 0, satisfied: 0, responses: 1 });
      expect(complaint.without.csat).toEqual({ score: 100, satisfied: 1, responses: 1 });
      expect(complaint.difference.csat).toBe(-100);
      expect(r.drivers.find((d) => d.driver === 'slaBreach')!.difference.nps).toBeNull();
    });
  });

  it('derives the same records for "now" whether or not the as-of is past every fact', () => {
    const events = [survey('a', '2026-02-03T00:00:00Z', 'nps', 10), buy('a', '2026-02-04T00:00:00Z', 5)];
    const source = sourceOf(events);
    const direct = deriveKpiRecords(source.table, NOW);
    const cached = source.records(NOW);
    expect(cached.surveys).toEqual(direct.surveys);
    expect(cached.purchases).toEqual(direct.purchases);
    expect(source.records(NOW + 1000)).toBe(cached);
  });
});
