import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { firstArrivalsPerStream, TestReceiver } from '@rapport/application/webhooks/test-receiver';
import { generateSecret, WebhooksService } from '@rapport/application';

jest.setTimeout(60_000);

const call = (customerId: string, n: number) => {
  const at = new Date().toISOString();
  return {
    type: 'CallLogged',
    data: {
      customerId,
      callId: `call-${n}`,
      direction: 'inbound',
      durationSeconds: n,
      agentId: 'a',
      topic: 'lease',
      outcome: 'resolved',
    },
    metadata: {
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      actor: { id: 't', role: 'agent' },
      channel: 'phone',
      correlationId: 'c',
      causationId: null,
      schemaVersion: 2,
    },
  };
};

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('webhooks across two engine instances on one data dir (a fenced lease per subscription)', () => {
  it('one instance delivers each subscription; a pause from the other stops it; when the deliverer goes, the other takes over from the checkpoint', async () => {
    const env = {
      SQLITE_SYNCHRONOUS: 'NORMAL',
      WEBHOOK_LEASE_SECONDS: '1',
      WEBHOOK_RETRY_INITIAL_MS: '20',
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
    };
    const a: TestEngine = await startTestEngine(env);
    const b: TestEngine = await startTestEngine({ ...env, DATA_DIR: a.dataDir });
    const secret = generateSecret();
    const receiver = new TestReceiver(secret);
    await receiver.up();
    const store = a.app.get<EventStore>(EVENT_STORE);
    const append = async (customer: string, from: number, count: number) => {
      for (let n = from; n < from + count; n++) await store.appendToStream(`customer-${customer}`, [call(customer, n)]);
    };
    const deliverers = () => [a, b].filter((e) => e.app.get(WebhooksService).deliveryStatus().length > 0);
    try {
      const created = await a.request('admin', {
        method: 'POST',
        url: '/webhooks',
        payload: { url: receiver.url, secret, eventTypes: ['CallLogged'] },
      });
      expect(created.statusCode).toBe(201);
      const id = (created.json() as { webhook: { id: string } }).webhook.id;
      await sleep(1500); // a few lease passes of both instances
      expect(deliverers()).toEqual([a]);

      await Promise.all([append('i1', 0, 20), append('i2', 0, 20)]);
      await until(() => receiver.accepted.length >= 40, '40 deliveries');
      await sleep(500);
      expect(receiver.accepted).toHaveLength(40); // each once: b never delivered

      // Paused through b (which does not deliver): a stops at its next lease pass.
      expect((await b.request('admin', { method: 'POST', url: `/webhooks/${id}/pause` })).statusCode).toBe(200);
      await until(() => deliverers().length === 0, 'a stopping after the pause', 5000);
      await append('i1', 20, 5);
      await sleep(800);
      expect(receiver.accepted).toHaveLength(40);
      expect((await b.request('admin', { method: 'POST', url: `/webhooks/${id}/resume` })).statusCode).toBe(200);
      await until(() => receiver.accepted.length === 45, 'the paused events after the resume');

      // The deliverer goes away; the other instance takes the lease over and goes on from the checkpoint.
      const [first] = deliverers();
      const other = first === a ? b : a;
      await first!.app.close();
      await until(
        () => other.app.get(WebhooksService).deliveryStatus().length === 1,
        'the other instance taking over',
        5000,
      );
      await other.app.get<EventStore>(EVENT_STORE).appendToStream('customer-i2', [call('i2', 20)]);
      await until(
        () => new Set(receiver.accepted.map((h) => h.webhookId)).size === 46,
        'the event after the take-over',
      );
      for (const positions of firstArrivalsPerStream(receiver.accepted).values())
        expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect(new Set(receiver.accepted.map((h) => h.webhookId)).size).toBe(46);
      await other.app.close();
    } finally {
      await receiver.down();
      rmSync(a.dataDir, { recursive: true, force: true });
    }
  });
});
