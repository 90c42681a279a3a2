import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { EventSource, type FetchLike } from 'eventsource';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { purchase, registration } from '../../test/touchpoint-requests';
import type { ApiRole } from '../auth/roles';
import type { StreamedEvent } from './sse-frame';

const PROBLEM = /^application\/problem\+json/;

interface Received {
  id: string;
  type: string;
  payload: StreamedEvent;
}

/** A real SSE client (the `eventsource` package) that sends the role's key and records what it gets. */
function subscribe(engine: TestEngine, baseUrl: string, role: ApiRole, path: string) {
  const received: Received[] = [];
  const requests: { lastEventId: string | undefined }[] = [];
  let opens = 0;
  const fetchWithKey: FetchLike = (url, init) => {
    requests.push({ lastEventId: init.headers['Last-Event-ID'] });
    return fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${engine.keys[role]}` } });
  };
  const source = new EventSource(`${baseUrl}${path}`, { fetch: fetchWithKey });
  source.addEventListener('open', () => opens++);
  const types = ['CustomerRegistered', 'PurchaseRecorded', 'SurveyResponded', 'CallLogged', 'CustomerErased'];
  for (const type of types) {
    source.addEventListener(type, (event) =>
      received.push({ id: event.lastEventId, type: event.type, payload: JSON.parse(event.data) }),
    );
  }
  return { source, received, requests, opens: () => opens };
}

async function until(condition: () => boolean, what: string, timeoutMs = 4_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A CallLogged event appended straight to the store (no personal data): a fast burst. */
const call = (customerId: string, n: number) => ({
  type: 'CallLogged',
  data: {
    customerId,
    callId: `call-${n}`,
    direction: 'inbound',
    durationSeconds: n,
    agentId: 'agent-1',
    topic: 'burst',
    outcome: 'resolved',
  },
  metadata: {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    actor: { id: 'test', role: 'agent' },
    channel: 'phone',
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 2,
  },
});

describe('event streams (server-sent events on a listening engine)', () => {
  let engine: TestEngine;
  let baseUrl: string;
  const sockets = new Set<Socket>();
  const sources: EventSource[] = [];

  beforeAll(async () => {
    engine = await startTestEngine({ SQLITE_SYNCHRONOUS: 'NORMAL' });
    await engine.app.listen(0, '127.0.0.1');
    const server = engine.app.getHttpServer();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const address = server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('c1') });
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('c10') });
    await engine.request('agent', { method: 'POST', url: '/customers/c1/purchases', payload: purchase('o-1') });
    await engine.request('agent', {
      method: 'POST',
      url: '/customers/c1/surveys',
      payload: { surveyId: 's-1', kind: 'nps', score: 8, comment: 'lovely people' },
    });
  });
  afterEach(() => {
    for (const source of sources.splice(0)) source.close();
  });
  afterAll(() => engine.close());

  const open = (role: ApiRole, path: string) => {
    const client = subscribe(engine, baseUrl, role, path);
    sources.push(client.source);
    return client;
  };

  it('401 without a key, 403 for agent, analyst and auditor, as problem+json', async () => {
    for (const url of ['/streams/all', '/streams/customers/c1']) {
      const anonymous = await engine.request(null, { method: 'GET', url });
      expect({ status: anonymous.statusCode, type: anonymous.headers['content-type'] }).toEqual({
        status: 401,
        type: expect.stringMatching(PROBLEM),
      });
      for (const role of ['agent', 'analyst', 'auditor'] as const) {
        expect({ role, status: (await engine.request(role, { method: 'GET', url })).statusCode }).toEqual({
          role,
          status: 403,
        });
      }
    }
  });

  it('400 naming a bad `from`, `types` or Last-Event-ID', async () => {
    const bad = async (url: string, headers: Record<string, string> = {}) => {
      const response = await engine.request('subscriber', { method: 'GET', url, headers });
      expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        status: 400,
        type: expect.stringMatching(PROBLEM),
      });
      return response.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await bad('/streams/all?from=-1')).toEqual(['from']);
    expect(await bad('/streams/all?types=PurchaseRecorded,Nonsense')).toEqual(['types']);
    expect(await bad('/streams/all', { 'last-event-id': 'abc' })).toEqual(['last-event-id']);
    expect(await bad('/streams/all?categories=gossip')).toEqual(['categories']);
  });

  it('delivers every customer event in order: id = position, event = type, personal data redacted for subscribers', async () => {
    const client = open('subscriber', '/streams/all');
    await until(() => client.received.length === 4, '4 events');
    const positions = client.received.map((r) => r.payload.position);
    expect(positions).toEqual([1, 2, 3, 4]);
    expect(client.received.map((r) => r.id)).toEqual(positions.map(String));
    expect(client.received.map((r) => r.type)).toEqual(client.received.map((r) => r.payload.type));
    const registered = client.received[0]!.payload;
    expect(registered).toMatchObject({
      streamId: 'customer-c1',
      revision: 0,
      type: 'CustomerRegistered',
      data: { customerId: 'c1', name: '[redacted]', email: '[redacted]', region: 'East China' },
    });
    expect(registered.metadata).toMatchObject({
      eventId: expect.any(String),
      occurredAt: expect.any(String),
      schemaVersion: 1,
      hash: expect.any(String),
    });
    expect(client.received[3]!.payload.data).toMatchObject({ comment: '[redacted]', score: 8 });
  });

  it('admins read personal data in plaintext', async () => {
    const client = open('admin', '/streams/customers/c1?types=CustomerRegistered,SurveyResponded');
    await until(() => client.received.length === 2, '2 events');
    expect(client.received.map((r) => r.payload.data)).toEqual([
      expect.objectContaining({ name: 'Name of c1', email: 'c1@example.com' }),
      expect.objectContaining({ comment: 'lovely people' }),
    ]);
  });

  it("one customer's stream holds only that customer (not customer c10), from a position, filtered by type", async () => {
    const client = open('subscriber', '/streams/customers/c1?from=1');
    await until(() => client.received.length === 2, '2 events');
    await engine.request('agent', { method: 'POST', url: '/customers/c10/purchases', payload: purchase('o-10') });
    await engine.request('agent', { method: 'POST', url: '/customers/c1/purchases', payload: purchase('o-2') });
    await until(() => client.received.length === 3, 'the live event');
    expect(client.received.map((r) => `${r.payload.streamId}@${r.payload.revision}:${r.type}`)).toEqual([
      'customer-c1@1:PurchaseRecorded',
      'customer-c1@2:SurveyResponded',
      'customer-c1@3:PurchaseRecorded',
    ]);
    const typed = open('subscriber', '/streams/all?types=PurchaseRecorded');
    await until(() => typed.received.length === 3, '3 purchases');
    expect(typed.received.map((r) => r.payload.data.orderId)).toEqual(['o-1', 'o-10', 'o-2']);
    const categorised = open('subscriber', '/streams/customers/c1?categories=purchase,survey');
    await until(() => categorised.received.length === 3, 'the purchases and the survey of c1');
    expect(categorised.received.map((r) => r.type)).toEqual([
      'PurchaseRecorded',
      'SurveyResponded',
      'PurchaseRecorded',
    ]);
  });

  it('sends heartbeat comments', async () => {
    const response = await fetch(`${baseUrl}/streams/all?heartbeat=1&from=1000000`, {
      headers: { authorization: `Bearer ${engine.keys.subscriber}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes(': heartbeat') && Date.now() < deadline)
      text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toMatch(/^retry: \d+\n/);
    expect(text).toContain(': heartbeat\n\n');
  });

  it('after an erasure, a feed whose filter never shows CustomerErased reads [erased] too (no key outlives the erasure by more than a second)', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('gone') });
    await engine.request('agent', {
      method: 'POST',
      url: '/customers/gone/surveys',
      payload: { surveyId: 's-g', kind: 'nps', score: 9, comment: 'a private remark' },
    });
    const before = open('admin', '/streams/all?types=SurveyResponded');
    await until(() => before.received.some((r) => r.payload.streamId === 'customer-gone'), 'the survey in plaintext');
    expect(before.received.find((r) => r.payload.streamId === 'customer-gone')!.payload.data).toMatchObject({
      comment: 'a private remark',
    });
    const erased = await engine.request('admin', {
      method: 'POST',
      url: '/customers/gone/erasure',
      payload: { reason: 'asked' },
    });
    expect(erased.statusCode).toBeLessThan(300);
    await sleep(1100);
    // A second admin joins the same feed (same filter and role) and replays the history.
    const after = open('admin', '/streams/all?types=SurveyResponded');
    await until(
      () => after.received.some((r) => r.payload.streamId === 'customer-gone'),
      'the survey after the erasure',
    );
    expect(after.received.find((r) => r.payload.streamId === 'customer-gone')!.payload.data).toMatchObject({
      comment: '[erased]',
    });
  });

  it('a subscriber cut off in the middle of a burst reconnects with Last-Event-ID and misses nothing, sees nothing twice', async () => {
    const store = engine.app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('burst') });
    const client = open('subscriber', `/streams/customers/burst`);
    await until(() => client.received.length === 1, 'the registration');
    const total = 400;
    let cut = false;
    const appending = (async () => {
      for (let n = 1; n <= total; n++) {
        await store.appendToStream('customer-burst', [call('burst', n)]);
        if (n % 20 === 0) await sleep(1);
        if (!cut && client.received.length > 100) {
          cut = true;
          for (const socket of sockets) socket.destroy(); // the network drops every connection
        }
      }
    })();
    await appending;
    await until(() => client.received.length === total + 1, `${total + 1} events`, 20_000);
    await sleep(200); // nothing more should arrive
    const positions = client.received.map((r) => r.payload.position);
    expect(cut).toBe(true);
    expect(client.opens()).toBeGreaterThanOrEqual(2);
    expect(client.requests.at(-1)!.lastEventId).toMatch(/^\d+$/);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(client.received.map((r) => r.payload.revision)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(positions[0]).toBeGreaterThan(head);
  }, 30_000);
});
