import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { at, registration } from '../../test/touchpoint-requests';
import type { ApiRole } from '../auth/roles';
import { CLOCK, type Clock, ProjectionsService, ComplaintSlaWatcher, DeadlineWatcher } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

// Default policy, severity high: acknowledge within 8 h, resolve within 24 h of filing.
const FILED = at(1, 9);
const RESOLUTION_DUE = at(2, 9);
const PROMISE_DUE = at(3, 9);
/** The watcher runs only three weeks after both deadlines. */
const NOTICED = at(23, 12);

describe('deadline events are dated at the deadline: as-of views by business time and by recording time', () => {
  let engine: TestEngine;
  let clock = new Date(FILED);
  const request = async (role: ApiRole, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await engine.request(role, { method, url, ...(payload ? { payload } : {}) });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  /** Records a touchpoint with the engine's clock at `recordedAt`. */
  const record = (recordedAt: string, url: string, payload: object) => {
    clock = new Date(recordedAt);
    return request('agent', 'POST', url, payload);
  };
  const caughtUp = async () => {
    const head = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, head, 10_000);
  };
  const stateOf = (customerId: string, query: string) =>
    request('auditor', 'GET', `/audit/customers/${customerId}/state${query}`);
  const complaintOf = (state: { readModels: { complaints: { complaints: unknown[] } | null } }) =>
    state.readModels.complaints?.complaints[0] as { breaches: unknown[]; slaBreached: { resolution: boolean } };

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(clock));

    // Given a complaint filed on day 1, acknowledged in time, never resolved (resolution due day 2 09:00),
    // and a promise due day 3; then an escalation and a call on day 10, long after both deadlines.
    await record(FILED, '/customers', registration('dave', { occurredAt: at(1, 8) }));
    await record(FILED, '/customers/dave/complaints', {
      complaintId: 'k-1',
      category: 'delivery',
      severity: 'high',
      description: 'the parcel never came',
      occurredAt: FILED,
    });
    await record(at(1, 10), '/customers/dave/complaints/k-1/acknowledgement', { occurredAt: at(1, 10) });
    await record(at(1, 11), '/customers/dave/promises', {
      promiseId: 'p-1',
      description: 'call back with the tracking number',
      dueAt: PROMISE_DUE,
      withinPolicy: true,
      occurredAt: at(1, 11),
    });
    await record(at(10), '/customers/dave/complaints/k-1/escalations', { to: 'team-lead', occurredAt: at(10) });

    // When the watchers first run three weeks after the deadlines.
    await caughtUp();
    clock = new Date(NOTICED);
    expect(await engine.app.get(ComplaintSlaWatcher).run(new Date(NOTICED))).toMatchObject({ recorded: 1 });
    expect(await engine.app.get(DeadlineWatcher).run(new Date(NOTICED))).toMatchObject({ recorded: 1 });
  });
  afterAll(() => engine.close());

  it('stores them dated at the deadline, recorded when noticed, after the later escalation in the stream', async () => {
    const events = await storedEvents(engine, 'customer-dave');
    expect(events.map((e) => e.type)).toEqual([
      'CustomerRegistered',
      'ComplaintFiled',
      'ComplaintAcknowledged',
      'PromiseMade',
      'ComplaintEscalated',
      'ComplaintSlaBreached',
      'PromiseBecameOverdue',
    ]);
    const [breach, overdue] = events.slice(-2);
    expect(breach!.metadata).toMatchObject({ occurredAt: RESOLUTION_DUE, recordedAt: NOTICED, schemaVersion: 2 });
    expect(breach!.data).toMatchObject({ sla: 'resolution', dueAt: RESOLUTION_DUE });
    expect(overdue!.metadata).toMatchObject({ occurredAt: PROMISE_DUE, recordedAt: NOTICED, schemaVersion: 2 });
  });

  it('as of a time between the deadline and its detection, by business time, shows the breach and the overdue promise', async () => {
    const state = await stateOf('dave', `?asOf=${at(5)}`);
    // The escalation (day 10) is left out although the breach comes after it in the stream.
    expect(state).toMatchObject({ eventsApplied: 6, eventsInStream: 7 });
    expect(complaintOf(state)).toMatchObject({
      breaches: [{ sla: 'resolution', dueAt: RESOLUTION_DUE, recordedAt: NOTICED }],
      escalations: [],
      slaBreached: { resolution: true },
    });
    expect(state.decider.complaints['k-1']).toMatchObject({ slaBreached: { resolution: true } });
    expect(state.readModels.promises.promises[0]).toMatchObject({
      promiseId: 'p-1',
      status: 'overdue',
      becameOverdueAt: PROMISE_DUE,
      becameOverdueRecordedAt: NOTICED,
    });
  });

  it('as of the deadline itself the breach holds; an instant before, it does not', async () => {
    expect(complaintOf(await stateOf('dave', `?asOf=${RESOLUTION_DUE}`)).slaBreached.resolution).toBe(true);
    const before = await stateOf('dave', `?asOf=${at(2, 8)}`);
    expect(complaintOf(before)).toMatchObject({ breaches: [], slaBreached: { resolution: false } });
    expect(before.readModels.promises.promises[0]).toMatchObject({ status: 'open', becameOverdueAt: null });
  });

  it('known at a time before the detection, neither shows, whatever the business time; known after, both do', async () => {
    const unknown = await stateOf('dave', `?asOf=${at(30)}&knownAt=${at(22)}`);
    expect(complaintOf(unknown)).toMatchObject({ breaches: [], slaBreached: { resolution: false } });
    expect(unknown.readModels.promises.promises[0]).toMatchObject({ status: 'open' });
    const known = await stateOf('dave', `?asOf=${at(5)}&knownAt=${at(24)}`);
    expect(complaintOf(known).slaBreached.resolution).toBe(true);
    expect(known.readModels.promises.promises[0]).toMatchObject({ status: 'overdue' });
  });

  it('a breach stored before the rule (v1, dated when noticed) reads at its deadline; nothing stored is rewritten and the chain verifies', async () => {
    clock = new Date(at(1, 9));
    await request('agent', 'POST', '/customers', registration('erin', { occurredAt: at(1, 8) }));
    await request('agent', 'POST', '/customers/erin/complaints', {
      complaintId: 'k-1',
      category: 'delivery',
      severity: 'high',
      description: 'wrong size',
      occurredAt: at(1, 9),
    });
    await request('agent', 'POST', '/customers/erin/complaints/k-1/acknowledgement', { occurredAt: at(1, 10) });
    await request('agent', 'POST', '/customers/erin/complaints/k-1/escalations', {
      to: 'team-lead',
      occurredAt: at(10),
    });
    // As the watcher stored it before: business time = the time it noticed, schema version 1.
    const store = engine.app.get<EventStore>(EVENT_STORE);
    await store.appendToStream('customer-erin', [
      {
        type: 'ComplaintSlaBreached',
        data: { customerId: 'erin', complaintId: 'k-1', sla: 'resolution', dueAt: RESOLUTION_DUE },
        metadata: {
          eventId: randomUUID(),
          occurredAt: NOTICED,
          recordedAt: NOTICED,
          actor: { id: 'deadline-watcher', role: 'system' },
          channel: 'system',
          correlationId: 'legacy',
          causationId: null,
          schemaVersion: 1,
        },
      },
    ]);
    const stored = (await storedEvents(engine, 'customer-erin')).at(-1)!;
    expect(stored.metadata).toMatchObject({ occurredAt: NOTICED, schemaVersion: 1 });

    const between = await stateOf('erin', `?asOf=${at(5)}`);
    expect(complaintOf(between)).toMatchObject({ slaBreached: { resolution: true }, escalations: [] });
    expect(complaintOf(await stateOf('erin', `?asOf=${at(5)}&knownAt=${at(22)}`)).slaBreached.resolution).toBe(false);

    // The history is the stored record, as the hash chain covers it: still v1, dated when noticed.
    const history = await request('auditor', 'GET', '/audit/customers/erin/history');
    expect(history.events.at(-1)).toMatchObject({
      type: 'ComplaintSlaBreached',
      metadata: { occurredAt: NOTICED, recordedAt: NOTICED, schemaVersion: 1 },
    });
    expect(await request('auditor', 'POST', '/audit/verify', { customerId: 'erin' })).toMatchObject({
      ok: true,
      broken: [],
    });
  });
});
