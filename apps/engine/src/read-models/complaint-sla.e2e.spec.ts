import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { at, registration } from '../../test/touchpoint-requests';
import { CLOCK, type Clock, ProjectionsService, ComplaintSlaWatcher } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

// The watcher's clock: day 20 of `at(day, hour)` at noon. Default policy: acknowledge 48/24/8/2 h, resolve 168/72/24/8 h.
const NOW = new Date(at(20, 12));
const complaint = (complaintId: string, severity: string, day: number, hour = 9) => ({
  complaintId,
  category: 'delivery',
  severity,
  description: `complaint ${complaintId} about a late parcel`,
  occurredAt: at(day, hour),
});

describe('complaint SLAs: the watcher records each breach once, the queries read deadlines from the policy', () => {
  let engine: TestEngine;
  let last = 0;
  const post = async (url: string, payload: object, role: 'agent' | 'admin' = 'agent') => {
    const response = await engine.request(role, { method: 'POST', url, payload });
    expect({
      url,
      status: response.statusCode,
      body: response.statusCode === 201 || response.statusCode === 200 ? null : response.json(),
    }).toEqual({
      url,
      status: url.endsWith('/erasure') ? 200 : 201,
      body: null,
    });
    last = Math.max(last, response.json().position as number);
  };
  const get = (role: Parameters<TestEngine['request']>[0], url: string) => engine.request(role, { method: 'GET', url });
  const caughtUp = async () => {
    last = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, last, 10_000);
  };
  const breaches = async (customerId: string) =>
    (await storedEvents(engine, `customer-${customerId}`)).filter((e) => e.type === 'ComplaintSlaBreached');
  const allBreaches = async () => (await Promise.all(['alice', 'bob', 'carol', 'dave'].map(breaches))).flat();

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(NOW));
    for (const id of ['alice', 'bob', 'carol', 'dave']) await post('/customers', registration(id));
    // alice k-1 (high): never answered: acknowledgement due d10 17:00 and resolution due d11 09:00 both passed.
    await post('/customers/alice/complaints', complaint('k-1', 'high', 10));
    await post('/customers/alice/complaints/k-1/escalations', { to: 'team-lead', occurredAt: at(10, 20) });
    // alice k-2 (medium): acknowledged in time; resolution due d22 09:00, still ahead.
    await post('/customers/alice/complaints', complaint('k-2', 'medium', 19));
    await post('/customers/alice/complaints/k-2/acknowledgement', { occurredAt: at(19, 10) });
    // bob k-3 (low): acknowledgement due d20 09:00 passed; resolution due d25 09:00 ahead.
    await post('/customers/bob/complaints', complaint('k-3', 'low', 18));
    // bob k-4 (critical): answered and resolved in time, reopened d19 09:00: a fresh resolution deadline d19 17:00, passed.
    await post('/customers/bob/complaints', complaint('k-4', 'critical', 15));
    await post('/customers/bob/complaints/k-4/acknowledgement', { occurredAt: at(15, 10) });
    await post('/customers/bob/complaints/k-4/resolution', { resolution: 'replacement sent', occurredAt: at(15, 12) });
    await post('/customers/bob/complaints/k-4/reopening', { reason: 'replacement broken too', occurredAt: at(19, 9) });
    // carol k-5 (high): resolved late, before any watcher ran: nothing is owed any more, so nothing is recorded.
    await post('/customers/carol/complaints', complaint('k-5', 'high', 5));
    await post('/customers/carol/complaints/k-5/resolution', { resolution: 'refunded', occurredAt: at(7) });
    // dave k-6 (high): open and long overdue, but dave is erased: nothing can be recorded for him.
    await post('/customers/dave/complaints', complaint('k-6', 'high', 5));
    await post('/customers/dave/erasure', { reason: 'customer request' }, 'admin');
    await caughtUp();
  });
  afterAll(() => engine.close());

  it('before the watcher runs, the analyst list shows the open complaints with their deadlines, soonest first', async () => {
    const response = await get('analyst', '/analytics/complaints/sla');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({
      now: NOW.toISOString(),
      list: 'open',
      policy: { acknowledgeHours: { high: 8 }, resolveHours: { high: 24 } },
      nextCursor: null,
    });
    expect(report.items.map((i: { complaintId: string; nextDueAt: string }) => [i.complaintId, i.nextDueAt])).toEqual([
      ['k-1', at(10, 17)],
      ['k-4', at(19, 17)],
      ['k-3', at(20, 9)],
      ['k-2', at(22, 9)],
    ]);
    expect(report.items[0]).toMatchObject({
      customerId: 'alice',
      severity: 'high',
      status: 'open',
      escalations: 1,
      acknowledgement: { dueAt: at(10, 17), status: 'overdue', breachRecordedAt: null },
      resolution: { dueAt: at(11, 9), status: 'overdue' },
      breaches: [],
    });
    expect(report.summary).toMatchObject({
      open: 4,
      pastDeadline: 3,
      acknowledgementPastDeadline: 2,
      resolutionPastDeadline: 2,
      // carol's k-5 was answered and resolved late: a breach although no watcher recorded one.
      breachedComplaints: 1,
      late: { acknowledgement: 1, nextReply: 0, resolution: 1 },
    });
    expect(JSON.stringify(report)).not.toContain('late parcel');
  });

  it('records exactly the breaches due, through the command path as the system, and nothing on later runs', async () => {
    const watcher = engine.app.get(ComplaintSlaWatcher);
    // Two watchers at once: one stores each breach, the other finds it stored under the same key.
    const concurrent = await Promise.all([watcher.run(NOW), watcher.run(NOW)]);
    expect(concurrent.map((r) => r.candidates)).toEqual([4, 4]);
    expect(concurrent.reduce((n, r) => n + r.recorded, 0)).toBe(4);
    expect(concurrent.reduce((n, r) => n + r.alreadyRecorded + r.skipped.length, 0)).toBe(4);

    const stored = await allBreaches();
    expect(
      stored.map((e) => e.data).sort((a, b) => `${a.complaintId}${a.sla}`.localeCompare(`${b.complaintId}${b.sla}`)),
    ).toEqual([
      { customerId: 'alice', complaintId: 'k-1', sla: 'acknowledgement', dueAt: at(10, 17) },
      { customerId: 'alice', complaintId: 'k-1', sla: 'resolution', dueAt: at(11, 9) },
      { customerId: 'bob', complaintId: 'k-3', sla: 'acknowledgement', dueAt: at(20, 9) },
      { customerId: 'bob', complaintId: 'k-4', sla: 'resolution', dueAt: at(19, 17) },
    ]);
    for (const event of stored) {
      // Dated at the deadline it records (business time); recorded when the watcher noticed it.
      expect(event.metadata).toMatchObject({
        actor: { id: 'deadline-watcher', role: 'system' },
        channel: 'system',
        occurredAt: event.data.dueAt,
        recordedAt: NOW.toISOString(),
        schemaVersion: 2,
      });
    }

    // The scheduled pass (scoring run) once the read model has the breaches: nothing left to record.
    await caughtUp();
    const run = await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
    expect(run.statusCode).toBe(200);
    expect(run.json().complaintSla).toEqual({
      now: NOW.toISOString(),
      candidates: 0,
      recorded: 0,
      alreadyRecorded: 0,
      skipped: [],
    });
    expect(await allBreaches()).toHaveLength(4);
  });

  it('a step answered after the read model was read is refused by the decider and reported as skipped', async () => {
    await post('/customers/carol/complaints', complaint('k-7', 'critical', 20, 8)); // acknowledgement due 10:00, passed
    await caughtUp();
    const readStore = engine.app.get<ReadStore>(READ_STORE);
    const collection = await engine.app.get(ProjectionsService).liveCollection('complaint-sla');
    const stale = await readStore.find(collection, {
      filter: { field: 'counts.open', gt: 0 },
      sort: [{ field: 'id', direction: 'asc' }],
      limit: 1000,
    });
    await post('/customers/carol/complaints/k-7/acknowledgement', { occurredAt: at(20, 11) });
    // The watcher reads the read model as it was before the acknowledgement.
    const find = jest.spyOn(readStore, 'find').mockResolvedValueOnce(stale);
    try {
      const report = await engine.app.get(ComplaintSlaWatcher).run(NOW);
      expect(report).toMatchObject({
        candidates: 1,
        recorded: 0,
        skipped: [
          { customerId: 'carol', complaintId: 'k-7', sla: 'acknowledgement', rule: 'complaint.sla_not_applicable' },
        ],
      });
    } finally {
      find.mockRestore();
    }
    expect(await breaches('carol')).toHaveLength(0);
  });

  it('a scoring run asOf a past time records no breaches', async () => {
    const response = await engine.request('admin', {
      method: 'POST',
      url: `/projections/scoring/run?asOf=${encodeURIComponent(at(19))}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().complaintSla).toMatchObject({ candidates: 0, recorded: 0 });
    expect(await allBreaches()).toHaveLength(4);
  });

  it('after the watcher: the overdue and breached lists, per customer too; bad parameters are 400 naming the field', async () => {
    await caughtUp();
    const overdue = (await get('analyst', '/analytics/complaints/sla?list=overdue')).json();
    expect(overdue.items.map((i: { complaintId: string }) => i.complaintId)).toEqual(['k-1', 'k-4', 'k-3']);
    expect(overdue.items[0].acknowledgement).toMatchObject({ status: 'breached', breachRecordedAt: NOW.toISOString() });

    const breached = (
      await get('admin', '/analytics/complaints/sla?list=breached&severity=high,critical&limit=1')
    ).json();
    expect(breached.items.map((i: { complaintId: string }) => i.complaintId)).toEqual(['k-1']);
    // Recorded (k-1 both steps, k-4 resolution) and done late without a record (k-5 both, k-7 first reply), counted alike.
    expect(breached.summary).toMatchObject({
      breachedComplaints: 4,
      breaches: { acknowledgement: 3, nextReply: 0, resolution: 3 },
      late: { acknowledgement: 2, nextReply: 0, resolution: 1 },
    });
    const next = (
      await get(
        'analyst',
        `/analytics/complaints/sla?list=breached&severity=high,critical&limit=1&cursor=${breached.nextCursor}`,
      )
    ).json();
    expect(next.items.map((i: { complaintId: string }) => i.complaintId)).toEqual(['k-4']);
    expect(next.nextCursor).not.toBeNull(); // k-7 and k-5 follow, breached by being late

    const bob = (await get('agent', '/customers/bob/complaints')).json();
    expect(
      bob.complaints.map((c: { complaintId: string; resolution: { status: string; dueAt: string } }) => [
        c.complaintId,
        c.resolution.status,
        c.resolution.dueAt,
      ]),
    ).toEqual([
      ['k-3', 'pending', at(25, 9)],
      ['k-4', 'breached', at(19, 17)],
    ]);
    expect(bob.complaints[1]).toMatchObject({
      reopenings: 1,
      reopenedAt: at(19, 9),
      acknowledgement: { status: 'met' },
    });
    expect((await get('analyst', '/customers/nobody/complaints')).statusCode).toBe(404);

    for (const [query, field] of [
      ['list=late', 'list'],
      ['severity=urgent', 'severity'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour'],
      ['cursor=bm9wZQ', 'cursor'],
    ]) {
      const bad = await get('analyst', `/analytics/complaints/sla?${query}`);
      expect({ query, status: bad.statusCode, type: bad.headers['content-type'] }).toEqual({
        query,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(bad.json().errors[0].field).toBe(field);
    }
  });

  it('analysts and admins read the SLA report; agents, auditors and subscribers may not; everyone who reads customers reads theirs', async () => {
    for (const role of ['analyst', 'admin'] as const)
      expect((await get(role, '/analytics/complaints/sla')).statusCode).toBe(200);
    for (const role of ['agent', 'auditor', 'subscriber'] as const)
      expect((await get(role, '/analytics/complaints/sla')).statusCode).toBe(403);
    expect((await get(null, '/analytics/complaints/sla')).statusCode).toBe(401);
    for (const role of ['agent', 'analyst', 'auditor', 'admin'] as const)
      expect((await get(role, '/customers/alice/complaints')).statusCode).toBe(200);
    expect((await get('subscriber', '/customers/alice/complaints')).statusCode).toBe(403);
  });

  it('the read model is listed, rebuilds to the same documents, and the OpenAPI document describes the routes with examples', async () => {
    const status = (await get('admin', '/projections')).json().projections;
    expect(status.find((s: { name: string }) => s.name === 'complaint-sla')).toMatchObject({ version: 3, parked: 0 });
    const before = (await get('analyst', '/analytics/complaints/sla?list=breached')).json();
    expect(
      (await engine.request('admin', { method: 'POST', url: '/projections/complaint-sla/rebuild?wait=true' }))
        .statusCode,
    ).toBe(202);
    expect((await get('analyst', '/analytics/complaints/sla?list=breached')).json()).toEqual(before);

    const openApi = (await get(null, '/docs-json')).json();
    const route = openApi.paths['/analytics/complaints/sla'].get;
    expect(route.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'asOf',
      'cursor',
      'knownAt',
      'limit',
      'list',
      'severity',
    ]);
    expect(route.responses['200'].content['application/json'].schema.example).toMatchObject({
      list: expect.any(String),
      items: expect.any(Array),
    });
    expect(
      openApi.paths['/customers/{id}/complaints'].get.responses['200'].content['application/json'].schema.example,
    ).toMatchObject({ complaints: expect.any(Array) });
  });
});
