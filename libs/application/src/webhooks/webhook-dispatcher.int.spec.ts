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
    // Backoffs of 20 s and more: without the wake-up, nothing would be retried within the test's 8 s.
    const dispatcher = new WebhookDispatcher(
      subscription,
      { events, reads, sender, present, now: () => new Date() },
      { ...DEFAULT_DISPATCHER_OPTIONS, initialDelayMs: 20_000, maxDelayMs: 60_000 },
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
      8000,
    );
    expect(Date.now() - upAt).toBeLessThan(8000);
    for (const positions of firstArrivalsPerStream(receiver.accepted).values())
      expect(positions).toEqual([...positions].sort((a, b) => a - b));

    // Answered is not yet finished: the checkpoint passes an event once its answer was taken in.
    await until(() => dispatcher.status().inFlight === 0, 'every delivery finished', 5000);
    await dispatcher.stop();
    expect(await reads.getCheckpoint(checkpointName('sub-1'))).toBe(await events.headPosition());
    await sender.close();
    await receiver.down();
  });

  it('given a store whose subscription fails mid-way, then the dispatcher reads again from the last event taken and delivers everything once, in order', async () => {
    const inner = new MemoryEventStore();
    let failures = 0;
    // The first subscription throws after its third event, as a dropped EventStoreDB connection would.
    const events = Object.assign(Object.create(inner) as MemoryEventStore, {
      subscribeToAll: (options?: Parameters<MemoryEventStore['subscribeToAll']>[0]) => {
        const feed = inner.subscribeToAll(options);
        if (failures > 0) return feed;
        failures++;
        return {
          close: () => feed.close(),
          async *[Symbol.asyncIterator]() {
            let n = 0;
            for await (const stored of feed) {
              if (++n > 3) throw new Error('connection lost');
              yield stored;
            }
          },
        };
      },
    });
    const reads = new MemoryReadStore();
    await reads.ensureCollection({ name: WEBHOOK_DELIVERIES, indexes: DELIVERY_INDEXES });
    const secret = generateSecret();
    const receiver = new TestReceiver(secret);
    await receiver.up();
    const subscription: WebhookSubscription = {
      id: 'sub-2',
      url: receiver.url,
      description: '',
      eventTypes: [],
      categories: [],
      status: 'active',
      maxAttempts: 5,
      startAfter: 0,
      secrets: [{ secret, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null }],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const sender = new WebhookSender({ maxSockets: 4, timeoutMs: 2000 });
    const present = async (s: StoredEvent) => ({
      streamId: s.streamId,
      revision: s.revision,
      position: s.position,
      type: s.type,
      data: s.data,
      metadata: s.metadata,
    });
    const errors: string[] = [];
    const dispatcher = new WebhookDispatcher(subscription, {
      events,
      reads,
      sender,
      present,
      now: () => new Date(),
      onError: (m) => errors.push(m),
    });
    for (let n = 0; n < 8; n++) await inner.appendToStream('customer-f1', [call('f1', n)]);
    await dispatcher.start();
    await until(() => receiver.accepted.length >= 8, 'all eight events', 5000);
    await sleep(200);
    expect(errors.some((m) => m.includes('connection lost'))).toBe(true);
    expect(receiver.accepted.map((h) => h.event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await dispatcher.stop();
    await sender.close();
    await receiver.down();
  });
});
