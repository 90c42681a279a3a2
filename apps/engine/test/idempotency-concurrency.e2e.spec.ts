import { headPosition, startTestEngine, storedEvents, type TestEngine } from './engine-test-app';
import { at, purchase, registration } from './touchpoint-requests';

describe('command API: idempotency and concurrency', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('carol') });
  });
  afterAll(() => engine.close());

  it('the same Idempotency-Key returns the same result and stores nothing twice', async () => {
    const send = () =>
      engine.request('agent', {
        method: 'POST',
        url: '/customers/carol/purchases',
        payload: purchase('o-idem'),
        headers: { 'idempotency-key': 'order-o-idem' },
      });
    const first = await send();
    const head = await headPosition(engine);
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual({ ...first.json(), replayed: true });
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await headPosition(engine)).toBe(head);
    const orders = (await storedEvents(engine, 'customer-carol')).filter((e) => e.data.orderId === 'o-idem');
    expect(orders).toHaveLength(1);
    expect(orders[0]?.metadata.eventId).toBe(first.json().eventIds[0]);
  });

  it('the same key with a different request is refused with 422 and stores nothing', async () => {
    const url = '/customers/carol/purchases';
    const headers = { 'idempotency-key': 'order-o-reuse' };
    const first = await engine.request('agent', { method: 'POST', url, payload: purchase('o-reuse'), headers });
    const head = await headPosition(engine);
    const other = await engine.request('agent', { method: 'POST', url, payload: purchase('o-reuse-2'), headers });
    expect(first.statusCode).toBe(201);
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json()).toMatchObject({ rule: 'idempotency.key_reused' });
    expect(await headPosition(engine)).toBe(head);
  });

  it('a retry of the same request replays, whatever its key order and without a business time of its own', async () => {
    const url = '/customers/carol/calls';
    const headers = { 'idempotency-key': 'call-no-time' };
    const call = {
      callId: 'call-no-time',
      direction: 'inbound',
      durationSeconds: 60,
      topic: 'billing',
      outcome: 'resolved',
    };
    const reordered = {
      outcome: 'resolved',
      topic: 'billing',
      durationSeconds: 60,
      direction: 'inbound',
      callId: 'call-no-time',
    };
    const first = await engine.request('agent', { method: 'POST', url, payload: call, headers });
    // occurredAt defaults to the time of recording; the retry, later, is still the same request.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const retry = await engine.request('agent', { method: 'POST', url, payload: reordered, headers });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
  });

  it('replays concurrent retries of one key as one append', async () => {
    const head = await headPosition(engine);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        engine.request('agent', {
          method: 'POST',
          url: '/customers/carol/calls',
          payload: { callId: 'call-idem', direction: 'outbound', durationSeconds: 30, topic: 'x', outcome: 'sale' },
          headers: { 'idempotency-key': 'call-idem' },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.json().eventIds[0])).size).toBe(1);
    expect(responses.filter((r) => !r.json().replayed)).toHaveLength(1);
    expect(await headPosition(engine)).toBe(head + 1);
  });

  it('a key replays even after the customer moved on and after a restart (cold snapshot)', async () => {
    const dataDir = engine.dataDir;
    const first = await engine.request('agent', {
      method: 'POST',
      url: '/customers/carol/surveys',
      payload: { surveyId: 's-idem', kind: 'nps', score: 8 },
      headers: { 'idempotency-key': 'survey-idem' },
    });
    await engine.request('agent', { method: 'POST', url: '/customers/carol/purchases', payload: purchase('o-after') });
    const restarted = await startTestEngine({ DATA_DIR: dataDir });
    try {
      const again = await restarted.app.inject({
        method: 'POST',
        url: '/customers/carol/surveys',
        payload: { surveyId: 's-idem', kind: 'nps', score: 8 },
        headers: { 'idempotency-key': 'survey-idem', authorization: `Bearer ${restarted.keys.agent}` },
      });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual({ ...first.json(), replayed: true });
    } finally {
      await restarted.app.close();
    }
  });

  it('50 concurrent requests on one customer: none lost, revisions dense, rules hold', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('dave') });
    await engine.request('agent', {
      method: 'POST',
      url: '/customers/dave/purchases',
      payload: purchase('o-big', 2, { lines: [{ sku: 'x', category: 'y', quantity: 1, unitPrice: 100 }], total: 100 }),
    });
    // 40 distinct purchases plus 10 refunds of 15 each against an order of 100: at most 6 refunds fit.
    const purchases = Array.from({ length: 40 }, (_, i) =>
      engine.request('agent', { method: 'POST', url: '/customers/dave/purchases', payload: purchase(`o-${i}`, 3) }),
    );
    const refunds = Array.from({ length: 10 }, (_, i) =>
      engine.request('agent', {
        method: 'POST',
        url: '/customers/dave/purchases/o-big/refunds',
        payload: { refundId: `r-${i}`, amount: 15, occurredAt: at(4) },
      }),
    );
    const results = await Promise.all([...purchases, ...refunds]);
    const purchaseStatuses = results.slice(0, 40).map((r) => r.statusCode);
    const refundStatuses = results.slice(40).map((r) => r.statusCode);
    expect(purchaseStatuses).toEqual(Array(40).fill(201));
    expect(refundStatuses.filter((s) => s === 201)).toHaveLength(6);
    expect(refundStatuses.filter((s) => s === 409)).toHaveLength(4);
    const events = await storedEvents(engine, 'customer-dave');
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === 'PurchaseRecorded')).toHaveLength(41);
    const refunded = events
      .filter((e) => e.type === 'PurchaseRefunded')
      .reduce((sum, e) => sum + Number(e.data.amount), 0);
    expect(refunded).toBe(90);
    const revisions = results.filter((r) => r.statusCode === 201).map((r) => r.json().revision);
    expect(new Set(revisions).size).toBe(46);
  });
});
