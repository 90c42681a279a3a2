// One projector worker of projection.rebuild.workers: its own event-store and read-store connections,
// a ProjectionRunner with customer-profile split into `count` partitions, running the partitions it is
// given under their leases (the runner path the engine's workers take with PROJECTION_PARTITIONS).
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@rapport/event-store';
import { projectionLease, ProjectionRunner } from '@rapport/projection-engine';
import { passThroughDecoder } from '@rapport/projection-engine/testing/history';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import { SqliteReadStore } from '@rapport/read-store/sqlite';

export interface RebuildPartitionData {
  eventsFile: string;
  readsFile: string;
  workerId: string;
  /** Partitions of the projection (1: whole). */
  count: number;
  /** The partitions this worker runs. */
  indexes: number[];
  batchSize: number;
}

async function main(): Promise<void> {
  const data = workerData as RebuildPartitionData;
  const eventStore = new SqliteEventStore({ path: data.eventsFile, pageSize: data.batchSize });
  const readStore = new SqliteReadStore({ filename: data.readsFile });
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    decoder: passThroughDecoder,
    projections: [customerProfileProjection],
    partitions: data.count,
    batchSize: data.batchSize,
  });
  const units = runner.units();
  for (const index of data.indexes) {
    const unit = units[index]!;
    const grant = await readStore.acquireLease(projectionLease(unit), data.workerId, 600_000, Date.now());
    if (!grant) throw new Error(`lease of ${unit} not granted`);
    await runner.startProjection(unit, { fence: { lease: grant.name, token: grant.token } });
  }
  parentPort?.postMessage({ started: data.indexes.map((i) => units[i]) });
  parentPort?.once('message', () => {
    void (async () => {
      await runner.stop();
      await readStore.close();
      await eventStore.close();
      parentPort?.postMessage({ stopped: true });
    })();
  });
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ error: String((error as Error).stack ?? error) });
});
