// Streams scenario (issue 7): append-to-SSE-delivery latency at 500 appends/s through a listening
// engine, against append-to-subscribeToAll delivery in the same process, same appends, same run.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/src';
import { startTestEngine } from '../../apps/engine/test/engine-test-app';
import { callLogged, percentile } from '../bench-helpers';
import type { Scenario, ScenarioResult } from '../scenario';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RATE = 500;
const APPENDS = Math.max(250, Math.round(5000 * SCALE));

/** Reads SSE frames until APPENDS latencies (append to frame) are in `sse` or the stream ends. */
async function readSseLatencies(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  sentAt: ReadonlyMap<string, number>,
  sse: number[],
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  while (sse.length < APPENDS) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      if (!data) continue;
      const t0 = sentAt.get(JSON.parse(data.slice(6)).metadata.eventId);
      if (t0 !== undefined) sse.push(performance.now() - t0);
    }
  }
}

/** APPENDS appends at RATE per second, each one's send time in `sentAt`; returns the rate achieved. */
async function appendAtRate(store: EventStore, sentAt: Map<string, number>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const eventId = randomUUID();
    sentAt.set(eventId, performance.now());
    void store.appendToStream(`customer-c${i % 100}`, [callLogged(`c${i % 100}`, i, eventId)]);
  }
  return (APPENDS * 1000) / (performance.now() - started);
}

export const sseLatency: Scenario = {
  name: 'sse.latency',
  async run(workDir: string): Promise<ScenarioResult> {
    const engine = await startTestEngine({ DATA_DIR: workDir, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await engine.app.listen(0, '127.0.0.1');
    const { port } = engine.app.getHttpServer().address() as { port: number };
    const store = engine.app.get<EventStore>(EVENT_STORE);
    const sentAt = new Map<string, number>();
    const sse: number[] = [];
    const direct: number[] = [];

    // Baseline: the store's own subscription in this process.
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['customer-'] } });
    const baseline = (async () => {
      for await (const event of subscription) {
        const t0 = sentAt.get(event.metadata.eventId);
        if (t0 !== undefined) direct.push(performance.now() - t0);
        if (direct.length === APPENDS) break;
      }
    })();

    // The figure: a real HTTP client reading the SSE stream as a subscriber.
    const response = await fetch(`http://127.0.0.1:${port}/streams/all`, {
      headers: { authorization: `Bearer ${engine.keys.subscriber}` },
    });
    const reader = response.body!.getReader();
    const client = readSseLatencies(reader, sentAt, sse);

    const rate = await appendAtRate(store, sentAt);
    await Promise.race([Promise.all([client, baseline]), sleep(30_000)]);
    await reader.cancel();
    await subscription.close();
    await engine.close();
    return {
      value: percentile(sse, 99),
      unit: 'ms',
      baseline: percentile(direct, 99),
      baselineLabel: 'append-to-subscribeToAll delivery p99, same process, same appends',
      target: '< 50 ms at 500 appends/s',
      extra: {
        appends: APPENDS,
        achievedRate: Math.round(rate),
        delivered: sse.length,
        p50_ms: percentile(sse, 50).toFixed(2),
        baseline_p50_ms: percentile(direct, 50).toFixed(2),
      },
    };
  },
};
