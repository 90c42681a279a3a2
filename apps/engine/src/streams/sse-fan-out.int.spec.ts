import { randomUUID } from 'node:crypto';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryEventStore, type StoredEvent } from '@rapport/event-store';
import { SseFanOut, type FanOutOptions } from './sse-fan-out';
import type { StreamedEvent } from './sse-frame';

jest.setTimeout(60_000);

const call = (customerId: string, n: number, padding = 0) => ({
  type: 'CallLogged',
  data: {
    customerId,
    callId: `call-${n}`,
    direction: 'inbound',
    durationSeconds: n,
    agentId: 'a',
    topic: 'x'.repeat(padding),
    outcome: 'resolved',
  },
  metadata: {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    actor: { id: 't', role: 'agent' },
    channel: 'phone',
    correlationId: 'c',
    causationId: null,
    schemaVersion: 2,
  },
});

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A raw SSE client over node:http: records ids and comments; `pause()` stops reading its socket. */
function client(port: number, path: string, lastEventId?: string) {
  const ids: number[] = [];
  const comments: string[] = [];
  let ended = false;
  let response: IncomingMessage | undefined;
  let buffer = '';
  const request = get(
    { host: '127.0.0.1', port, path, headers: lastEventId ? { 'last-event-id': lastEventId } : {} },
    (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame);
          if (id) ids.push(Number(id[1]));
          else if (frame.startsWith(':')) comments.push(frame);
        }
      });
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
    },
  );
  request.on('error', () => (ended = true));
  return {
    ids,
    comments,
    ended: () => ended,
    pause: () => response?.pause(),
    destroy: () => request.destroy(),
  };
}

describe('SSE fan-out: one encoding per filter and role, bounded buffers, clean disconnects', () => {
  let store: MemoryEventStore;
  let fanOut: SseFanOut;
  let server: Server;
  let port: number;
  let presented: number;
  const clients: ReturnType<typeof client>[] = [];

  const start = async (options?: Partial<FanOutOptions>) => {
    store = new MemoryEventStore();
    presented = 0;
    const present = async (stored: StoredEvent): Promise<StreamedEvent> => {
      presented++;
      return {
        streamId: stored.streamId,
        revision: stored.revision,
        position: stored.position,
        type: stored.type,
        data: stored.data,
        metadata: stored.metadata,
      };
    };
    fanOut = new SseFanOut(store, () => present, {
      maxBufferedBytes: 1024 * 1024,
      maxPendingBytes: 4 * 1024 * 1024,
      retryMs: 1000,
      ...options,
    });
    server = createServer((request, response) => {
      const url = new URL(request.url!, 'http://x');
      const last = request.headers['last-event-id'];
      const from = typeof last === 'string' ? Number(last) : Number(url.searchParams.get('from') ?? 0);
      const types = url.searchParams.get('types')?.split(',') ?? [];
      void fanOut.serve(response, { role: 'subscriber', types }, from, 15);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  const open = (path: string, lastEventId?: string) => {
    const c = client(port, path, lastEventId);
    clients.push(c);
    return c;
  };

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    fanOut.closeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('given 50 subscribers with one filter, then one channel presents each live event once and every subscriber gets all, in order', async () => {
    await start();
    const subscribers = Array.from({ length: 50 }, () => open('/?types=CallLogged'));
    await until(() => fanOut.subscribers === 50, '50 subscribers');
    await sleep(50);
    for (let n = 1; n <= 100; n++) await store.appendToStream(`customer-c${n % 7}`, [call(`c${n % 7}`, n)]);
    await until(() => subscribers.every((s) => s.ids.length === 100), 'every event at every subscriber');
    expect(fanOut.channelCount).toBe(1);
    expect(presented).toBe(100);
    for (const s of subscribers) expect(s.ids).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('given subscribers joining from the start during a burst, then each gets history then live with no gap and no repeat', async () => {
    await start();
    const early = open('/');
    await until(() => fanOut.subscribers === 1, 'the first subscriber');
    const joiners: ReturnType<typeof client>[] = [];
    for (let n = 1; n <= 600; n++) {
      await store.appendToStream(`customer-j${n % 5}`, [call(`j${n % 5}`, n)]);
      if (n % 100 === 0) joiners.push(open('/?from=0'));
      if (n % 10 === 0) await sleep(1);
    }
    await until(() => [early, ...joiners].every((s) => s.ids.length === 600), 'all 600 at every subscriber');
    for (const s of [early, ...joiners]) expect(s.ids).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
  });

  it('given a subscriber that stops reading, then it is disconnected once its buffer passes the bound, the others keep their pace, and it resumes with Last-Event-ID without a gap', async () => {
    await start({ maxBufferedBytes: 256 * 1024 });
    const fast = open('/');
    const slow = open('/');
    await until(() => fanOut.subscribers === 2, 'two subscribers');
    const total = 12_000;
    let paused = false;
    for (let n = 1; n <= total; n++) {
      await store.appendToStream(`customer-s${n % 9}`, [call(`s${n % 9}`, n, 2000)]);
      if (!paused && slow.ids.length >= 10) {
        slow.pause();
        paused = true;
      }
      if (n % 20 === 0) await sleep(1);
    }
    await until(() => fast.ids.length === total, 'every event at the fast subscriber');
    expect(fast.ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // The slow one was cut off by the engine (not by its own doing) and told why.
    await until(() => fanOut.subscribers === 1, 'the slow subscriber disconnected');
    expect(paused).toBe(true);
    expect(fast.ended()).toBe(false);

    const resumeFrom = slow.ids.at(-1) ?? 0;
    expect(resumeFrom).toBeLessThan(total);
    const resumed = open('/', String(resumeFrom));
    await until(() => resumed.ids.length === total - resumeFrom, 'the rest after resuming');
    expect(resumed.ids).toEqual(Array.from({ length: total - resumeFrom }, (_, i) => resumeFrom + i + 1));
  });
});
