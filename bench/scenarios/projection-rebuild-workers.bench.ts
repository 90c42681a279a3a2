// projection.rebuild.workers: customer-profile rebuilt by two worker threads, each building one
// customer-hash partition through its own connections, then one checkpoint and the indexes; against
// the one-worker rebuild (the runner's) of the same fixture in the same run. BENCH_SCALE as projection.rebuild.
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '@rapport/event-store';
import { ProjectionRunner, type Projection } from '@rapport/projection-engine';
import { passThroughDecoder } from '@rapport/projection-engine/testing/history';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import type { Doc } from '@rapport/read-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import type { Scenario, ScenarioResult } from '../scenario';
import { writeFixture } from './projection.bench';
import type { RebuildShareData } from './rebuild-share.thread';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const WORKERS = Number(process.env.BENCH_REBUILD_WORKERS ?? 2);
const projection: Projection = customerProfileProjection;
const THREAD_FILE = join(__dirname, `rebuild-share.thread${extname(__filename)}`);
const BATCH = 5000;

function share(data: RebuildShareData): Promise<number> {
  const execArgv = THREAD_FILE.endsWith('.ts') ? [...process.execArgv, '-r', '@swc-node/register'] : undefined;
  const thread = new Worker(THREAD_FILE, { workerData: data, execArgv });
  return new Promise((resolve, reject) => {
    thread.once('message', (reply: { events?: number; error?: string }) => {
      if (reply.error !== undefined) reject(new Error(reply.error));
      else resolve(reply.events ?? 0);
      void thread.terminate();
    });
    thread.once('error', reject);
  });
}

async function docsOf(store: SqliteReadStore, collection: string): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  for await (const doc of store.scan<Doc>(collection, 5000)) docs.set(doc.id, JSON.stringify(doc));
  return docs;
}

export const projectionRebuildWorkers: Scenario = {
  name: 'projection.rebuild.workers',
  async run(workDir: string): Promise<ScenarioResult> {
    const customers = Math.max(100, Math.round(100_000 * scale));
    const eventsFile = join(workDir, 'events.db');
    const total = writeFixture(eventsFile, customers, 10);
    const events = new SqliteEventStore({ path: eventsFile, pageSize: BATCH });

    // One worker: the runner's rebuild.
    const one = new SqliteReadStore({ filename: join(workDir, 'reads-one.db') });
    const runner = new ProjectionRunner({
      eventStore: events,
      readStore: one,
      decoder: passThroughDecoder,
      projections: [projection],
      batchSize: BATCH,
    });
    let t = performance.now();
    await runner.rebuild(projection.name);
    const oneSeconds = (performance.now() - t) / 1000;

    // Several workers: each its own partition and connections; then the checkpoint and the indexes.
    const readsFile = join(workDir, 'reads-many.db');
    const many = new SqliteReadStore({ filename: readsFile });
    const collection = 'customer-profile_partitioned';
    await many.ensureCollection({ name: collection, indexes: projection.indexes, deferIndexes: true });
    const head = await events.headPosition();
    t = performance.now();
    const cpu = process.cpuUsage();
    const counts = await Promise.all(
      Array.from({ length: WORKERS }, (_, index) =>
        share({ eventsFile, readsFile, collection, head, index, count: WORKERS, batchSize: BATCH }),
      ),
    );
    await many.commit([], { name: collection, position: head });
    await many.ensureCollection({ name: collection, indexes: projection.indexes });
    const manySeconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);

    // The partitioned build must equal the one-worker build, document for document.
    const expected = await docsOf(one, runner.liveCollection(projection.name));
    const built = await docsOf(many, collection);
    const differing = [...expected].filter(([id, doc]) => built.get(id) !== doc).length;
    if (differing > 0 || built.size !== expected.size)
      throw new Error(`partitioned build differs: ${differing} documents, ${built.size} vs ${expected.size}`);
    await Promise.all([one.close(), many.close(), events.close()]);
    return {
      value: Math.round(total / manySeconds),
      unit: 'per_second',
      baseline: Math.round(total / oneSeconds),
      baselineLabel: 'one worker (the runner rebuild) events per second, same fixture, same run',
      target: 'report what two cores allow',
      extra: {
        events: total,
        customers,
        workers: WORKERS,
        eventsPerWorker: counts.join('/'),
        seconds: Number(manySeconds.toFixed(2)),
        oneWorkerSeconds: Number(oneSeconds.toFixed(2)),
        cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
      },
    };
  },
};
