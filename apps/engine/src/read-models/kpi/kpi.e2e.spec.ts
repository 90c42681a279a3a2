import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { startTestEngine, type TestEngine } from '../../../test/engine-test-app';
import { at, purchase, registration } from '../../../test/touchpoint-requests';
import { CLOCK, type Clock, ProjectionsService } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

const NOW = new Date(at(60, 12)); // 2026-03-01 12:00

describe('KPIs, drivers and cohorts over HTTP', () => {
  let engine: TestEngine;
  const post = async (url: string, payload: object) => {
    const response = await engine.request('agent', { method: 'POST', url, payload });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 201 });
  };
  const get = (url: string, role: 'analyst' | 'agent' = 'analyst') => engine.request(role, { method: 'GET', url });

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(NOW));
    await post('/customers', registration('alice', { region: 'North' }));
    await post('/customers', registration('bob', { region: 'South' }));
    await post('/customers/alice/purchases', purchase('o-1', 5));
    await post('/customers/alice/purchases', purchase('o-2', 40));
    await post('/customers/bob/purchases', purchase('o-3', 35));
    await post('/customers/alice/surveys', { surveyId: 's-1', kind: 'nps', score: 10, occurredAt: at(10) });
    await post('/customers/bob/surveys', { surveyId: 's-2', kind: 'nps', score: 4, occurredAt: at(36) });
    await post('/customers/bob/surveys', { surveyId: 's-3', kind: 'csat', score: 5, occurredAt: at(37) });
    await post('/customers/bob/complaints', {
      complaintId: 'k-1',
      category: 'delivery',
      severity: 'high',
      description: 'late parcel',
      occurredAt: at(33, 9),
    });
    await post('/customers/bob/complaints/k-1/acknowledgement', { occurredAt: at(33, 12) });
    const head = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, head, 10_000);
  });
  afterAll(() => engine.close());

  it('answers the KPIs by month and region as of now', async () => {
    const response = await get('/analytics/kpis?period=month&by=region&from=2026-01-01T00:00:00Z');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ asOf: NOW.toISOString(), period: 'month', by: 'region', knownAt: null });
    expect(body.periods.map((p: { period: string }) => p.period)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(body.totals.nps).toEqual({ score: 0, promoters: 1, passives: 0, detractors: 1, responses: 2 });
    expect(body.totals.firstResponseHours).toEqual({ median: 3, p90: 3, count: 1 });
    expect(body.periods[1].values.repeatPurchaseRate).toEqual({ rate: 0.5, repeaters: 1, purchasers: 2 });
    expect(
      body.groups.map((g: { key: string; values: { nps: { score: number } } }) => [g.key, g.values.nps.score]),
    ).toEqual([
      ['North', 100],
      ['South', -100],
    ]);
  });

  it('as of an earlier date, counts only what had occurred by then', async () => {
    const body = (await get('/analytics/kpis?asOf=2026-01-31T00:00:00Z&from=2026-01-01T00:00:00Z')).json();
    expect(body.totals.nps.responses).toBe(1);
    expect(body.totals.firstResponseHours.count).toBe(0);
  });

  it('answers drivers: bob’s NPS after his complaint against alice’s without', async () => {
    const body = (await get('/analytics/kpis/drivers')).json();
    const complaint = body.drivers.find((d: { driver: string }) => d.driver === 'complaint');
    expect(complaint.with.nps).toMatchObject({ responses: 1, score: -100 });
    expect(complaint.without.nps).toMatchObject({ responses: 1, score: 100 });
    expect(complaint.difference.nps).toBe(-200);
  });

  it('answers the cohort table', async () => {
    const body = (await get('/analytics/cohorts?metric=customers')).json();
    expect(body.cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size])).toEqual([
      ['2026-01', 1],
      ['2026-02', 1],
    ]);
    expect(body.cohorts[0].cells.map((c: { active: number }) => c.active)).toEqual([1, 1, 0]);
  });

  it('refuses bad parameters with problem+json naming the field, and agents', async () => {
    const bad = await get('/analytics/kpis?by=colour');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0]).toMatchObject({ field: 'by', rule: 'analyst_query' });
    expect((await get('/analytics/cohorts?metric=profit')).json().errors[0].field).toBe('metric');
    expect((await get('/analytics/kpis/drivers?windowDays=0')).json().errors[0].field).toBe('windowDays');
    expect((await get('/analytics/kpis', 'agent')).statusCode).toBe(403);
  });

  it('by tier without a scoring run is 404 naming the missing run; after one, tiers and stages come from it', async () => {
    const response = await get('/analytics/kpis?by=tier');
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toContain('scoring run');
    const run = await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
    expect(run.statusCode).toBe(200);
    const body = (await get('/analytics/kpis?by=tier&from=2026-01-01T00:00:00Z')).json();
    expect(body.scoringRun).toMatch(/^run-\d+$/);
    const tiers = body.groups.map((g: { key: string }) => g.key);
    expect(tiers.length).toBeGreaterThan(0);
    for (const tier of tiers) expect(['A', 'B', 'C', '(none)']).toContain(tier);
    // Every NPS answer lands in exactly one tier.
    const answers = body.groups.reduce(
      (n: number, g: { values: { nps: { responses: number } } }) => n + g.values.nps.responses,
      0,
    );
    expect(answers).toBe(body.totals.nps.responses);
    const stages = (await get('/analytics/kpis?by=stage&from=2026-01-01T00:00:00Z')).json();
    expect(stages.scoringRun).toBe(body.scoringRun);
  });
});
