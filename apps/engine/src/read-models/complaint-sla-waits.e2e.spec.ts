import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { at, registration } from '../../test/touchpoint-requests';
import { CLOCK, type Clock, ProjectionsService, ComplaintSlaWatcher } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';
import { storedEvents } from '../../test/engine-test-app';

// Waiting for the customer over HTTP: the routes, the decider's refusals, and the SLA report's pause.
let NOW = new Date(at(12, 12));

describe('complaint waits over HTTP', () => {
  let engine: TestEngine;
  const post = (url: string, payload: object) => engine.request('agent', { method: 'POST', url, payload });
  const caughtUp = async () => {
    const head = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, head, 10_000);
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

  it('given the next reply owed past its deadline, when the watcher runs, then it records a nextReply breach dated at the deadline, once', async () => {
    NOW = new Date(at(13, 12)); // the next reply was due day 12 18:00; the resolution (day 13 09:00) has passed too
    const watcher = engine.app.get(ComplaintSlaWatcher);
    const first = await watcher.run(NOW);
    expect(first).toMatchObject({ candidates: 2, recorded: 2 });
    const breaches = (await storedEvents(engine, 'customer-erin')).filter((e) => e.type === 'ComplaintSlaBreached');
    expect(breaches.map((e) => [e.data.sla, e.data.dueAt, e.metadata.occurredAt])).toEqual([
      ['nextReply', at(12, 18), at(12, 18)],
      ['resolution', at(13, 9), at(13, 9)],
    ]);
    await caughtUp();
    expect(await watcher.run(NOW)).toMatchObject({ candidates: 0, recorded: 0 });
    const r = await report();
    expect(r.items[0].nextReply).toMatchObject({ status: 'breached', breached: true });
    expect(r.summary.breaches).toMatchObject({ nextReply: 1, resolution: 1 });
  });
});
