// Fan-out scenario (issue 18): 1,000 SSE subscribers on /streams/all filtered to purchases while
// purchases are appended over HTTP aiming at 500/s. Figures: the append rate kept and the
// append-to-delivery p99 over every delivery; baseline: the same appends with one subscriber, same run.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/src';
import { startTestEngine, type TestEngine } from '../../apps/engine/test/engine-test-app';
import { registration } from '../../apps/engine/test/touchpoint-requests';
import type { Scenario, ScenarioResult } from '../scenario';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const RATE = 500;
const APPENDS = Math.max(1000, Math.round(5000 * SCALE));
const CUSTOMERS = 100;
const MAX_IN_FLIGHT = 32;

const epochMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

class Subscribers {
  private handlers: { kind: string; resolve: (m: Record<string, unknown>) => void }[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { kind: string }) => {
      const matching = this.handlers.filter((h) => h.kind === message.kind);
      this.handlers = this.handlers.filter((h) => h.kind !== message.kind);
      for (const h of matching) h.resolve(message);
    });
  }
  static async start(): Promise<Subscribers> {
    const child = fork(join(__dirname, '..', 'sse-subscribers.child.ts'), [], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const subscribers = new Subscribers(child);
    await subscribers.ask({ kind: 'noop' }, 'ready');
    return subscribers;
  }
  ask(message: Record<string, unknown>, reply: string): Promise<Record<string, unknown>> {
    const answer = new Promise<Record<string, unknown>>((resolve) => this.handlers.push({ kind: reply, resolve }));
    if (message.kind !== 'noop') this.child.send(message);
    return answer;
  }
  stop(): void {
    this.child.kill();
  }
}

/** Purchases over HTTP at RATE (open loop, at most MAX_IN_FLIGHT waiting); returns the rate achieved. */
async function appendPurchases(
  pool: Pool,
  key: string,
  count: number,
  tag: string,
): Promise<{ rate: number; refused: number }> {
  const started = performance.now();
  let inFlight = 0;
  let refused = 0;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= MAX_IN_FLIGHT) await Promise.race(pending);
    inFlight++;
    const body = JSON.stringify({
      orderId: `o-${epochMicros()}-${tag}${i}`,
      lines: [{ sku: 'SKU-1', category: 'books', quantity: 1, unitPrice: 10 }],
      total: 10,
      currency: 'CNY',
      occurredAt: new Date().toISOString(),
    });
    const p = pool
      .request({
        method: 'POST',
        path: `/customers/f${i % CUSTOMERS}/purchases`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      })
      .then(async (response) => {
        if (response.statusCode !== 201) refused++;
        await response.body.dump();
      })
      .finally(() => {
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  }
  await Promise.all(pending);
  return { rate: (count * 1000) / (performance.now() - started), refused };
}

function percentileOf(buckets: [number, number][], p: number): number {
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  let seen = 0;
  for (const [ms, n] of buckets) {
    seen += n;
    if (seen >= (p / 100) * total) return ms;
  }
  return buckets.at(-1)?.[0] ?? 0;
}

async function phase(
  engine: TestEngine,
  pool: Pool,
  subscribers: Subscribers,
  url: string,
  count: number,
  tag: string,
) {
  // From the head: only the appends of this phase are measured.
  const head = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
  await subscribers.ask({ kind: 'open', count, url: `${url}&from=${head}`, key: engine.keys.subscriber }, 'opened');
  await sleep(500);
  const appended = await appendPurchases(pool, engine.keys.agent, APPENDS, tag);
  await sleep(2000);
  const report = (await subscribers.ask({ kind: 'report' }, 'report')) as {
    counts: number[];
    buckets: [number, number][];
  };
  await subscribers.ask({ kind: 'close' }, 'closed');
  const delivered = report.counts.reduce((a, b) => a + b, 0);
  return {
    ...appended,
    delivered,
    expected: count * APPENDS,
    p50: percentileOf(report.buckets, 50),
    p99: percentileOf(report.buckets, 99),
  };
}

export const sseFanout: Scenario = {
  name: 'sse.fanout',
  async run(workDir: string): Promise<ScenarioResult> {
    const engine = await startTestEngine({
      DATA_DIR: workDir,
      SQLITE_SYNCHRONOUS: 'NORMAL',
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'silent',
    });
    await engine.app.listen(0, '127.0.0.1');
    const { port } = engine.app.getHttpServer().address() as { port: number };
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: MAX_IN_FLIGHT });
    const subscribers = await Subscribers.start();
    try {
      for (let c = 0; c < CUSTOMERS; c++)
        await engine.request('agent', { method: 'POST', url: '/customers', payload: registration(`f${c}`) });
      const url = `http://127.0.0.1:${port}/streams/all?types=PurchaseRecorded`;
      const one = await phase(engine, pool, subscribers, url, 1, 'a');
      const many = await phase(engine, pool, subscribers, url, SUBSCRIBERS, 'b');
      return {
        value: many.p99,
        unit: 'ms',
        baseline: one.p99,
        baselineLabel: 'append-to-delivery p99 with one subscriber, same appends over HTTP, same run',
        target: `< 100 ms p99 with ${SUBSCRIBERS} subscribers; appends keep 500/s`,
        extra: {
          subscribers: SUBSCRIBERS,
          appends: APPENDS,
          append_rate: Math.round(many.rate),
          baseline_append_rate: Math.round(one.rate),
          delivered: many.delivered,
          expected: many.expected,
          refused: many.refused,
          p50_ms: many.p50,
          baseline_p50_ms: one.p50,
        },
      };
    } finally {
      subscribers.stop();
      await pool.close();
      await engine.close();
    }
  },
};
