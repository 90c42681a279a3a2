import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { READ_STORE, type Doc, type ReadStore } from '@rapport/read-store';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { generateSecret, WEBHOOK_DELIVERIES, WEBHOOK_SUBSCRIPTIONS, WebhooksService } from '@rapport/application';
import { firstArrivalsPerStream, TestReceiver } from '@rapport/application/webhooks/test-receiver';

const PROBLEM = /^application\/problem\+json/;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A CallLogged (no personal data) or an alert appended straight to the store. */
function event(customerId: string, n: number, type = 'CallLogged') {
  const data =
    type === 'PromiseBecameOverdue'
      ? { customerId, promiseId: `p-${n}`, dueAt: '2026-01-01T00:00:00.000Z' }
      : {
          customerId,
          callId: `call-${n}`,
          direction: 'inbound',
          durationSeconds: n,
          agentId: 'agent-1',
          topic: 'hooks',
          outcome: 'resolved',
        };
  const at = new Date().toISOString();
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      actor: { id: 'test', role: 'agent' },
      channel: 'phone',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: type === 'CallLogged' ? 2 : 1,
    },
  };
}

jest.setTimeout(30_000);

describe('webhooks (real receivers, a listening engine)', () => {
  let engine: TestEngine;
  let store: EventStore;
  const receivers: TestReceiver[] = [];

  beforeAll(async () => {
    engine = await startTestEngine({
      SQLITE_SYNCHRONOUS: 'NORMAL',
      WEBHOOK_RETRY_INITIAL_MS: '20',
      WEBHOOK_RETRY_MAX_MS: '200',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    store = engine.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await engine.close();
    for (const receiver of receivers) await receiver.down();
  });

  const receiver = async (secret: string) => {
    const r = new TestReceiver(secret);
    await r.up();
    receivers.push(r);
    return r;
  };
  const subscribe = async (body: Record<string, unknown>) => {
    const response = await engine.request('admin', { method: 'POST', url: '/webhooks', payload: body });
    expect(response.statusCode).toBe(201);
    return response.json() as { webhook: { id: string }; secret: string };
  };
  const append = async (customerId: string, count: number, type = 'CallLogged') => {
    for (let i = 0; i < count; i++) await store.appendToStream(`customer-${customerId}`, [event(customerId, i, type)]);
  };
  const deliveries = async (id: string, state?: string) =>
    (
      await engine.request('admin', {
        method: 'GET',
        url: `/webhooks/${id}/deliveries?limit=500${state ? `&state=${state}` : ''}`,
      })
    ).json().items as {
      state: string;
      webhookId: string;
      attempts: number;
      customerId: string;
      parkedReason: string | null;
    }[];
  const expectInOrder = (r: TestReceiver) => {
    for (const positions of firstArrivalsPerStream(r.accepted).values())
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
  };

  describe('given bad subscriptions', () => {
    it.each([
      [{ url: 'ftp://example.com/x' }, 'url', 'url.scheme'],
      [{ url: 'https://user:secret@example.com/x' }, 'url', 'url.no_credentials'],
      [{ url: 'https://example.com/x', categories: ['gossip'] }, 'categories', 'isIn'],
      [{ url: 'https://example.com/x', eventTypes: ['PurchaseMade'] }, 'eventTypes', 'isIn'],
      [{ url: 'https://example.com/x', secret: 'hunter2' }, 'secret', 'matches'],
    ])('refuses %j naming the field and rule, storing nothing', async (body, field, rule) => {
      const before = (await engine.request('admin', { method: 'GET', url: '/webhooks' })).json().items.length;
      const response = await engine.request('admin', { method: 'POST', url: '/webhooks', payload: body });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect((await engine.request('admin', { method: 'GET', url: '/webhooks' })).json().items).toHaveLength(before);
    });

    it('only admins manage webhooks', async () => {
      const response = await engine.request('subscriber', {
        method: 'POST',
        url: '/webhooks',
        payload: { url: 'https://example.com/x' },
      });
      expect(response.statusCode).toBe(403);
    });
  });

  it('delivers signed events that match the filter, each once, in order per customer, and never shows the secret again', async () => {
    const secret = generateSecret();
    const r = await receiver(secret);
    const { webhook, secret: returned } = await subscribe({ url: r.url, secret, categories: ['alerts'] });
    expect(returned).toBe(secret);
    await append('f1', 3);
    await append('f1', 2, 'PromiseBecameOverdue');
    await append('f2', 2, 'PromiseBecameOverdue');
    await until(() => r.accepted.length === 4, 'four alerts');
    expect(r.received.every((h) => h.verified && h.event.type === 'PromiseBecameOverdue')).toBe(true);
    expect(r.received.map((h) => h.webhookId)).toEqual(r.received.map((h) => h.event.metadata.eventId));
    expectInOrder(r);
    const shown = (await engine.request('admin', { method: 'GET', url: `/webhooks/${webhook.id}` })).body;
    expect(shown).not.toContain(secret);
    // At rest the secret is sealed with a key of the key store: the read store alone cannot sign.
    const stored = await engine.app.get<ReadStore>(READ_STORE).get<Doc>(WEBHOOK_SUBSCRIPTIONS, webhook.id);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
    expect((stored!.secrets as { secret: string }[])[0]!.secret).toMatch(/^enc:v1:/);
  });

  it('given a receiver down for a while, when it comes back, then nothing is lost and each customer’s order holds', async () => {
    const secret = generateSecret();
    const r = await receiver(secret);
    await subscribe({ url: r.url, secret, eventTypes: ['CallLogged'], maxAttempts: 30 });
    await r.down();
    await Promise.all(['d1', 'd2', 'd3'].map((c) => append(c, 15)));
    await sleep(400);
    await r.up();
    await until(
      () => new Set(r.accepted.map((h) => h.webhookId)).size === 45,
      '45 deliveries after the outage',
      20_000,
    );
    expectInOrder(r);
    expect(r.received.every((h) => h.verified)).toBe(true);
  });

  it('given a slow receiver, then customers are delivered side by side and each in order', async () => {
    const secret = generateSecret();
    const r = await receiver(secret);
    r.mode = { kind: 'slow', delayMs: 150 };
    await subscribe({ url: r.url, secret, eventTypes: ['CallLogged'] });
    const customers = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const started = Date.now();
    await Promise.all(customers.map((c) => append(c, 3)));
    await until(() => r.accepted.length === 30, '30 slow deliveries');
    // One after another would take 30 × 150 ms; side by side, about 3 × 150 ms.
    expect(Date.now() - started).toBeLessThan(30 * 150);
    expectInOrder(r);
  });

  it('given a receiver answering 500, deliveries are parked after maxAttempts (later ones of the customer behind them) and a replay delivers them in order with the same webhook-id', async () => {
    const secret = generateSecret();
    const r = await receiver(secret);
    r.mode = { kind: 'fail', status: 500 };
    const { webhook } = await subscribe({ url: r.url, secret, eventTypes: ['CallLogged'], maxAttempts: 3 });
    await append('p1', 4);
    await append('p2', 2);
    await until(async () => (await deliveries(webhook.id, 'parked')).length === 6, 'six parked deliveries');
    const parked = await deliveries(webhook.id, 'parked');
    const tried = parked.filter((d) => d.attempts === 3);
    expect(tried).toHaveLength(2); // the first of each customer used its attempts
    expect(parked.filter((d) => d.attempts === 0).every((d) => d.parkedReason?.includes('held'))).toBe(true);
    const failedIds = new Set(r.received.map((h) => h.webhookId));

    r.mode = { kind: 'ok' };
    const replay = await engine.request('admin', {
      method: 'POST',
      url: `/webhooks/${webhook.id}/deliveries/replay`,
      payload: {},
    });
    expect(replay.json()).toEqual({ replayed: 6, stillParked: 0 });
    expect(await deliveries(webhook.id, 'parked')).toHaveLength(0);
    expect(r.accepted).toHaveLength(6);
    expectInOrder(r);
    for (const hook of r.accepted.filter((h) => failedIds.has(h.webhookId)))
      expect(hook.webhookId).toBe(hook.event.metadata.eventId);
    // The customer is no longer held: new events go straight out.
    await append('p1', 1);
    await until(() => r.accepted.length === 7, 'a new delivery after the replay');
  });

  it('a receiver holding the wrong secret detects it; after a rotation both secrets verify during the grace period', async () => {
    const secret = generateSecret();
    const r = await receiver(generateSecret());
    const { webhook } = await subscribe({ url: r.url, secret, eventTypes: ['CallLogged'], maxAttempts: 2 });
    await append('w1', 1);
    await until(async () => (await deliveries(webhook.id, 'parked')).length === 1, 'the refused delivery parked');
    expect(r.received).toHaveLength(2);
    expect(r.received.every((h) => !h.verified && h.status === 401)).toBe(true);

    const rotated = await engine.request('admin', {
      method: 'POST',
      url: `/webhooks/${webhook.id}/secret/rotate`,
      payload: { graceSeconds: 3600 },
    });
    expect(rotated.statusCode).toBe(200);
    const { secret: next } = rotated.json() as { secret: string };
    expect(next).not.toBe(secret);
    r.setSecret(secret); // an old receiver still verifies
    await append('w2', 1);
    await until(() => r.accepted.length === 1, 'a delivery verified with the previous secret');
    r.setSecret(next); // an updated receiver verifies too
    await append('w3', 1);
    await until(() => r.accepted.length === 2, 'a delivery verified with the new secret');
    expect(r.accepted.map((h) => h.event.streamId)).toEqual(['customer-w2', 'customer-w3']);
  });

  it('pause keeps the checkpoint; resume delivers what happened meanwhile', async () => {
    const secret = generateSecret();
    const r = await receiver(secret);
    const { webhook } = await subscribe({ url: r.url, secret, eventTypes: ['CallLogged'] });
    const paused = await engine.request('admin', { method: 'POST', url: `/webhooks/${webhook.id}/pause` });
    expect(paused.json().status).toBe('paused');
    await append('z1', 5);
    await sleep(200);
    expect(r.received).toHaveLength(0);
    await engine.request('admin', { method: 'POST', url: `/webhooks/${webhook.id}/resume` });
    await until(() => r.accepted.length === 5, 'five deliveries after resume');
    expectInOrder(r);
    const log = await deliveries(webhook.id, 'delivered');
    expect(log).toHaveLength(5);
    const status = (await engine.request('admin', { method: 'GET', url: `/webhooks/${webhook.id}` })).json();
    expect(status.delivery.delivered).toBe(5);
    const metrics = (await engine.request(null, { method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`rapport_webhook_delivered{subscription="${webhook.id}"} 5`);
    expect(metrics).toMatch(new RegExp(`rapport_webhook_checkpoint\\{subscription="${webhook.id}"\\} [1-9]`));
  });

  it('delivered log entries older than the retention are pruned; parked ones stay', async () => {
    const secret = generateSecret();
    const r = await receiver(secret);
    const { webhook } = await subscribe({ url: r.url, secret, eventTypes: ['CallLogged'], maxAttempts: 1 });
    await append('r1', 3);
    await until(() => r.accepted.length === 3, 'three deliveries');
    r.mode = { kind: 'fail', status: 503 };
    await append('r2', 1);
    await until(async () => (await deliveries(webhook.id, 'parked')).length === 1, 'a parked delivery');
    const service = engine.app.get(WebhooksService);
    expect(await service.pruneLog(new Date())).toBe(0);
    expect(await service.pruneLog(new Date(Date.now() + 169 * 3_600_000))).toBeGreaterThanOrEqual(3);
    expect(await deliveries(webhook.id, 'delivered')).toHaveLength(0);
    expect(await deliveries(webhook.id, 'parked')).toHaveLength(1);

    // Unsubscribing takes the log with it.
    expect((await engine.request('admin', { method: 'DELETE', url: `/webhooks/${webhook.id}` })).statusCode).toBe(204);
    const reads = engine.app.get<ReadStore>(READ_STORE);
    expect(await reads.count(WEBHOOK_DELIVERIES, { field: 'subscriptionId', eq: webhook.id })).toBe(0);
    expect((await engine.request('admin', { method: 'GET', url: `/webhooks/${webhook.id}` })).statusCode).toBe(404);
  });

  it('an unknown subscription is a 404 problem', async () => {
    const response = await engine.request('admin', { method: 'POST', url: `/webhooks/${randomUUID()}/pause` });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM);
  });
});

describe('webhooks with WEBHOOK_DELIVERY=off (an instance that serves the admin API but does not deliver)', () => {
  it('keeps subscriptions and answers the API, sends nothing, and refuses a replay naming the setting', async () => {
    const engine = await startTestEngine({ SQLITE_SYNCHRONOUS: 'NORMAL', WEBHOOK_DELIVERY: 'off' });
    const secret = generateSecret();
    const receiver = new TestReceiver(secret);
    await receiver.up();
    try {
      const created = await engine.request('admin', {
        method: 'POST',
        url: '/webhooks',
        payload: { url: receiver.url, secret },
      });
      expect(created.statusCode).toBe(201);
      const { webhook } = created.json() as { webhook: { id: string; delivery: unknown } };
      expect(webhook.delivery).toBeNull();
      await engine.app.get<EventStore>(EVENT_STORE).appendToStream('customer-off1', [event('off1', 1)]);
      await sleep(300);
      expect(receiver.received).toHaveLength(0);
      const replay = await engine.request('admin', {
        method: 'POST',
        url: `/webhooks/${webhook.id}/deliveries/replay`,
        payload: {},
      });
      expect(replay.statusCode).toBe(409);
      expect(replay.json().detail).toContain('WEBHOOK_DELIVERY=off');
    } finally {
      await engine.close();
      await receiver.down();
    }
  });
});
