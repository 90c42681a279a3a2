// One share of a partitioned rebuild (projection.rebuild.workers): its own connections to the event
// store and the read store, the customer streams of one partition folded and written.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@rapport/event-store';
import { silentLogger } from '@rapport/projection-engine';
import { buildPerCustomer } from '@rapport/projection-engine/runner/per-customer-build';
import { passThroughDecoder } from '@rapport/projection-engine/testing/history';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import { SqliteReadStore } from '@rapport/read-store/sqlite';

export interface RebuildShareData {
  eventsFile: string;
  readsFile: string;
  collection: string;
  head: number;
  index: number;
  count: number;
  batchSize: number;
}

async function main(): Promise<void> {
  const data = workerData as RebuildShareData;
  const eventStore = new SqliteEventStore({ path: data.eventsFile, pageSize: data.batchSize });
  const readStore = new SqliteReadStore({ filename: data.readsFile });
  let events = 0;
  await buildPerCustomer(
    {
      eventStore,
      readStore,
      decoder: passThroughDecoder,
      batchSize: data.batchSize,
      shadowFlushEvents: 1_000_000,
      rebuild: { maxCachedDocs: 200_000, perCustomer: true },
      retry: { attempts: 3, baseDelayMs: 50 },
      clock: Date.now,
      logger: silentLogger,
      onParked: () => undefined,
    },
    customerProfileProjection,
    data.collection,
    { stopped: () => false, progressed: (read) => (events = read) },
    { partition: { count: data.count, index: data.index }, head: data.head },
  );
  await readStore.close();
  await eventStore.close();
  parentPort?.postMessage({ events });
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ error: String((error as Error).stack ?? error) });
});
