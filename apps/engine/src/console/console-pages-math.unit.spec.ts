import { join } from 'node:path';
import { loadBrowserModule } from './browser-module';

const load = <T>(file: string): T => loadBrowserModule<T>(join(__dirname, '..', '..', 'console', file));

interface HistoryMath {
  lastRevision(exists: (revision: number) => Promise<boolean>, known?: number): Promise<number>;
  newestFirstPage(
    total: number,
    size: number,
    page: number,
  ): { page: number; pages: number; from: number; to: number; count: number };
  pageOfRevision(total: number, size: number, revision: number): number;
  outsideReplay(event: object, asOf?: string, knownAt?: string): string | null;
}
interface AuditMath {
  utcInstant(local: string): string | null;
  localValue(iso: string | null): string;
  deciderSummary(decider: object | null): [string, unknown][];
  verifyOutcome(report: object | null): Record<string, unknown>;
}
interface KpiMath {
  kpiDefinitions(): { id: string; unit: string }[];
  kpiReading(
    values: object | null,
    definition: object,
  ): { id: string; value: number | null; count: number; p90: number | null };
  kpiSeries(report: object, ids: string[]): { labels: string[]; series: Record<string, (number | null)[]> };
  driverRows(answer: object): Record<string, unknown>[];
  cohortGrid(answer: object): {
    columns: number[];
    rows: { cohort: string; cells: (object | null)[] }[];
    mean: (number | null)[];
  };
  slaMetricRows(
    metrics: object | undefined,
  ): { step: string; median: number | null; p90: number | null; count: number; breaches: number }[];
  complaintSteps(item: object): [string, object][];
  calendarSummary(calendar: object | null): {
    offset: string;
    hours: { from: string; to: string; spans: string }[];
    holidays: number;
    workdays: number;
  };
}

const history = load<HistoryMath>('history-math.js');
const audit = load<AuditMath>('audit-math.js');
const kpi = load<KpiMath>('kpi-math.js');

describe('auditor history paging, newest first', () => {
  it('finds the last revision of any stream length in about 2·log2(n) probes', async () => {
    for (const length of [1, 2, 3, 100, 1000, 1001, 4097, 123_457]) {
      let probes = 0;
      const exists = async (revision: number): Promise<boolean> => {
        probes += 1;
        return revision < length;
      };
      expect(await history.lastRevision(exists)).toBe(length - 1);
      expect(probes).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(length + 1)) + 2);
    }
    // Starting from a revision known to exist (the end of the first read).
    expect(await history.lastRevision(async (r) => r < 5000, 999)).toBe(4999);
  });

  it('pages from the newest event back to revision 0, the last page partial', () => {
    expect(history.newestFirstPage(130, 50, 0)).toEqual({ page: 0, pages: 3, from: 80, to: 129, count: 50 });
    expect(history.newestFirstPage(130, 50, 1)).toEqual({ page: 1, pages: 3, from: 30, to: 79, count: 50 });
    expect(history.newestFirstPage(130, 50, 2)).toEqual({ page: 2, pages: 3, from: 0, to: 29, count: 30 });
    // Past the ends: clamped to the oldest and the newest page.
    expect(history.newestFirstPage(130, 50, 99).page).toBe(2);
    expect(history.newestFirstPage(130, 50, -1).page).toBe(0);
    expect(history.newestFirstPage(1, 50, 0)).toEqual({ page: 0, pages: 1, from: 0, to: 0, count: 1 });
  });

  it('finds the page that shows a revision', () => {
    expect([129, 80, 79, 30, 0, 500, -3].map((r) => history.pageOfRevision(130, 50, r))).toEqual([0, 0, 1, 1, 2, 0, 2]);
  });

  it('marks what a replay leaves out: occurred after as-of, or recorded after known-at', () => {
    const event = { metadata: { occurredAt: '2026-03-02T00:00:00Z', recordedAt: '2026-03-05T00:00:00Z' } };
    expect(history.outsideReplay(event)).toBeNull();
    expect(history.outsideReplay(event, '2026-03-01T00:00:00Z')).toBe('afterAsOf');
    expect(history.outsideReplay(event, '2026-03-02T00:00:00Z')).toBeNull();
    expect(history.outsideReplay(event, undefined, '2026-03-04T00:00:00Z')).toBe('afterKnownAt');
    expect(history.outsideReplay(event, '2026-04-01T00:00:00Z', '2026-03-05T00:00:00Z')).toBeNull();
  });
});

describe('auditor workspace helpers', () => {
  it('reads the time pickers as UTC and writes instants back into them', () => {
    expect(audit.utcInstant('2026-03-01T12:30')).toBe('2026-03-01T12:30:00.000Z');
    expect(audit.utcInstant('2026-03-01')).toBe('2026-03-01T23:59:59.000Z');
    expect(audit.utcInstant('')).toBeNull();
    expect(audit.utcInstant('yesterday')).toBeNull();
    expect(audit.localValue('2026-03-01T12:30:45.000Z')).toBe('2026-03-01T12:30');
    expect(audit.localValue(null)).toBe('');
  });

  it("sums up the decider's state: orders, money in units, promises and complaints by status", () => {
    const decider = {
      status: 'active',
      registeredAt: '2026-01-01T00:00:00Z',
      orders: { o1: { paidCents: 2550, refundedCents: 500 }, o2: { paidCents: 1000, refundedCents: 0 } },
      promises: { p1: { status: 'open' }, p2: { status: 'overdue' }, p3: { status: 'kept' }, p4: { status: 'broken' } },
      complaints: { k1: { status: 'open' }, k2: { status: 'resolved' } },
      surveyIds: { s1: true },
      callIds: {},
    };
    expect(Object.fromEntries(audit.deciderSummary(decider))).toEqual({
      'audit.decider.status': 'active',
      'audit.decider.registeredAt': '2026-01-01T00:00:00Z',
      'audit.decider.orders': 2,
      'audit.decider.paid': 35.5,
      'audit.decider.refunded': 5,
      'audit.decider.promisesOpen': 2,
      'audit.decider.promisesKept': 1,
      'audit.decider.promisesBroken': 1,
      'audit.decider.complaintsOpen': 1,
      'audit.decider.complaintsResolved': 1,
      'audit.decider.surveys': 1,
      'audit.decider.calls': 0,
    });
    expect(audit.deciderSummary({ status: 'unknown' })).toEqual([['audit.decider.status', 'unknown']]);
    expect(audit.deciderSummary({ status: 'erased', erasedAt: '2026-02-01T00:00:00Z' })).toEqual([
      ['audit.decider.status', 'erased'],
      ['audit.decider.erasedAt', '2026-02-01T00:00:00Z'],
    ]);
  });

  it('states a verification as intact, or broken at its first broken revision', () => {
    expect(audit.verifyOutcome({ ok: true, streams: 1, events: 12, broken: [] })).toEqual({
      outcome: 'intact',
      events: 12,
    });
    expect(
      audit.verifyOutcome({
        ok: false,
        streams: 1,
        events: 12,
        broken: [{ streamId: 'customer-x', brokenAt: 7, reason: 'hash mismatch' }],
      }),
    ).toEqual({
      outcome: 'broken',
      events: 12,
      brokenAt: 7,
      reason: 'hash mismatch',
    });
    expect(audit.verifyOutcome(null)).toEqual({ outcome: 'empty' });
  });
});

describe('KPI, cohort and SLA page helpers', () => {
  const values = {
    nps: { score: 12.5, promoters: 5, passives: 1, detractors: 2, responses: 8 },
    csat: { score: 75, satisfied: 3, responses: 4 },
    ces: { mean: null, responses: 0 },
    firstResponseHours: { median: 3.5, p90: 20, count: 6 },
    promiseKeptRate: { rate: 0.8, keptOnTime: 4, due: 5 },
  };

  it('reads each KPI with its count; no data is null with count 0, not zero', () => {
    const read = Object.fromEntries(kpi.kpiDefinitions().map((d) => [d.id, kpi.kpiReading(values, d)]));
    expect(kpi.kpiDefinitions().map((d) => d.id)).toEqual([
      'nps',
      'csat',
      'ces',
      'firstResponseHours',
      'resolutionHours',
      'promiseKeptRate',
      'repeatPurchaseRate',
      'churnRate',
    ]);
    expect(read['nps']).toMatchObject({ value: 12.5, count: 8, p90: null });
    expect(read['csat']).toMatchObject({ value: 75, count: 4 });
    expect(read['ces']).toMatchObject({ value: null, count: 0 });
    expect(read['firstResponseHours']).toMatchObject({ value: 3.5, count: 6, p90: 20 });
    expect(read['resolutionHours']).toMatchObject({ value: null, count: 0 });
    expect(read['promiseKeptRate']).toMatchObject({ value: 0.8, count: 5 });
  });

  it('draws one point per period, a gap where a period has no answer', () => {
    const report = {
      periods: [
        { period: '2026-02', values },
        { period: '2026-03', values: { nps: null } },
      ],
    };
    expect(kpi.kpiSeries(report, ['nps', 'csat'])).toEqual({
      labels: ['2026-02', '2026-03'],
      series: { nps: [12.5, null], csat: [75, null] },
    });
  });

  it('lists the drivers with both sides and their difference', () => {
    const answer = {
      drivers: [
        {
          driver: 'brokenPromise',
          with: { nps: { score: -40, responses: 5 }, csat: { score: 20 }, customers: 4 },
          without: { nps: { score: 12.5, responses: 80 }, csat: { score: 81.2 }, customers: 120 },
          difference: { nps: -52.5, csat: -61.2 },
        },
        {
          driver: 'complaint',
          with: { nps: { score: null, responses: 0 }, csat: {}, customers: 0 },
          without: { nps: { score: 10, responses: 85 }, csat: {}, customers: 124 },
          difference: { nps: null, csat: null },
        },
      ],
    };
    const rows = kpi.driverRows(answer);
    expect(rows[0]).toEqual({
      driver: 'brokenPromise',
      npsWith: -40,
      npsWithout: 12.5,
      csatWith: 20,
      csatWithout: 81.2,
      npsDifference: -52.5,
      csatDifference: -61.2,
      responsesWith: 5,
      responsesWithout: 80,
      customersWith: 4,
      customersWithout: 120,
    });
    expect(rows[1]).toMatchObject({ npsWith: null, npsDifference: null, responsesWith: 0 });
  });

  it('lays cohorts out by months since acquisition, with the size-weighted mean of the cohorts that reached each month', () => {
    const answer = {
      metric: 'customers',
      maxMonthsSince: 2,
      cohorts: [
        {
          cohort: '1997-01',
          size: 100,
          revenue0: 1000,
          cells: [
            { monthsSince: 0, active: 100, retention: 1, revenue: 1000 },
            { monthsSince: 1, active: 20, retention: 0.2, revenue: 300 },
            { monthsSince: 2, active: 10, retention: 0.1, revenue: 100 },
          ],
        },
        {
          cohort: '1997-02',
          size: 50,
          revenue0: 400,
          cells: [
            { monthsSince: 0, active: 50, retention: 1, revenue: 400 },
            { monthsSince: 1, active: 20, retention: 0.4, revenue: 100 },
          ],
        },
      ],
    };
    const grid = kpi.cohortGrid(answer);
    expect(grid.columns).toEqual([0, 1, 2]);
    expect(grid.rows[1]!.cells[2]).toBeNull();
    expect(grid.mean).toEqual([1, 40 / 150, 10 / 100]);
    expect(kpi.cohortGrid({ ...answer, metric: 'revenue' }).mean).toEqual([1, 400 / 1400, 100 / 1000]);
    expect(kpi.cohortGrid({ cohorts: [] })).toEqual({ columns: [], rows: [], mean: [] });
  });

  it('orders the SLA steps first reply, next reply, resolution, and a complaint shows only the steps it has', () => {
    const rows = kpi.slaMetricRows({
      resolution: { medianHours: 20, p90Hours: 60, count: 35, breaches: 5 },
      firstReply: { medianHours: 2.5, p90Hours: 7, count: 40, breaches: 3 },
    });
    expect(rows.map((r) => r.step)).toEqual(['firstReply', 'nextReply', 'resolution']);
    expect(rows[1]).toEqual({ step: 'nextReply', median: null, p90: null, count: 0, breaches: 0 });
    expect(
      kpi
        .complaintSteps({ acknowledgement: { status: 'met' }, nextReply: null, resolution: { status: 'pending' } })
        .map(([step]) => step),
    ).toEqual(['acknowledgement', 'resolution']);
  });

  it('sums up a desk calendar: its UTC offset, identical consecutive days grouped, holidays and make-up days counted', () => {
    const calendar = {
      utcOffsetMinutes: 480,
      hours: {
        mon: '09:00-18:00',
        tue: '09:00-18:00',
        wed: '09:00-18:00',
        thu: '09:00-18:00',
        fri: '09:00-17:00',
        sat: '10:00-12:00',
      },
      holidays: ['2026-10-01', '2026-10-02'],
      workdays: ['2026-09-27'],
    };
    expect(kpi.calendarSummary(calendar)).toEqual({
      offset: '+08:00',
      hours: [
        { from: 'mon', to: 'thu', spans: '09:00-18:00' },
        { from: 'fri', to: 'fri', spans: '09:00-17:00' },
        { from: 'sat', to: 'sat', spans: '10:00-12:00' },
      ],
      holidays: 2,
      workdays: 1,
    });
    expect(kpi.calendarSummary({ utcOffsetMinutes: -330, hours: {} })).toEqual({
      offset: '-05:30',
      hours: [],
      holidays: 0,
      workdays: 0,
    });
  });
});
