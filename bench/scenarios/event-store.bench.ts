// Event store scenarios (issue 2): appends against raw better-sqlite3 one-row transactions into a
// table of the same shape with the same `synchronous` setting, and readAll of 1M events.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite/sqlite-event-store';
import type { EventToAppend } from '../../libs/event-store/src/event-store.port';
import type { Scenario, ScenarioResult } from '../scenario';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SYNCHRONOUS = 'FULL' as const;
const CUSTOMERS = 1000;

const touchpoint = (i: number): EventToAppend => ({
  type: 'CallLogged',
  data: { direction: 'inbound', channel: 'phone', durationSeconds: 120 + (i % 600), topic: 'billing', outcome: 'resolved' },
  metadata: { eventId: randomUUID(), occurredAt: '2024-05-01T10:00:00.000Z', actor: { id: 'agent-7', role: 'agent' }, channel: 'phone' },
});

/** Raw better-sqlite3: one INSERT per transaction into a table shaped like the store's events table. */
function openRaw(path: string): { run(count: number): number; close(): void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
    event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL);
    CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);
    CREATE UNIQUE INDEX events_event_id ON events (event_id);`);
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  let next = 0;
  const one = db.transaction((i: number) => {
    const e = touchpoint(i);
    insert.run(`customer-${i % CUSTOMERS}`, Math.floor(i / CUSTOMERS), e.metadata.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
  });
  return {
    /** Milliseconds taken by `count` one-row transactions. */
    run(count) {
      const started = performance.now();
      for (let k = 0; k < count; k++) one(next++);
      return performance.now() - started;
    },
    close: () => db.close(),
  };
}

/**
 * The disk's fsync rate drifts while other work runs, so store and baseline are measured in
 * alternating rounds and each rate is total work over total time.
 */
async function interleaved(
  workDir: string,
  rounds: number,
  rawPerRound: number,
  storeRound: (store: SqliteEventStore, round: number) => Promise<number>,
): Promise<{ value: number; baseline: number; appends: number }> {
  const raw = openRaw(join(workDir, 'raw.db'));
  const store = new SqliteEventStore({ path: join(workDir, 'store.db'), synchronous: SYNCHRONOUS });
  let rawMs = 0;
  let storeMs = 0;
  let appends = 0;
  for (let round = 0; round < rounds; round++) {
    rawMs += raw.run(rawPerRound);
    const started = performance.now();
    appends += await storeRound(store, round);
    storeMs += performance.now() - started;
  }
  raw.close();
  await store.close();
  return { value: appends / (storeMs / 1000), baseline: (rounds * rawPerRound) / (rawMs / 1000), appends };
}

export const appendSequential: Scenario = {
  name: 'append.sequential',
  async run(workDir): Promise<ScenarioResult> {
    const rounds = 10;
    const perRound = Math.round(300 * SCALE);
    const revisions = new Map<string, number>();
    const { value, baseline, appends } = await interleaved(workDir, rounds, perRound, async (store, round) => {
      for (let k = 0; k < perRound; k++) {
        const i = round * perRound + k;
        const streamId = `customer-${i % CUSTOMERS}`;
        const result = await store.appendToStream(streamId, [touchpoint(i)], { expectedRevision: revisions.get(streamId) ?? 'no_stream' });
        revisions.set(streamId, result.nextExpectedRevision);
      }
      return perRound;
    });
    return {
      value,
      unit: 'per_second',
      baseline,
      baselineLabel: `raw better-sqlite3 one-row transactions per second (synchronous=${SYNCHRONOUS})`,
      target: '>= 0.7 of baseline',
      extra: { appends, streams: CUSTOMERS, synchronous: SYNCHRONOUS },
    };
  },
};

export const appendConcurrent64: Scenario = {
  name: 'append.concurrent64',
  async run(workDir): Promise<ScenarioResult> {
    const writers = 64;
    const rounds = 10;
    const perWriterPerRound = Math.round(20 * SCALE);
    const revisions: Array<number | 'no_stream'> = Array.from({ length: writers }, () => 'no_stream');
    const { value, baseline, appends } = await interleaved(workDir, rounds, Math.round(300 * SCALE), async (store) => {
      await Promise.all(
        revisions.map(async (_, w) => {
          for (let i = 0; i < perWriterPerRound; i++) {
            const result = await store.appendToStream(`customer-${w}`, [touchpoint(i)], { expectedRevision: revisions[w]! });
            revisions[w] = result.nextExpectedRevision;
          }
        }),
      );
      return writers * perWriterPerRound;
    });
    return {
      value,
      unit: 'per_second',
      baseline,
      baselineLabel: `raw better-sqlite3 one-row transactions per second (synchronous=${SYNCHRONOUS})`,
      target: '>= 3 x baseline',
      extra: { appends, writers, synchronous: SYNCHRONOUS },
    };
  },
};

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export const readAll: Scenario = {
  name: 'read.all',
  async run(workDir): Promise<ScenarioResult> {
    const total = Math.round(1_000_000 * SCALE);
    const path = join(workDir, 'store.db');
    // Seed through the store itself (hash chains and all), without fsync to keep it short.
    const seeder = new SqliteEventStore({ path, synchronous: 'OFF' });
    const batch = 100;
    for (let done = 0; done < total; ) {
      const appends = [];
      for (let k = 0; k < 50 && done < total; k++, done += batch) {
        const n = Math.min(batch, total - done);
        appends.push(seeder.appendToStream(`customer-${(done / batch) % CUSTOMERS}`, Array.from({ length: n }, (_, i) => touchpoint(done + i))));
      }
      await Promise.all(appends);
      if (done % 200_000 === 0) process.stderr.write(`read.all: seeded ${done}/${total}\n`);
    }
    await seeder.close();

    const raw = new Database(path, { readonly: true });
    let rawStarted = performance.now();
    let rawCount = 0;
    for (const _row of raw.prepare('SELECT position, stream_id, revision, type, data, metadata FROM events ORDER BY position').raw().iterate()) rawCount++;
    const baseline = rawCount / ((performance.now() - rawStarted) / 1000);
    raw.close();

    const store = new SqliteEventStore({ path, synchronous: SYNCHRONOUS });
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    let count = 0;
    rawStarted = performance.now();
    for await (const event of store.readAll()) {
      count += 1;
      if (event.position !== count) throw new Error(`position ${event.position} at ${count}`);
      if (count % 10_000 === 0) {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      }
    }
    const value = count / ((performance.now() - rawStarted) / 1000);
    await store.close();
    if (count !== total) throw new Error(`read ${count} of ${total}`);
    return {
      value,
      unit: 'per_second',
      baseline,
      baselineLabel: 'raw better-sqlite3 iterate of the same rows (no JSON parse) per second',
      target: '>= 200000 events per second, bounded memory',
      extra: { events: count, rssBeforeMB: mb(before.rss), peakRssMB: mb(peakRss), heapBeforeMB: mb(before.heapUsed), peakHeapMB: mb(peakHeap) },
    };
  },
};
