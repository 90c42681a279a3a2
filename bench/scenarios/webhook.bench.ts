// Webhook scenarios (issue 18): append-to-receiver latency at 500 appends/s, deliveries per second
// from a backlog, and the drain after a 30-second receiver outage, each beside a bare forwarder
// (subscribeToAll → plain POST, no signature, log or checkpoint) to the same receiver, same run.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { EVENT_STORE, type EventStore, type EventToAppend } from '../../libs/event-store/src';
import { startTestEngine, type TestEngine } from '../../apps/engine/test/engine-test-app';
import { callLogged, percentile } from '../bench-helpers';
import type { Scenario, ScenarioResult } from '../scenario';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RATE = 500;
const APPENDS = Math.max(500, Math.round(5000 * SCALE));
const BACKLOG = Math.max(5000, Math.round(50_000 * SCALE));
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 30);
const CUSTOMERS = 1000;
const CONCURRENCY = 64;

const epochNow = (): number => performance.timeOrigin + performance.now();

const call = (n: number): EventToAppend => callLogged(`c${n % CUSTOMERS}`, n);

/** The receiver process: arrival times by webhook-id (first arrival), and a way to take it down. */
class Receiver {
  readonly arrived = new Map<string, number>();
  port = 0;
  private waiters: { kind: string; resolve: () => void }[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { kind: string; port?: number; hooks?: [string, number][] }) => {
      if (message.kind === 'hooks') {
        for (const [id, at] of message.hooks!) if (!this.arrived.has(id)) this.arrived.set(id, at);
      } else {
        if (message.port) this.port = message.port;
        this.waiters.filter((w) => w.kind === message.kind).forEach((w) => w.resolve());
        this.waiters = this.waiters.filter((w) => w.kind !== message.kind);
      }
    });
  }
  static async start(): Promise<Receiver> {
    const child = fork(join(__dirname, '..', 'webhook-receiver.child.ts'), [], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const receiver = new Receiver(child);
    await receiver.wait('ready');
    return receiver;
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }
  wait(kind: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ kind, resolve }));
  }
  async set(kind: 'up' | 'down'): Promise<void> {
    const done = this.wait(kind);
    this.child.send({ kind });
    await done;
  }
  async until(ids: Iterable<string>, timeoutMs: number): Promise<number> {
    const wanted = [...ids];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (wanted.every((id) => this.arrived.has(id))) return 0;
      await sleep(20);
    }
    return wanted.filter((id) => !this.arrived.has(id)).length;
  }
  stop(): void {
    this.child.kill();
  }
}

/** The floor: every matching event from the store POSTed as is over the same client (undici), `concurrency` at a time, no signing, log or checkpoint. */
function bareForwarder(store: EventStore, url: string, fromPosition: number, concurrency: number) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency });
  const subscription = store.subscribeToAll({
    fromPosition,
    filter: { streamPrefixes: ['customer-'], eventTypes: ['CallLogged'] },
  });
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const post = async (id: string, body: string): Promise<void> => {
    try {
      const response = await pool.request({
        method: 'POST',
        path: target.pathname,
        headers: { 'content-type': 'application/json', 'webhook-id': id },
        body,
      });
      await response.body.dump();
    } catch {
      // counted as missing by the receiver
    }
  };
  const done = (async () => {
    for await (const event of subscription) {
      while (inFlight >= concurrency) await new Promise<void>((resolve) => (wake = resolve));
      inFlight++;
      void post(event.metadata.eventId, JSON.stringify(event)).then(() => {
        inFlight--;
        wake?.();
      });
    }
  })();
  return {
    stop: async () => {
      await subscription.close();
      await done;
      await pool.close();
    },
  };
}

async function appendAtRate(
  store: EventStore,
  count: number,
  offset: number,
  sentAt: Map<string, number>,
): Promise<number> {
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const event = call(offset + i);
    sentAt.set(event.metadata.eventId, epochNow());
    pending.push(store.appendToStream(`customer-${event.data.customerId as string}`, [event]));
  }
  await Promise.all(pending);
  return (count * 1000) / (performance.now() - started);
}

async function subscribe(engine: TestEngine, url: string, startFrom: string, maxAttempts = 10): Promise<string> {
  const response = await engine.request('admin', {
    method: 'POST',
    url: '/webhooks',
    payload: { url, eventTypes: ['CallLogged'], startFrom, maxAttempts },
  });
  if (response.statusCode !== 201) throw new Error(`subscription refused: ${response.body}`);
  return (response.json() as { webhook: { id: string } }).webhook.id;
}

const latencies = (sentAt: Map<string, number>, receiver: Receiver): number[] =>
  [...sentAt].flatMap(([id, t0]) => (receiver.arrived.has(id) ? [receiver.arrived.get(id)! - t0] : []));

/** The engine the webhook scenarios deliver from: durable as in production, no clock-driven jobs. */
const startEngine = (workDir: string): Promise<TestEngine> =>
  startTestEngine({
    DATA_DIR: workDir,
    SQLITE_SYNCHRONOUS: 'NORMAL',
    SCORING_INTERVAL_SECONDS: '0',
    DEADLINE_WATCH_INTERVAL_SECONDS: '0',
  });

export const webhookDelivery: Scenario = {
  name: 'webhook.delivery',
  async run(workDir: string): Promise<ScenarioResult> {
    const receiver = await Receiver.start();
    const engine = await startEngine(workDir);
    const store = engine.app.get<EventStore>(EVENT_STORE);
    try {
      // Baseline: the bare forwarder, same appends, same receiver (after a warm-up of both sides).
      const bare = bareForwarder(store, receiver.url, await store.headPosition(), CONCURRENCY);
      await appendAtRate(store, 500, 10 * APPENDS, new Map());
      await sleep(500);
      const bareSent = new Map<string, number>();
      await appendAtRate(store, APPENDS, 0, bareSent);
      await receiver.until(bareSent.keys(), 30_000);
      await bare.stop();
      const baseline = latencies(bareSent, receiver);

      // The figure: a webhook subscription (signed, logged, checkpointed).
      const sent = new Map<string, number>();
      await subscribe(engine, receiver.url, 'now');
      const rate = await appendAtRate(store, APPENDS, APPENDS, sent);
      const missing = await receiver.until(sent.keys(), 60_000);
      const figure = latencies(sent, receiver);
      return {
        value: Number(percentile(figure, 99).toFixed(2)),
        unit: 'ms',
        baseline: Number(percentile(baseline, 99).toFixed(2)),
        baselineLabel:
          'append-to-receiver p99 of a bare forwarder (subscribeToAll → unsigned POST over undici, no log, no checkpoint), same appends, same receiver',
        target: '< 100 ms at 500 appends/s',
        extra: {
          appends: APPENDS,
          achievedRate: Math.round(rate),
          delivered: figure.length,
          missing,
          p50_ms: percentile(figure, 50).toFixed(2),
          baseline_p50_ms: percentile(baseline, 50).toFixed(2),
        },
      };
    } finally {
      await engine.close();
      receiver.stop();
    }
  },
};

export const webhookThroughput: Scenario = {
  name: 'webhook.throughput',
  async run(workDir: string): Promise<ScenarioResult> {
    const receiver = await Receiver.start();
    const engine = await startEngine(workDir);
    const store = engine.app.get<EventStore>(EVENT_STORE);
    try {
      // A backlog of BACKLOG events over 1,000 customers, written in per-customer batches.
      const ids: string[] = [];
      for (let start = 0; start < BACKLOG; start += CUSTOMERS * 10) {
        const byCustomer = new Map<string, EventToAppend[]>();
        for (let n = start; n < Math.min(BACKLOG, start + CUSTOMERS * 10); n++) {
          const event = call(n);
          ids.push(event.metadata.eventId);
          const stream = `customer-${event.data.customerId as string}`;
          byCustomer.set(stream, [...(byCustomer.get(stream) ?? []), event]);
        }
        await Promise.all([...byCustomer].map(([stream, events]) => store.appendToStream(stream, events)));
      }

      // Baseline: the bare forwarder over the same backlog, as many requests in flight.
      let t0 = performance.now();
      const bare = bareForwarder(store, receiver.url, 0, CONCURRENCY);
      await receiver.until(ids, 300_000);
      const baseline = (BACKLOG * 1000) / (performance.now() - t0);
      await bare.stop();
      receiver.arrived.clear();

      t0 = performance.now();
      const id = await subscribe(engine, receiver.url, 'beginning', 20);
      const missing = await receiver.until(ids, 300_000);
      const rate = (BACKLOG * 1000) / (performance.now() - t0);

      // Outage: the receiver is down for OUTAGE_SECONDS while appends go on at 500/s; then it comes back.
      await receiver.set('down');
      const outageSent = new Map<string, number>();
      await appendAtRate(store, OUTAGE_SECONDS * RATE, BACKLOG, outageSent);
      const upAt = performance.now();
      await receiver.set('up');
      const lost = await receiver.until(outageSent.keys(), 300_000);
      const drainMs = performance.now() - upAt;
      const status = (await engine.request('admin', { method: 'GET', url: `/webhooks/${id}` })).json() as {
        delivery: { parked: number };
      };
      return {
        value: Math.round(rate),
        unit: 'per_second',
        baseline: Math.round(baseline),
        baselineLabel: `bare forwarder over the same backlog (${CONCURRENCY} unsigned POSTs in flight over undici, no log, no checkpoint), same receiver`,
        target: '>= 5,000 deliveries/s; after a 30 s outage the backlog drains without loss',
        extra: {
          backlog: BACKLOG,
          missing,
          outage_s: OUTAGE_SECONDS,
          outage_backlog: outageSent.size,
          drain_after_up_ms: Math.round(drainMs),
          outage_lost: lost,
          parked: status.delivery.parked,
        },
      };
    } finally {
      await engine.close();
      receiver.stop();
    }
  },
};
