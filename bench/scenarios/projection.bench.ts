// projection.rebuild: customer-profile rebuilt from 1M events / 100k customers on SQLite, against raw
// readAll throughput of the same store. projection.latency: append-to-visible p99 in the live model
// at 500 appends/s, against append-to-subscription-delivery. BENCH_SCALE shrinks both.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@rapport/event-store';
import { ProjectionRunner, type Projection } from '@rapport/projection-engine';
import { makeEvent, passThroughDecoder } from '@rapport/projection-engine/testing/history';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { percentile } from '../bench-helpers';
import type { Scenario, ScenarioResult } from '../scenario';
import { DAY_MS } from '@rapport/domain';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const projection: Projection = customerProfileProjection;
const TYPES = [
  'PurchaseRecorded',
  'CallLogged',
  'SurveyResponded',
  'PromiseMade',
  'ComplaintFiled',
  'PromiseKept',
  'ComplaintResolved',
] as const;
const CHANNELS = ['phone', 'email', 'wechat', 'web', 'store'];

/** Writes the fixture with raw inserts (the decider and hash chain are not what is measured). */
export function writeFixture(file: string, customers: number, perCustomer: number): number {
  new SqliteEventStore({ path: file }).close(); // creates the schema
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const stream = db.prepare('INSERT INTO streams (stream_id, revision, hash) VALUES (?, ?, ?)');
  const hash = '0'.repeat(64);
  let position = 0;
  const base = Date.UTC(2024, 0, 1);
  db.transaction(() => {
    for (let revision = 0; revision < perCustomer; revision++) {
      for (let c = 0; c < customers; c++) {
        const customerId = `c${c}`;
        const at = new Date(base + revision * DAY_MS + c * 1000).toISOString();
        const channel = CHANNELS[(c + revision) % CHANNELS.length];
        const type = revision === 0 ? 'CustomerRegistered' : TYPES[(c * 7 + revision) % TYPES.length]!;
        const id = `${customerId}-${revision}`;
        const data =
          type === 'CustomerRegistered'
            ? {
                customerId,
                name: 'enc',
                acquisitionChannel: channel,
                acquisitionCost: 10,
                region: `r${c % 8}`,
                city: `city${c % 50}`,
                demographics: { ageBand: '30s' },
              }
            : {
                customerId,
                orderId: id,
                callId: id,
                surveyId: id,
                promiseId: `${customerId}-p`,
                complaintId: `${customerId}-k`,
                total: 10,
                kind: 'nps',
                score: 7,
              };
        const metadata = {
          eventId: randomUUID(),
          occurredAt: at,
          recordedAt: at,
          actor: { id: 'bench', role: 'system' },
          channel,
          correlationId: id,
          causationId: null,
          schemaVersion: 1,
          prevHash: hash,
          hash,
        };
        insert.run(
          ++position,
          `customer-${customerId}`,
          revision,
          metadata.eventId,
          type,
          JSON.stringify(data),
          JSON.stringify(metadata),
        );
      }
    }
    for (let c = 0; c < customers; c++) stream.run(`customer-c${c}`, perCustomer - 1, hash);
  })();
  db.close();
  return position;
}

function memorySampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;
    },
  };
}

export const projectionRebuild: Scenario = {
  name: 'projection.rebuild',
  async run(workDir: string): Promise<ScenarioResult> {
    const customers = Math.max(100, Math.round(100_000 * scale));
    const eventsFile = join(workDir, 'events.db');
    const total = writeFixture(eventsFile, customers, 10);
    const events = new SqliteEventStore({ path: eventsFile, pageSize: 5000 });

    let t = performance.now();
    let read = 0;
    for await (const _ of events.readAll()) read++;
    const rawRate = read / ((performance.now() - t) / 1000);

    const reads = new SqliteReadStore({ filename: join(workDir, 'reads.db') });
    let lastShown = 0;
    const runner = new ProjectionRunner({
      eventStore: events,
      readStore: reads,
      decoder: passThroughDecoder,
      projections: [projection],
      batchSize: 5000,
      // BENCH_REBUILD_ORDER=global: the global-order build (documents cached up to 200,000, then evicted), for comparison.
      rebuild: { perCustomer: process.env.BENCH_REBUILD_ORDER !== 'global' },
      onProgress: (p) => {
        if (p.processed - lastShown >= total / 10) {
          lastShown = p.processed;
          process.stderr.write(`projection.rebuild: ${p.processed}/${total}\n`);
        }
      },
    });
    const memory = memorySampler();
    t = performance.now();
    const cpu = process.cpuUsage();
    await runner.rebuild(projection.name);
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const peakMb = memory.stop();
    const documents = await reads.count(runner.liveCollection(projection.name));
    await reads.close();
    await events.close();
    return {
      value: Math.round(total / seconds),
      unit: 'per_second',
      baseline: Math.round(rawRate),
      baselineLabel: 'raw readAll events per second from the same SQLite store',
      target: '>= 50000 events/s, peak RSS < 1024 MB',
      extra: {
        events: total,
        customers,
        documents,
        seconds: Number(seconds.toFixed(2)),
        cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
        peakRssMb: Math.round(peakMb),
        order: process.env.BENCH_REBUILD_ORDER === 'global' ? 'global' : 'per-customer',
      },
    };
  },
};

/** The live scenario's i-th event: the first 200 register their customers, the rest log calls. */
function liveEvent(i: number, customerId: string) {
  return i < 200
    ? makeEvent(
        'CustomerRegistered',
        {
          customerId,
          name: 'enc',
          acquisitionChannel: 'web',
          acquisitionCost: 1,
          region: 'r',
          city: 'c',
          demographics: {},
        },
        new Date(),
      )
    : makeEvent(
        'CallLogged',
        {
          customerId,
          callId: `k${i}`,
          direction: 'inbound',
          durationSeconds: 1,
          agentId: 'a',
          topic: 't',
          outcome: 'resolved',
        },
        new Date(),
        'phone',
      );
}

export const projectionLatency: Scenario = {
  name: 'projection.latency',
  async run(workDir: string): Promise<ScenarioResult> {
    const appends = Math.max(200, Math.round(5000 * scale));
    const rate = 500;
    const events = new SqliteEventStore({ path: join(workDir, 'events.db') });
    const reads = new SqliteReadStore({ filename: join(workDir, 'reads.db') });
    const runner = new ProjectionRunner({
      eventStore: events,
      readStore: reads,
      decoder: passThroughDecoder,
      projections: [projection],
      batchSize: 500,
    });
    await runner.start();

    const appendedAt = new Map<number, number>();
    const delivered: number[] = [];
    const subscription = events.subscribeToAll({ fromPosition: await events.headPosition() });
    const watcher = (async () => {
      for await (const event of subscription) {
        const start = appendedAt.get(event.position);
        if (start !== undefined) delivered.push(performance.now() - start);
      }
    })();

    const visible: number[] = [];
    const waits: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < appends; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const customerId = `live${i % 200}`;
      const event = liveEvent(i, customerId);
      const t0 = performance.now();
      const append = events.appendToStream(`customer-${customerId}`, [event]).then(async ({ position }) => {
        appendedAt.set(position, t0);
        await runner.waitFor(projection.name, position, 10_000);
        visible.push(performance.now() - t0);
      });
      waits.push(append);
    }
    await Promise.all(waits);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await subscription.close();
    await watcher;
    await runner.stop();
    await reads.close();
    await events.close();
    return {
      value: Number(percentile(visible, 99).toFixed(2)),
      unit: 'ms',
      baseline: Number(percentile(delivered, 99).toFixed(2)),
      baselineLabel: 'append-to-subscription-delivery p99 (ms), same store, same run',
      target: 'p99 < 100 ms at 500 appends/s',
      extra: {
        appends,
        p50: Number(percentile(visible, 50).toFixed(2)),
        baselineP50: Number(percentile(delivered, 50).toFixed(2)),
        delivered: delivered.length,
      },
    };
  },
};
