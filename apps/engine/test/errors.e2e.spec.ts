import { headPosition, startTestEngine, type TestEngine } from './engine-test-app';
import { at, purchase, registration } from './touchpoint-requests';

const PROBLEM = /^application\/problem\+json/;

describe('command API: every error is application/problem+json and stores nothing', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ BODY_LIMIT: '65536' });
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('bob') });
    await engine.request('agent', { method: 'POST', url: '/customers/bob/purchases', payload: purchase('o-1') });
  });
  afterAll(() => engine.close());

  /** Sends a request that must fail with `status`, and checks the store did not move. */
  async function rejected(
    status: number,
    role: Parameters<TestEngine['request']>[0],
    options: Parameters<TestEngine['request']>[1],
  ) {
    const before = await headPosition(engine);
    const response = await engine.request(role, options);
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status,
      type: expect.stringMatching(PROBLEM),
    });
    const body = response.json();
    expect(body).toMatchObject({
      status,
      type: expect.stringContaining('/problems/'),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(await headPosition(engine)).toBe(before);
    return body;
  }

  it('400 names every failing field and its rule', async () => {
    const body = await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/bob/purchases',
      payload: {
        orderId: '',
        lines: [{ sku: 'a', category: 'b', quantity: 0, unitPrice: -1 }],
        total: 'ten',
        currency: 'yuan',
        extra: true,
      },
    });
    const fields = body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'orderId:matches',
        'lines.0.quantity:min',
        'lines.0.unitPrice:min',
        'total:isNumber',
        'currency:matches',
        'extra:unknown_field',
      ]),
    );
  });

  it("400 for the domain's value rules checked at the edge: blank text, a time without a zone, null where a value may be left out", async () => {
    const body = await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: {
        callId: 'call-9',
        direction: 'inbound',
        durationSeconds: 2 ** 53 + 2,
        topic: '   ',
        outcome: 'resolved',
        notes: null,
        occurredAt: '2026-11-20T09:30:00',
      },
    });
    expect(body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`).sort()).toEqual([
      'durationSeconds:isSafeInteger',
      'notes:isString',
      'occurredAt:isTime',
      'topic:notBlank',
    ]);
  });

  it('a null where the route fills in a default means the default (the time of recording, the calling key)', async () => {
    const response = await engine.request('agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: {
        callId: 'call-10',
        direction: 'inbound',
        durationSeconds: 60,
        topic: 'delivery',
        outcome: 'resolved',
        agentId: null,
        occurredAt: null,
      },
    });
    expect(response.statusCode).toBe(201);
  });

  it('400 for a domain value rule, naming the field (survey score out of range, total mismatch)', async () => {
    const survey = await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/bob/surveys',
      payload: { surveyId: 's1', kind: 'csat', score: 9 },
    });
    expect(survey).toMatchObject({
      rule: 'survey.score_out_of_range',
      errors: [{ field: 'score', rule: 'survey.score_out_of_range' }],
    });
    const mismatch = await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/bob/purchases',
      payload: purchase('o-2', 3, { total: 99 }),
    });
    expect(mismatch.rule).toBe('purchase.total_mismatch');
  });

  it('400 for malformed JSON, a bad path id, a bad If-Match', async () => {
    await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: '{"callId":',
      headers: { 'content-type': 'application/json' },
    });
    const path = await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/%20bad%20id/purchases',
      payload: purchase('o-4'),
    });
    expect(path.errors.map((e: { field: string }) => e.field)).toContain('id');
    const ifMatch = await rejected(400, 'agent', {
      method: 'POST',
      url: '/customers/bob/purchases',
      payload: purchase('o-3'),
      headers: { 'if-match': 'yesterday' },
    });
    expect(ifMatch.errors).toEqual([expect.objectContaining({ field: 'if-match' })]);
  });

  it('404 for an unknown customer, order, promise or complaint, naming the rule', async () => {
    expect(
      (await rejected(404, 'agent', { method: 'POST', url: '/customers/nobody/purchases', payload: purchase('o-1') }))
        .rule,
    ).toBe('customer.unknown');
    expect(
      (
        await rejected(404, 'agent', {
          method: 'POST',
          url: '/customers/bob/purchases/o-404/refunds',
          payload: { refundId: 'r', amount: 1 },
        })
      ).rule,
    ).toBe('order.unknown');
    expect(
      (await rejected(404, 'agent', { method: 'POST', url: '/customers/bob/promises/p-404/kept', payload: {} })).rule,
    ).toBe('promise.unknown');
    expect(
      (
        await rejected(404, 'agent', {
          method: 'POST',
          url: '/customers/bob/complaints/c-404/resolution',
          payload: { resolution: 'x' },
        })
      ).rule,
    ).toBe('complaint.unknown');
    expect((await rejected(404, 'agent', { method: 'GET', url: '/no/such/route' })).status).toBe(404);
  });

  it('409 names the broken domain rule', async () => {
    expect(
      (await rejected(409, 'agent', { method: 'POST', url: '/customers', payload: registration('bob') })).rule,
    ).toBe('customer.already_registered');
    expect(
      (await rejected(409, 'agent', { method: 'POST', url: '/customers/bob/purchases', payload: purchase('o-1') }))
        .rule,
    ).toBe('order.duplicate_id');
    expect(
      (
        await rejected(409, 'agent', {
          method: 'POST',
          url: '/customers/bob/purchases/o-1/refunds',
          payload: { refundId: 'r-big', amount: 1000, occurredAt: at(5) },
        })
      ).rule,
    ).toBe('refund.exceeds_paid');
    await engine.request('agent', {
      method: 'POST',
      url: '/customers/bob/promises',
      payload: { promiseId: 'p-1', description: 'x', dueAt: at(9), withinPolicy: true, occurredAt: at(3) },
    });
    await engine.request('agent', {
      method: 'POST',
      url: '/customers/bob/promises/p-1/kept',
      payload: { occurredAt: at(4) },
    });
    expect(
      (
        await rejected(409, 'agent', {
          method: 'POST',
          url: '/customers/bob/promises/p-1/kept',
          payload: { occurredAt: at(4) },
        })
      ).rule,
    ).toBe('promise.not_open');
  });

  it('412 when If-Match carries a stale revision; the current revision passes', async () => {
    const current = await engine.request('agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: { callId: 'c-1', direction: 'inbound', durationSeconds: 5, topic: 't', outcome: 'resolved' },
    });
    const etag = current.headers.etag as string;
    const body = await rejected(412, 'agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: { callId: 'c-2', direction: 'inbound', durationSeconds: 5, topic: 't', outcome: 'resolved' },
      headers: { 'if-match': `"${Number(JSON.parse(etag)) - 1}"` },
    });
    expect(body.currentRevision).toBe(Number(JSON.parse(etag)));
    const fresh = await engine.request('agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: { callId: 'c-2', direction: 'inbound', durationSeconds: 5, topic: 't', outcome: 'resolved' },
      headers: { 'if-match': etag },
    });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers.etag).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
  });

  it('413 for a body over BODY_LIMIT', async () => {
    await rejected(413, 'agent', {
      method: 'POST',
      url: '/customers/bob/calls',
      payload: { notes: 'x'.repeat(70_000) },
    });
  });

  it('401 without or with an unknown key, 403 for a role the route does not allow', async () => {
    await rejected(401, null, { method: 'POST', url: '/customers/bob/purchases', payload: purchase('o-9') });
    const unknown = await engine.app.inject({
      method: 'POST',
      url: '/customers/bob/purchases',
      payload: purchase('o-9'),
      headers: { authorization: 'Bearer rk_agent_forged' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toMatch(/^Bearer/);
    const forbidden = await rejected(403, 'analyst', {
      method: 'POST',
      url: '/customers/bob/purchases',
      payload: purchase('o-9'),
    });
    expect(forbidden).toMatchObject({ role: 'analyst', allowedRoles: ['agent', 'admin'] });
    await rejected(403, 'agent', { method: 'POST', url: '/customers/bob/erasure', payload: { reason: 'x' } });
  });
});
