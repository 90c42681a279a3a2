import { EventBus } from '@nestjs/cqrs';
import { CustomerEventRecorded } from '@rapport/application';
import { startTestEngine, storedEvents, type TestEngine } from './engine-test-app';
import { at, purchase, registration } from './touchpoint-requests';

describe('command API: every touchpoint endpoint records its event', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(() => engine.close());

  const post = (url: string, payload: object, method: 'POST' | 'PATCH' = 'POST') =>
    engine.request('agent', { method, url, payload });

  it('walks a customer through every command, one event each, revisions and ETags in order', async () => {
    const steps: [string, string, object, string, number, ('POST' | 'PATCH')?][] = [
      ['register', '/customers', registration('alice'), 'CustomerRegistered', 201],
      [
        'profile',
        '/customers/alice/profile',
        { city: 'Beijing', email: 'alice@new.example', occurredAt: at(2) },
        'CustomerProfileUpdated',
        200,
        'PATCH',
      ],
      [
        'call',
        '/customers/alice/calls',
        {
          callId: 'call-1',
          direction: 'inbound',
          durationSeconds: 120,
          topic: 'delivery',
          outcome: 'resolved',
          notes: 'asked about delivery',
          occurredAt: at(3),
        },
        'CallLogged',
        201,
      ],
      ['purchase', '/customers/alice/purchases', purchase('o-1', 4), 'PurchaseRecorded', 201],
      [
        'refund',
        '/customers/alice/purchases/o-1/refunds',
        { refundId: 'r-1', amount: 5.5, reason: 'damaged', occurredAt: at(5) },
        'PurchaseRefunded',
        201,
      ],
      [
        'promise',
        '/customers/alice/promises',
        { promiseId: 'p-1', description: 'call back', dueAt: at(9), withinPolicy: true, occurredAt: at(5) },
        'PromiseMade',
        201,
      ],
      [
        'renegotiate',
        '/customers/alice/promises/p-1/renegotiations',
        { newDueAt: at(12), reason: 'holiday', occurredAt: at(6) },
        'PromiseRenegotiated',
        201,
      ],
      ['keep', '/customers/alice/promises/p-1/kept', { note: 'done', occurredAt: at(7) }, 'PromiseKept', 201],
      [
        'promise 2',
        '/customers/alice/promises',
        { promiseId: 'p-2', description: 'voucher', dueAt: at(9), withinPolicy: false, occurredAt: at(7) },
        'PromiseMade',
        201,
      ],
      [
        'break',
        '/customers/alice/promises/p-2/broken',
        { reason: 'out of stock', occurredAt: at(8) },
        'PromiseBroken',
        201,
      ],
      [
        'promise 3',
        '/customers/alice/promises',
        { promiseId: 'p-3', description: 'gift', dueAt: at(9), withinPolicy: true, occurredAt: at(8) },
        'PromiseMade',
        201,
      ],
      [
        'cancel',
        '/customers/alice/promises/p-3/cancellation',
        { reason: 'customer declined', occurredAt: at(8, 10) },
        'PromiseCancelled',
        201,
      ],
      [
        'complaint',
        '/customers/alice/complaints',
        { complaintId: 'cmp-1', category: 'delivery', severity: 'high', description: 'late', occurredAt: at(9) },
        'ComplaintFiled',
        201,
      ],
      [
        'acknowledge',
        '/customers/alice/complaints/cmp-1/acknowledgement',
        { note: 'sorry', occurredAt: at(9, 11) },
        'ComplaintAcknowledged',
        201,
      ],
      [
        'escalate',
        '/customers/alice/complaints/cmp-1/escalations',
        { to: 'team-lead', occurredAt: at(9, 12) },
        'ComplaintEscalated',
        201,
      ],
      [
        'resolve',
        '/customers/alice/complaints/cmp-1/resolution',
        { resolution: 'refunded shipping', occurredAt: at(10) },
        'ComplaintResolved',
        201,
      ],
      [
        'reopen',
        '/customers/alice/complaints/cmp-1/reopening',
        { reason: 'still broken', occurredAt: at(11) },
        'ComplaintReopened',
        201,
      ],
      [
        'survey',
        '/customers/alice/surveys',
        { surveyId: 'nps-1', kind: 'nps', score: 9, comment: '很好', occurredAt: at(12) },
        'SurveyResponded',
        201,
      ],
    ];
    for (const [index, [name, url, body, type, status, method]] of steps.entries()) {
      const response = await post(url, body, method);
      expect({ name, status: response.statusCode, body: response.json() }).toMatchObject({
        name,
        status,
        body: { customerId: 'alice', revision: index, events: [{ type, revision: index }], replayed: false },
      });
      expect(response.headers.etag).toBe(`"${index}"`);
      expect(response.json().eventIds).toHaveLength(1);
      expect(response.json().position).toBeGreaterThan(0);
    }
    const erase = await engine.request('admin', {
      method: 'POST',
      url: '/customers/alice/erasure',
      payload: { reason: 'request #1' },
    });
    expect(erase.statusCode).toBe(200);
    expect(erase.json().events).toEqual([expect.objectContaining({ type: 'CustomerErased', revision: steps.length })]);
    const after = await post('/customers/alice/calls', {
      callId: 'call-2',
      direction: 'inbound',
      durationSeconds: 1,
      topic: 't',
      outcome: 'resolved',
    });
    expect(after.statusCode).toBe(409);
    expect(after.json().rule).toBe('customer.erased');
  });

  it('stores the metadata: occurredAt from the request, recordedAt from the server, actor, channel, correlation', async () => {
    const response = await engine.request('agent', {
      method: 'POST',
      url: '/customers',
      payload: registration('meta-1', { channel: 'phone' }),
      headers: { 'x-correlation-id': 'corr-77', 'x-causation-id': 'cause-1' },
    });
    expect(response.statusCode).toBe(201);
    const [stored] = await storedEvents(engine, 'customer-meta-1');
    expect(stored?.metadata).toMatchObject({
      eventId: response.json().eventIds[0],
      occurredAt: '2026-01-01T09:00:00.000Z',
      actor: { id: 'test-agent', role: 'agent' },
      channel: 'phone',
      correlationId: 'corr-77',
      causationId: 'cause-1',
      schemaVersion: 1,
    });
    expect(Date.parse(stored?.metadata.recordedAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('publishes what was appended on the EventBus, with its revision and position', async () => {
    const published: CustomerEventRecorded[] = [];
    const subscription = engine.app.get(EventBus).subscribe((event) => {
      if (event instanceof CustomerEventRecorded) published.push(event);
    });
    try {
      const response = await engine.request('agent', {
        method: 'POST',
        url: '/customers',
        payload: registration('bus-1'),
      });
      expect(published).toEqual([
        expect.objectContaining({
          streamId: 'customer-bus-1',
          revision: 0,
          position: response.json().position,
          event: expect.objectContaining({ type: 'CustomerRegistered' }),
        }),
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('generates a customer id when none is given, the same one for the same Idempotency-Key', async () => {
    const { customerId: _omit, ...body } = registration('x');
    const first = await engine.request('agent', {
      method: 'POST',
      url: '/customers',
      payload: body,
      headers: { 'idempotency-key': 'reg-1' },
    });
    const again = await engine.request('agent', {
      method: 'POST',
      url: '/customers',
      payload: body,
      headers: { 'idempotency-key': 'reg-1' },
    });
    expect(first.statusCode).toBe(201);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const other = await engine.request('agent', { method: 'POST', url: '/customers', payload: body });
    expect(other.json().customerId).not.toBe(first.json().customerId);
  });
});
