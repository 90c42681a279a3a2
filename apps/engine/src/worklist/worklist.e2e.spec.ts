import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { headPosition, startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import { CLOCK, type Clock, ProjectionsService } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

// The engine's clock: day 40 of `at(day, hour)`; alice (tier A) was last called on day 5, so her monthly
// revisit fell due on day 35; her promise is due on day 41 (within 48 h); bob answered NPS 3 on day 39.
let now = new Date(at(40));
const actorOf = (e: { metadata: object }): string => (e.metadata as { actor: { id: string } }).actor.id;
const call = (callId: string, day: number, agentId = 'agent-7') => ({
  callId,
  direction: 'outbound',
  durationSeconds: 300,
  agentId,
  topic: 'account review',
  outcome: 'resolved',
  occurredAt: at(day),
});

describe('worklist: the engine schedules follow-ups once per trigger; agents work them through the command path', () => {
  let engine: TestEngine;
  const request = (role: Parameters<TestEngine['request']>[0], method: 'GET' | 'POST', url: string, payload?: object) =>
    engine.request(role, { method, url, ...(payload ? { payload } : {}) });
  const ok = async (url: string, payload: object, role: 'agent' | 'admin' = 'agent') => {
    const response = await request(role, 'POST', url, payload);
    expect({ url, status: response.statusCode, body: response.statusCode < 300 ? null : response.json() }).toEqual({
      url,
      status: response.statusCode < 300 ? response.statusCode : 201,
      body: null,
    });
    return response.json();
  };
  const caughtUp = async () => {
    const last = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, last, 10_000);
  };
  const pass = async () => {
    await caughtUp();
    const response = await request('admin', 'POST', '/worklist/passes', {});
    expect(response.statusCode).toBe(200);
    await caughtUp();
    return response.json();
  };
  const worklist = async (query: string) => {
    const response = await request('agent', 'GET', `/worklist?${query}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    engine = await startTestEngine({
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
      WORKLIST_INTERVAL_SECONDS: '0',
    });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(now));
    for (const id of ['alice', 'bob', 'carol', 'dan', 'erin'])
      await ok('/customers', registration(id, { occurredAt: at(1) }));
    // alice spends most: value tier A.
    await ok(
      '/customers/alice/purchases',
      purchase('a-1', 2, { lines: [{ sku: 'S', category: 'c', quantity: 10, unitPrice: 100 }], total: 1000 }),
    );
    await ok('/customers/alice/calls', call('c-1', 5));
    await ok('/customers/alice/promises', {
      promiseId: 'p-1',
      description: 'send the invoice copy',
      dueAt: at(41),
      madeBy: 'agent-7',
      withinPolicy: true,
      occurredAt: at(30),
    });
    for (const id of ['bob', 'carol', 'dan', 'erin']) await ok(`/customers/${id}/purchases`, purchase(`${id}-1`, 3));
    await ok('/customers/bob/surveys', { surveyId: 's-1', kind: 'nps', score: 3, occurredAt: at(39) });
    await caughtUp();
    const scored = await request('admin', 'POST', '/projections/scoring/run');
    expect({ status: scored.statusCode, body: scored.statusCode === 200 ? null : scored.body }).toEqual({
      status: 200,
      body: null,
    });
  });
  afterAll(() => engine.close());

  it('given the triggers at now, when a pass runs, then each becomes one FollowUpScheduled dated at its trigger, with its reasons', async () => {
    const report = await pass();
    expect(report.worklist).toMatchObject({
      recorded: 3,
      byRule: { revisit: 1, promise_due_soon: 1, detractor_survey: 1 },
    });
    const scheduled = (await storedEvents(engine, 'customer-alice')).filter((e) => e.type === 'FollowUpScheduled');
    expect(scheduled.map((e) => [e.data['rule'], e.metadata.occurredAt, actorOf(e)])).toEqual(
      expect.arrayContaining([
        ['revisit', at(35), 'worklist-engine'],
        ['promise_due_soon', at(39), 'worklist-engine'],
      ]),
    );
  });

  it('a rerun records nothing twice', async () => {
    const before = await headPosition(engine);
    const report = await pass();
    expect(report.worklist).toMatchObject({ recorded: 0, alreadyOpen: 3 });
    expect(await headPosition(engine)).toBe(before);
  });

  it("lists an agent's follow-ups by priority with urgency and reasons naming events; a team's too", async () => {
    const mine = await worklist('agent=agent-7');
    expect(
      mine.items.map((i: { rule: string; priority: string; urgency: string }) => [i.rule, i.priority, i.urgency]),
    ).toEqual([
      ['promise_due_soon', 'p1', 'due'],
      ['revisit', 'p2', 'upcoming'],
    ]);
    const promiseMade = (await storedEvents(engine, 'customer-alice')).find((e) => e.type === 'PromiseMade')!;
    expect(mine.items[0].reasons[0].eventIds).toEqual([promiseMade.metadata.eventId]);
    const team = await worklist('team=customer-care');
    expect(team.items.map((i: { customerId: string; rule: string }) => [i.customerId, i.rule])).toEqual([
      ['bob', 'detractor_survey'],
    ]);
  });

  it('given a call logged for the revisit, when the follow-up is completed with it, then it links the call and leaves the worklist', async () => {
    const revisit = (await worklist('agent=agent-7')).items.find((i: { rule: string }) => i.rule === 'revisit');
    const logged = await ok('/customers/alice/calls', call('c-2', 40));
    await ok(`/customers/alice/follow-ups/${revisit.followUpId}/completion`, {
      outcome: 'contacted',
      touchpointEventId: logged.events[0].eventId,
    });
    await caughtUp();
    expect((await worklist('agent=agent-7')).items.map((i: { rule: string }) => i.rule)).toEqual(['promise_due_soon']);
    const listed = (await request('agent', 'GET', '/customers/alice/follow-ups')).json();
    expect(listed.followUps.find((f: { followUpId: string }) => f.followUpId === revisit.followUpId)).toMatchObject({
      status: 'completed',
      outcome: 'contacted',
      touchpointEventId: logged.events[0].eventId,
      closedBy: expect.any(String),
    });
  });

  it('refuses with problem+json and stores nothing: unknown touchpoint, completion after dismissal, bad values, no agent or team', async () => {
    const { followUpId } = (await worklist('team=customer-care')).items[0];
    const before = await headPosition(engine);
    const unknown = await request('agent', 'POST', `/customers/bob/follow-ups/${followUpId}/completion`, {
      outcome: 'contacted',
      touchpointEventId: 'no-such-event',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ rule: 'touchpoint.unknown' });
    const bad = await request('agent', 'POST', `/customers/bob/follow-ups/${followUpId}/completion`, {
      outcome: 'maybe',
      touchpointEventId: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'outcome' })]);
    const nobody = await request('agent', 'POST', `/customers/bob/follow-ups/${followUpId}/reassignment`, { to: {} });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json()).toMatchObject({ rule: 'followUp.no_assignee' });
    expect((await request('agent', 'GET', '/worklist')).statusCode).toBe(400);
    expect(await headPosition(engine)).toBe(before);

    await ok(`/customers/bob/follow-ups/${followUpId}/dismissal`, { reason: 'answered by email already' });
    const logged = await ok('/customers/bob/calls', call('b-1', 40, 'agent-2'));
    const after = await request('agent', 'POST', `/customers/bob/follow-ups/${followUpId}/completion`, {
      outcome: 'contacted',
      touchpointEventId: logged.events[0].eventId,
    });
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({ rule: 'followUp.not_open' });
  });

  it('reassigns a follow-up to another team, and schedules one by hand', async () => {
    const promise = (await worklist('agent=agent-7')).items[0];
    await ok(`/customers/alice/follow-ups/${promise.followUpId}/reassignment`, {
      to: { team: 'billing' },
      reason: 'invoice questions',
    });
    const byHand = {
      followUpId: 'm-1',
      reasons: [{ code: 'manual', detail: 'asked to be called after the holidays' }],
      dueAt: at(45),
      assignee: { agentId: 'agent-9' },
    };
    const scheduled = await request('agent', 'POST', '/customers/carol/follow-ups', byHand);
    // A command's answer, as on every touchpoint route: the revision as ETag, the events in the body.
    const answer = scheduled.json();
    expect({ status: scheduled.statusCode, etag: scheduled.headers.etag }).toEqual({
      status: 201,
      etag: `"${answer.revision}"`,
    });
    expect(answer).toMatchObject({ customerId: 'carol', replayed: false, events: [{ type: 'FollowUpScheduled' }] });
    expect(answer.eventIds).toEqual([answer.events[0].eventId]);
    await caughtUp();
    expect((await worklist('team=billing')).items.map((i: { followUpId: string }) => i.followUpId)).toEqual([
      promise.followUpId,
    ]);
    expect((await worklist('agent=agent-9')).items[0]).toMatchObject({
      rule: 'manual',
      priority: 'p3',
      urgency: 'upcoming',
    });
  });

  it("leaves an erased customer's follow-ups out of the worklist (they can no longer be worked)", async () => {
    expect((await worklist('agent=agent-9')).items).toHaveLength(1);
    await ok('/customers/carol/erasure', { reason: 'customer request' }, 'admin');
    await caughtUp();
    expect((await worklist('agent=agent-9')).items).toEqual([]);
  });

  it("answers a customer's health with reasons naming events, as of a date; refuses look-ahead", async () => {
    const health = (await request('agent', 'GET', '/customers/bob/health')).json();
    expect(health).toMatchObject({ customerId: 'bob', band: expect.any(String) });
    const survey = (await storedEvents(engine, 'customer-bob')).find((e) => e.type === 'SurveyResponded')!;
    expect(health.reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ signal: 'nps', eventIds: [survey.metadata.eventId] })]),
    );
    const before = (await request('agent', 'GET', `/customers/bob/health?asOf=${at(38)}`)).json();
    expect(before.reasons.some((r: { signal: string }) => r.signal === 'nps')).toBe(false);
    const future = await request('agent', 'GET', `/customers/bob/health?asOf=${at(50)}`);
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'not_in_future' })]);
    expect((await request('agent', 'GET', '/customers/nobody/health')).statusCode).toBe(404);
  });

  it('records a band change when a customer leaves healthy, dated when it happened, once', async () => {
    now = new Date(at(200));
    const report = await pass();
    expect(report.health.recorded).toBeGreaterThan(0);
    // bob: a detractor answer on day 39 and no purchase since day 3: time alone (recency) takes him below 70.
    const changes = (await storedEvents(engine, 'customer-bob')).filter((e) => e.type === 'CustomerHealthBandChanged');
    expect(changes).toHaveLength(1);
    expect(actorOf(changes[0]!)).toBe('health-watcher');
    expect(Date.parse(String(changes[0]!.metadata.occurredAt))).toBeLessThan(Date.parse(at(200)));
    const changedAt = String(changes[0]!.metadata.occurredAt);
    expect(Date.parse(changedAt)).toBeGreaterThan(Date.parse(at(40)));
    expect(changes[0]!.data).toMatchObject({ from: null, to: 'watch' });
    // Dated at the minute the band changed: watch then, healthy a minute before.
    const bandAt = async (t: number) =>
      (await request('agent', 'GET', `/customers/bob/health?asOf=${new Date(t).toISOString()}`)).json().band;
    expect(await bandAt(Date.parse(changedAt))).toBe('watch');
    expect(await bandAt(Date.parse(changedAt) - 60_000)).toBe('healthy');
    const again = await pass();
    expect(again.health.recorded).toBe(0);
    const scores = (await request('analyst', 'GET', '/health-scores?limit=10')).json();
    expect(scores.items.length).toBe(4); // carol was erased
    const listed = scores.items.map((i: { score: number }) => i.score);
    expect(listed).toEqual([...listed].sort((a, b) => a - b)); // lowest first
  });

  it('measures the effect per rule: followed up against not followed up, before and after', async () => {
    const effect = (await request('analyst', 'GET', '/worklist/effect?horizonDays=30')).json();
    const revisit = effect.rules.find((r: { rule: string }) => r.rule === 'revisit');
    expect(revisit.followedUp.count).toBe(1);
    expect(effect.rules.find((r: { rule: string }) => r.rule === 'detractor_survey').notFollowedUp.count).toBe(1);
    expect((await request('analyst', 'GET', '/worklist/effect?horizonDays=0')).statusCode).toBe(400);
  });
});
