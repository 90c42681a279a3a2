// decide.load10k: load a customer with 10,000 events (read, upcast, fold) and decide one command, as a
// command handler does when the customer is not in memory (fresh process, evicted cache): the persisted
// snapshot lags the stream by as much as the engine ever lets it (PERSIST_SNAPSHOT_EVERY - 1 events).
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { customerStreamId, decide } from '@rapport/domain';
import { SqliteEventStore, type EventToAppend } from '@rapport/event-store';
import { CustomerStreamLoader, PERSIST_SNAPSHOT_EVERY, SnapshotStore } from '@rapport/application';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import type { Scenario } from '../scenario';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const EVENTS = Math.max(100, Math.round(10_000 * scale));
const RUNS = 15;
/** The worst tail a running engine leaves after its last persisted snapshot. */
const TAIL = Math.min(PERSIST_SNAPSHOT_EVERY - 1, Math.floor(EVENTS / 2));

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function history(customerId: string, count: number): EventToAppend[] {
  const meta = (i: number) => ({
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    occurredAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
    recordedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
    actor: { id: 'bench', role: 'agent' },
    channel: 'web',
    correlationId: 'bench',
    causationId: null,
    schemaVersion: 1,
  });
  const events: EventToAppend[] = [
    {
      type: 'CustomerRegistered',
      data: {
        customerId,
        name: 'x',
        acquisitionChannel: 'web',
        acquisitionCost: 1,
        region: 'r',
        city: 'c',
        demographics: {},
      },
      metadata: meta(0),
    },
  ];
  for (let i = 1; i < count; i++) {
    const kind = i % 4;
    const data =
      kind === 0
        ? {
            customerId,
            callId: `call-${i}`,
            direction: 'inbound',
            durationSeconds: 60,
            agentId: 'a',
            topic: 't',
            outcome: 'resolved',
          }
        : kind === 1
          ? {
              customerId,
              orderId: `o-${i}`,
              lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
              total: 10,
              currency: 'CNY',
            }
          : kind === 2
            ? {
                customerId,
                promiseId: `p-${i}`,
                description: 'pd:v1:xxxx',
                dueAt: new Date(Date.UTC(2030, 0, 1)).toISOString(),
                madeBy: 'a',
                withinPolicy: true,
              }
            : { customerId, surveyId: `s-${i}`, kind: 'nps', score: 7 };
    const type = ['CallLogged', 'PurchaseRecorded', 'PromiseMade', 'SurveyResponded'][kind] as string;
    events.push({ type, data, metadata: { ...meta(i), schemaVersion: type === 'CallLogged' ? 2 : 1 } });
  }
  return events;
}

export const decideLoad10k: Scenario = {
  name: 'decide.load10k',
  async run(workDir) {
    const path = join(workDir, 'events.sqlite');
    const streamId = customerStreamId('big');
    const writer = new SqliteEventStore({ path, synchronous: 'NORMAL' });
    const events = history('big', EVENTS);
    const beforeSnapshot = events.slice(0, EVENTS - TAIL);
    for (let i = 0; i < beforeSnapshot.length; i += 500)
      await writer.appendToStream(streamId, beforeSnapshot.slice(i, i + 500));
    await writer.close();

    const store = new SqliteEventStore({ path });
    const readStore = new SqliteReadStore({ filename: join(workDir, 'read-models.sqlite') });
    const snapshots = new SnapshotStore(readStore);
    // The engine's loader folds everything once and persists a snapshot; then the tail is appended.
    await new CustomerStreamLoader(store, snapshots).load(streamId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const persisted = await snapshots.get(streamId);
    if (persisted?.revision !== EVENTS - TAIL - 1)
      throw new Error(`snapshot at ${persisted?.revision}, expected ${EVENTS - TAIL - 1}`);
    await store.appendToStream(streamId, events.slice(EVENTS - TAIL));
    const snapshotBytes = JSON.stringify(persisted).length;

    const command = {
      type: 'RecordPurchase' as const,
      customerId: 'big',
      occurredAt: new Date(Date.UTC(2031, 0, 1)).toISOString(),
      orderId: 'o-new',
      lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
      total: 10,
      currency: 'CNY',
    };
    const cold: number[] = [];
    const warm: number[] = [];
    const raw: number[] = [];
    const fullFold: number[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      decide(command, (await new CustomerStreamLoader(store).load(streamId)).state);
      fullFold.push(performance.now() - start);
    }
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now();
      let count = 0;
      for await (const _ of store.readStream(streamId)) count++;
      raw.push(performance.now() - start);
      if (count !== EVENTS) throw new Error(`read ${count} events, expected ${EVENTS}`);

      // A fresh loader: nothing in memory, the persisted snapshot plus the tail after it.
      const loader = new CustomerStreamLoader(store, snapshots);
      start = performance.now();
      const snapshot = await loader.load(streamId);
      decide(command, snapshot.state);
      cold.push(performance.now() - start);
      if (snapshot.revision !== EVENTS - 1)
        throw new Error(`loaded revision ${snapshot.revision}, expected ${EVENTS - 1}`);

      start = performance.now();
      decide(command, (await loader.load(streamId)).state);
      warm.push(performance.now() - start);
    }
    await store.close();
    await readStore.close();
    const coldMs = median(cold);
    return {
      value: Number(coldMs.toFixed(2)),
      unit: 'ms',
      baseline: Number(median(raw).toFixed(2)),
      baselineLabel: `readStream of all ${EVENTS} events alone (no upcast, no fold), same store, same run`,
      target: '< 20 ms',
      extra: {
        events: EVENTS,
        tailAfterSnapshot: TAIL,
        snapshotBytes,
        coldLoadWithPersistedSnapshotMs: Number(coldMs.toFixed(2)),
        firstColdLoadMs: Number((cold[0] ?? 0).toFixed(2)),
        slowestColdLoadMs: Number(Math.max(...cold).toFixed(2)),
        fullFoldWithoutSnapshotMs: Number(median(fullFold).toFixed(2)),
        cachedSnapshotLoadMs: Number(median(warm).toFixed(3)),
        runs: RUNS,
      },
    };
  },
};
