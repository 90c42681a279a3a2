import { headPosition, startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { registration } from '../../test/touchpoint-requests';

// Defects an outside acceptance run found at the HTTP edge (issue 15, items 1-7).
const PROBLEM = /^application\/problem\+json/;

const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('HTTP edge: every refusal is a problem document with the right status, and stores nothing', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('edge-1') });
    // A scoring run, so the analytics routes get as far as the cursor.
    await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
  });
  afterAll(() => engine.close());

  async function refused(
    status: number,
    options: Parameters<TestEngine['request']>[1],
    role: Parameters<TestEngine['request']>[0] = 'agent',
  ) {
    const before = await headPosition(engine);
    const response = await engine.request(role, options);
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status,
      type: expect.stringMatching(PROBLEM),
    });
    expect(response.json()).toMatchObject({
      status,
      type: expect.stringContaining('/problems/'),
      detail: expect.any(String),
    });
    expect(await headPosition(engine)).toBe(before);
    return response;
  }

  it('1. given JSON nested 5,000 levels deep, when posted to a write endpoint, then 400 naming the body depth', async () => {
    for (const url of ['/customers', '/customers/edge-1/calls', '/customers/edge-1/purchases']) {
      const response = await refused(400, {
        method: 'POST',
        url,
        payload: nested(5000),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body', rule: 'max_depth' })]);
    }
  });

  it('2. given a cursor the engine did not issue, then 400 on every paged analytics route, JSON or CSV', async () => {
    const forged = Buffer.from(JSON.stringify({ o: 5, q: 'nope' })).toString('base64url');
    for (const cursor of ['garbage!', forged]) {
      await refused(400, { method: 'GET', url: `/analytics/customers?cursor=${cursor}` }, 'analyst');
      await refused(
        400,
        { method: 'GET', url: `/analytics/customers?cursor=${cursor}`, headers: { accept: 'text/csv' } },
        'analyst',
      );
      await refused(400, { method: 'GET', url: `/analytics/sentiment?cursor=${cursor}` }, 'analyst');
      await refused(400, { method: 'GET', url: `/analytics/complaints/sla?cursor=${cursor}` }, 'analyst');
    }
  });

  it('3. an over-long path id (414) and bad percent-encoding (400) are problem documents', async () => {
    await refused(414, { method: 'GET', url: `/customers/${'x'.repeat(5000)}` });
    const bad = await refused(400, { method: 'GET', url: '/customers/%ff' });
    expect(bad.json().code).toBe('FST_ERR_BAD_URL');
  });

  it('3. a method the path does not serve is 405 with Allow; a text/plain body is 415', async () => {
    const response = await refused(405, { method: 'DELETE', url: '/customers/x' });
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect((await refused(405, { method: 'PUT', url: '/customers' })).headers['allow']).toBe('POST');
    await refused(415, {
      method: 'POST',
      url: '/customers',
      payload: 'customerId=x',
      headers: { 'content-type': 'text/plain' },
    });
    // a path nothing serves is still 404
    await refused(404, { method: 'DELETE', url: '/nothing/here' });
  });

  it('4. given a known customer with no promises, sentiment or complaints, then 200 with empty lists', async () => {
    const promises = await engine.request('agent', { method: 'GET', url: '/customers/edge-1/promises?min-position=1' });
    expect(promises.statusCode).toBe(200);
    expect(promises.json()).toMatchObject({
      customerId: 'edge-1',
      promises: [],
      counts: { made: 0, dueSoon: 0, currentlyOverdue: 0 },
      keptOnTimeRate: null,
    });
    const sentiment = await engine.request('agent', {
      method: 'GET',
      url: '/customers/edge-1/sentiment?min-position=1',
    });
    expect(sentiment.statusCode).toBe(200);
    expect(sentiment.json()).toMatchObject({
      customerId: 'edge-1',
      moments: [],
      count: 0,
      rollingMean: null,
      trend: null,
    });
    const complaints = await engine.request('agent', {
      method: 'GET',
      url: '/customers/edge-1/complaints?min-position=1',
    });
    expect(complaints.statusCode).toBe(200);
    expect(complaints.json()).toMatchObject({ customerId: 'edge-1', erased: false, complaints: [] });
    // an unknown customer is still 404
    await refused(404, { method: 'GET', url: '/customers/nobody/promises?min-position=1' });
  });

  it('5. /console/ with a trailing slash serves the page', async () => {
    const response = await engine.request(null, { method: 'GET', url: '/console/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });

  it('6. given a profile, when PATCHed with the values it already has, then 400 profile.no_changes and nothing stored', async () => {
    const same = {
      region: 'East China',
      city: 'Shanghai',
      email: 'edge-1@example.com',
      occurredAt: '2026-01-03T00:00:00.000Z',
    };
    const response = await refused(400, { method: 'PATCH', url: '/customers/edge-1/profile', payload: same });
    expect(response.json()).toMatchObject({ rule: 'profile.no_changes' });
    const changed = await engine.request('agent', {
      method: 'PATCH',
      url: '/customers/edge-1/profile',
      payload: { ...same, city: 'Hangzhou' },
    });
    expect(changed.statusCode).toBe(200);
    await refused(400, { method: 'PATCH', url: '/customers/edge-1/profile', payload: { ...same, city: 'Hangzhou' } });
  });

  it('7. `prototype` is an unknown field; demographics must be an object; an integer must be safe', async () => {
    const proto = await refused(400, {
      method: 'POST',
      url: '/customers',
      payload: { ...registration('edge-2'), prototype: { x: 1 } },
    });
    expect(proto.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'prototype', rule: 'unknown_field' })]),
    );
    const demographics = await refused(400, {
      method: 'POST',
      url: '/customers',
      payload: { ...registration('edge-3'), demographics: [] },
    });
    expect(demographics.json().errors.map((e: { field: string }) => e.field)).toContain('demographics');
    const call = {
      callId: 'k-1',
      direction: 'inbound',
      durationSeconds: 9007199254740994,
      agentId: 'a-1',
      topic: 'billing',
      outcome: 'resolved',
      occurredAt: '2026-01-02T00:00:00.000Z',
      channel: 'phone',
    };
    const unsafe = await refused(400, { method: 'POST', url: '/customers/edge-1/calls', payload: call });
    expect(unsafe.json().errors.map((e: { field: string }) => e.field)).toContain('durationSeconds');
    const ok = await engine.request('agent', {
      method: 'POST',
      url: '/customers/edge-1/calls',
      payload: { ...call, durationSeconds: 240 },
    });
    expect(ok.statusCode).toBe(201);
  });
});
