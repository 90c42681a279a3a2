import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryEventStore, type StoredEvent } from '@rapport/event-store';
import { MemoryReadStore } from '@rapport/read-store';
import { DEFAULT_DISPATCHER_OPTIONS, WebhookDispatcher } from './webhook-dispatcher';
import { DELIVERY_INDEXES } from './webhook-delivery';
import { WebhookSender } from './webhook-sender';
import { generateSecret } from './webhook-signature';
import { firstArrivalsPerStream, TestReceiver } from './test-receiver';
import { checkpointName, WEBHOOK_DELIVERIES, type WebhookSubscription } from './webhook-subscription';

jest.setTimeout(30_000);

const call = (customerId: string, n: number) => ({
  type: 'CallLogged',
  data: { customerId, callId: `call-${n}` },
  metadata: {
    eventId: randomUUID(),
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 2,
  },
});

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('webhook dispatcher (a real receiver, memory stores)', () => {
  it('given a receiver that was unreachable, when one delivery to it succeeds, then the customers waiting out long backoffs are tried again at once', async () => {
    const events = new MemoryEventStore();
    const reads = new MemoryReadStore();
    await reads.ensureCollection({ name: WEBHOOK_DELIVERIES, indexes: DELIVERY_INDEXES });
    const secret = generateSecret();
    const receiver = new TestReceiver(secret);
    await receiver.up();
    const url = receiver.url;
    await receiver.down();
    const subscription: WebhookSubscription = {
      id: 'sub-1',
      url,
      description: '',
      eventTypes: [],
      categories: [],
      status: 'active',
      maxAttempts: 30,
      startAfter: 0,
      secrets: [{ secret, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null }],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const sender = new WebhookSender({ maxSockets: 16, timeoutMs: 2000 });
    const present = async (s: StoredEvent) => ({
      streamId: s.streamId,
      revision: s.revision,
      position: s.position,
      type: s.type,
      data: s.data,
      metadata: s.metadata,
    });
    // Backoffs of 5 s and more: without the wake-up, nothing would be retried within the test's 3 s.
    const dispatcher = new WebhookDispatcher(
      subscription,
      { events, reads, sender, present, now: () => new Date() },
      { ...DEFAULT_DISPATCHER_OPTIONS, initialDelayMs: 5000, maxDelayMs: 20_000 },
    );
    await dispatcher.start();
    for (let c = 0; c < 10; c++)
      for (let n = 0; n < 3; n++) await events.appendToStream(`customer-d${c}`, [call(`d${c}`, n)]);
    await until(() => dispatcher.status().failedAttempts >= 10, 'a failed first attempt per customer', 5000);

    await receiver.up();
    const upAt = Date.now();
    await events.appendToStream('customer-fresh', [call('fresh', 0)]); // a first attempt: it succeeds and wakes the rest
    await until(
      () => new Set(receiver.accepted.map((h) => h.webhookId)).size === 31,
      'every event after the receiver came back',
      3000,
    );
    expect(Date.now() - upAt).toBeLessThan(3000);
    for (const positions of firstArrivalsPerStream(receiver.accepted).values())
      expect(positions).toEqual([...positions].sort((a, b) => a - b));

    await dispatcher.stop();
    expect(await reads.getCheckpoint(checkpointName('sub-1'))).toBe(await events.headPosition());
    await sender.close();
    await receiver.down();
  });
});
