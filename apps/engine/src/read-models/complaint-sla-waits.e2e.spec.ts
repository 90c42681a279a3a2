import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { at, registration } from '../../test/touchpoint-requests';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { ENGINE_PROJECTIONS } from './engine-projections';
import { ProjectionsService } from './projections.service';

// Waiting for the customer over HTTP: the routes, the decider's refusals, and the SLA report's pause.
const NOW = new Date(at(12, 12));

describe('complaint waits over HTTP', () => {
  let engine: TestEngine;
  const post = (url: string, payload: object) => engine.request('agent', { method: 'POST', url, payload });
  const caughtUp = async () => {
    const head = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    const projections = engine.app.get(ProjectionsService);
    for (const p of ENGINE_PROJECTIONS) await projections.waitFor(p.name, head, 10_000);
  };
  const report = async (query = '') =>
    (await engine.request('analyst', { method: 'GET', url: `/analytics/complaints/sla${query}` })).json();

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(NOW));
    expect((await post('/customers', registration('erin'))).statusCode).toBe(201);
    const filed = await post('/customers/erin/complaints', {
      complaintId: 'k-1',
      category: 'delivery',
      severity: 'high',
      description: 'box crushed',
      occurredAt: at(10, 9),
    });
    expect(filed.statusCode).toBe(201);
  });
  afterAll(() => engine.close());

  it('given an open complaint, when the desk asks the customer, then the clocks pause and the question is the first reply', async () => {
    const asked = await post('/customers/erin/complaints/k-1/awaiting-customer', {
      note: 'please send a photo',
      occurredAt: at(10, 10),
    });
    expect(asked.statusCode).toBe(201);
    const again = await post('/customers/erin/complaints/k-1/awaiting-customer', { occurredAt: at(10, 11) });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'complaint.already_awaiting_customer' });
    await caughtUp();
    const r = await report();
    expect(r.summary).toMatchObject({ open: 1, waitingForCustomer: 1, pastDeadline: 0 });
    expect(r.items[0]).toMatchObject({
      waitingForCustomer: true,
      acknowledgement: { status: 'met', doneAt: at(10, 10) },
      resolution: { status: 'paused' },
      nextDueAt: null,
    });
    expect(JSON.stringify(r)).not.toContain('photo');
  });

  it('given a waiting complaint, when the customer answers, then a next reply is owed and the resolution deadline moved by the wait', async () => {
    const answered = await post('/customers/erin/complaints/k-1/customer-response', {
      note: 'photo attached',
      occurredAt: at(12, 10),
    });
    expect(answered.statusCode).toBe(201);
    const twice = await post('/customers/erin/complaints/k-1/customer-response', { occurredAt: at(12, 11) });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ rule: 'complaint.not_awaiting_customer' });
    await caughtUp();
    const item = (await report()).items[0];
    // Wall clock, high: 24 h to resolve; 1 h ran before the 48 h wait, so 23 h from day 12 10:00.
    expect(item.resolution).toMatchObject({ status: 'pending', dueAt: at(13, 9), pausedHours: 48 });
    expect(item.nextReply).toMatchObject({ status: 'pending', dueAt: at(12, 18) });
  });

  it('as of during the wait, the report reads it paused again', async () => {
    const then = await report(`?asOf=${encodeURIComponent(at(11, 9))}`);
    expect(then.now).toBe(at(11, 9));
    expect(then.items[0]).toMatchObject({
      waitingForCustomer: true,
      nextReply: null,
      resolution: { status: 'paused' },
    });
  });
});
