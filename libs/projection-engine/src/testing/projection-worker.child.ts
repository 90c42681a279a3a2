// A projector worker as its own process, for the worker tests and the failover benchmark: runs the
// shared projections it holds leases for (ProjectionCoordinator + ProjectionRunner) on a SQLite
// event store file and a lease test store (split into partitions when asked), and reports to its parent over IPC what it owns and
// every fenced commit it tried (landed or refused). `stop` ends it gracefully (leases released).
import { SqliteEventStore } from '@rapport/event-store';
import { LeaseFencedError, type ReadStore } from '@rapport/read-store';
import { openLeaseTestStore } from '@rapport/read-store/testing/lease-test-store';
import { ProjectionCoordinator } from '../ownership/projection-coordinator';
import { ProjectionRunner } from '../runner/projection-runner';
import { passThroughDecoder } from './history';
import { WORKER_PROJECTIONS } from './worker-projections';

export type WorkerReport =
  | { kind: 'state'; at: number; leader: boolean; owned: { projection: string; token: number }[] }
  | {
      kind: 'commit';
      lease: string;
      token: number;
      checkpoint: number | null;
      /** The checkpoint's name: a partition's own (`<collection>#i/n`) or the collection's. */
      checkpointName: string | null;
      landed: boolean;
      startedAt: number;
      endedAt: number;
    };

const send = (report: WorkerReport): void => void process.send?.(report);

/** The store as this worker uses it, reporting each fenced commit and whether the fence let it land. */
function reporting(store: ReadStore): ReadStore {
  const commit: ReadStore['commit'] = async (changes, checkpoint, fence) => {
    const startedAt = Date.now();
    try {
      await store.commit(changes, checkpoint, fence);
      if (fence && checkpoint)
        send({
          kind: 'commit',
          ...fence,
          token: fence.token,
          checkpoint: checkpoint.position,
          checkpointName: checkpoint.name,
          landed: true,
          startedAt,
          endedAt: Date.now(),
        });
    } catch (error) {
      if (fence && error instanceof LeaseFencedError)
        send({
          kind: 'commit',
          ...fence,
          checkpoint: checkpoint?.position ?? null,
          checkpointName: checkpoint?.name ?? null,
          landed: false,
          startedAt,
          endedAt: Date.now(),
        });
      throw error;
    }
  };
  return new Proxy(store, {
    get: (target, property) => {
      if (property === 'commit') return commit;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function main(): Promise<void> {
  const [eventsFile, readSpec, workerId, leaseMs, partitions = '1'] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string?,
  ];
  const eventStore = new SqliteEventStore({ path: eventsFile, pollIntervalMs: 20 });
  const { store, close } = await openLeaseTestStore(readSpec);
  const readStore = reporting(store);
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    decoder: passThroughDecoder,
    projections: [...WORKER_PROJECTIONS],
    partitions: Number(partitions),
    recordPollMs: 100,
    batchSize: 200,
  });
  const coordinator = new ProjectionCoordinator({
    readStore,
    host: runner,
    projections: runner.units(),
    workerId,
    leaseMs: Number(leaseMs),
    leader: true,
  });
  await coordinator.start();
  const report = (): void => {
    const { owned, leader } = coordinator.ownership();
    send({
      kind: 'state',
      at: Date.now(),
      leader,
      owned: owned.map(({ projection, token }) => ({ projection, token })),
    });
  };
  report();
  const timer = setInterval(report, 50);
  process.on('message', (message) => {
    if (message !== 'stop') return;
    clearInterval(timer);
    void (async () => {
      await coordinator.stop();
      await runner.stop();
      await close();
      await eventStore.close();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
