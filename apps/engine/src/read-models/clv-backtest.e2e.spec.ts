import { seededRandom } from '@rapport/clv';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import { CLOCK, type Clock, ProjectionsService } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

// Days count from 2026-01-01 (`at(day)`). Calibration ends on day 70, the holdout on day 140; the clock is day 700.
const NOW = new Date(at(700));
const CALIBRATION_END = at(70, 23).slice(0, 10);
const HOLDOUT_END = at(140, 23).slice(0, 10);

/** A seeded population: 30 customers, first purchase on days 1-60, then purchases at random gaps up to day 600. */
function population(): Array<{ id: string; days: number[] }> {
  const random = seededRandom(2026);
  return Array.from({ length: 30 }, (_, i) => {
    const days = [1 + Math.floor(random() * 60)];
    const rate = 0.02 + random() * 0.1;
    for (;;) {
      const next = days.at(-1)! + 1 + Math.floor(-Math.log(1 - random()) / rate);
      if (next > 600 || random() < 0.3) break;
      days.push(next);
    }
    return { id: `bt-${String(i).padStart(2, '0')}`, days };
  });
}

describe('GET /analytics/models/clv/backtest over HTTP', () => {
  let engine: TestEngine;
  let last = 0;
  const customers = population();
  const get = (url: string, role: 'analyst' | 'agent' = 'analyst') => engine.request(role, { method: 'GET', url });

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(NOW));
    for (const customer of customers) {
      const posts = [
        { url: '/customers', payload: registration(customer.id, { occurredAt: at(customer.days[0]!, 8) }) },
        ...customer.days.map((day, k) => ({
          url: `/customers/${customer.id}/purchases`,
          payload: purchase(`${customer.id}-${k}`, day),
        })),
      ];
      for (const { url, payload } of posts) {
        const response = await engine.request('agent', { method: 'POST', url, payload });
        expect(response.statusCode).toBe(201);
        last = Math.max(last, response.json().position as number);
      }
    }
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, last, 10_000);
  }, 60_000);
  afterAll(() => engine.close());

  it('fits on the calibration period and compares each customer’s holdout purchases with what happened', async () => {
    // given the population above, when an analyst asks for the back-test split at day 70 / day 140
    const response = await get(
      `/analytics/models/clv/backtest?calibrationEnd=${CALIBRATION_END}&holdoutEnd=${HOLDOUT_END}&perCustomer=true`,
    );
    expect(response.statusCode).toBe(200);
    const report = response.json();
    // then the population is the customers with a purchase by day 70, and the holdout counts are the data's
    const calibrated = customers.filter((c) => c.days[0]! <= 70);
    const holdout = (c: { days: number[] }) => c.days.filter((d) => d > 70 && d <= 140).length;
    expect(report.customers).toBe(calibrated.length);
    expect(report.acquiredInHoldout).toBe(customers.length - calibrated.length);
    expect(report.holdoutLength).toBe(70);
    expect(report.unit).toBe('days');
    expect(report.errors.totalActual).toBe(calibrated.reduce((sum, c) => sum + holdout(c), 0));
    const rows = new Map<string, { actual: number; frequency: number; predicted: number }>(
      report.perCustomer.map((row: { id: string }) => [row.id, row]),
    );
    for (const c of calibrated) {
      expect(rows.get(c.id)).toMatchObject({ actual: holdout(c), frequency: c.days.filter((d) => d <= 70).length - 1 });
      expect(rows.get(c.id)!.predicted).toBeGreaterThan(0);
    }
    expect(report.byFrequency.reduce((sum: number, bin: { customers: number }) => sum + bin.customers, 0)).toBe(
      calibrated.length,
    );
    expect(report.byFrequency.at(-1).label).toBe('7+');
    expect(report.coverage.predictiveInterval).toBeGreaterThan(0);
    expect(report.coverage.predictiveInterval).toBeLessThanOrEqual(1);
    expect(report.fit.standardErrors).toEqual(
      expect.objectContaining({ r: expect.any(Number), b: expect.any(Number) }),
    );
    // and the per-customer rows are left out unless asked for
    expect(
      (await get(`/analytics/models/clv/backtest?calibrationEnd=${CALIBRATION_END}&holdoutEnd=${HOLDOUT_END}`)).json()
        .perCustomer,
    ).toBeUndefined();
  });

  it('defaults to 39 weeks of calibration from the earliest first purchase, then 39 weeks of holdout', async () => {
    const first = Math.min(...customers.map((c) => c.days[0]!));
    const response = await get('/analytics/models/clv/backtest');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.cohortStart.slice(0, 10)).toBe(at(first).slice(0, 10));
    expect(report.calibrationEnd.slice(0, 10)).toBe(at(first + 272).slice(0, 10));
    expect(report.holdoutEnd.slice(0, 10)).toBe(at(first + 272 + 273).slice(0, 10));
    expect(report.customers).toBe(customers.length);
  });

  it.each([
    ['calibrationEnd=yesterday', 'calibrationEnd', 'iso_8601'],
    [`calibrationEnd=${HOLDOUT_END}&holdoutEnd=${CALIBRATION_END}`, 'holdoutEnd', 'after_calibration_end'],
    [`calibrationEnd=${CALIBRATION_END}&holdoutEnd=${CALIBRATION_END}`, 'holdoutEnd', 'after_calibration_end'],
    [`calibrationEnd=${CALIBRATION_END}&holdoutEnd=${at(800).slice(0, 10)}`, 'holdoutEnd', 'not_in_future'],
    [`calibrationEnd=2025-01-01&holdoutEnd=${HOLDOUT_END}`, 'calibrationEnd', 'after_first_purchase'],
    ['perCustomer=yes', 'perCustomer', 'boolean'],
  ])('refuses %s with problem+json naming %s (%s)', async (query, field, rule) => {
    const response = await get(`/analytics/models/clv/backtest?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors).toEqual([expect.objectContaining({ field, rule })]);
  });

  it('a scoring run keeps the parameter covariance and standard errors behind the intervals in the CLV model', async () => {
    const run = await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
    expect(run.statusCode).toBe(200);
    const model = (await get('/analytics/models/clv')).json();
    expect(model.uncertainty).toMatchObject({ level: 0.9, method: 'delta' });
    expect(model.uncertainty.bgNbd.names).toEqual(['r', 'alpha', 'a', 'b']);
    for (const name of ['r', 'alpha', 'a', 'b'])
      expect(model.uncertainty.bgNbd.standardErrors[name]).toBeGreaterThan(0);
    expect(model.uncertainty.bgNbd.logCovariance).toHaveLength(4);
  });

  it('is for analysts: an agent is refused', async () => {
    expect((await get('/analytics/models/clv/backtest', 'agent')).statusCode).toBe(403);
  });
});
