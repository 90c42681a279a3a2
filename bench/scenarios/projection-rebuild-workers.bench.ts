// projection.rebuild.workers: customer-profile rebuilt (a new version beside the live one) by two
// projector workers (threads), each running one of its two customer-hash partitions through the runner
// (PROJECTION_PARTITIONS=2: each partition's share of the per-customer build into the shadow collection,
// its own checkpoint, its writes fenced by its lease; the switch once both are built), against one
// worker rebuilding it whole through the same runner path, same fixture, same run. Timed from the
// workers' start to the switch. BENCH_SCALE as projection.rebuild.
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '@rapport/event-store';
import { metaKeyOf, readRecord, type ProjectionRecord } from '@rapport/projection-engine';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import type { Doc } from '@rapport/read-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import type { Scenario, ScenarioResult } from '../scenario';
import { writeFixture } from './projection.bench';
import type { RebuildPartitionData } from './rebuild-partition.thread';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const WORKERS = Number(process.env.BENCH_REBUILD_WORKERS ?? 2);
const NAME = customerProfileProjection.name;
const THREAD_FILE = join(__dirname, `rebuild-partition.thread${extname(__filename)}`);
const BATCH = 5000;

interface Running {
  stop(): Promise<void>;
}

function startWorker(data: RebuildPartitionData): Promise<Running> {
  const execArgv = THREAD_FILE.endsWith('.ts') ? [...process.execArgv, '-r', '@swc-node/register'] : undefined;
  const thread = new Worker(THREAD_FILE, { workerData: data, execArgv });
  const failed = new Promise<never>((_, reject) => {
    thread.once('error', reject);
    thread.on('message', (reply: { error?: string }) => {
      if (reply.error !== undefined) reject(new Error(reply.error));
    });
  });
  const reply = (key: string) =>
    Promise.race([
      failed,
      new Promise<void>((resolve) => thread.on('message', (m: Record<string, unknown>) => key in m && resolve())),
    ]);
  return reply('started').then(() => ({
    stop: async () => {
      const stopped = reply('stopped');
      thread.postMessage('stop');
      await stopped;
      await thread.terminate();
    },
  }));
}

/** A live read model of an older version, caught up: starting, the workers rebuild it into the current one. */
async function olderVersionLive(readsFile: string, head: number): Promise<string> {
  const reads = new SqliteReadStore({ filename: readsFile });
  const old = { version: customerProfileProjection.version - 1, collection: `${NAME}_old` };
  const record: ProjectionRecord = { active: old, shadow: null, retired: [], generation: 0 };
  await reads.ensureCollection({ name: old.collection, indexes: [] });
  await reads.commit([], { name: old.collection, position: head });
  await reads.setMeta(metaKeyOf(NAME), record);
  await reads.close();
  return old.collection;
}

/** Workers on the projection's partitions (dealt round-robin); resolves with the seconds until switched. */
async function build(eventsFile: string, readsFile: string, workers: number, head: number): Promise<number> {
  const old = await olderVersionLive(readsFile, head);
  const started = performance.now();
  const running = await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      startWorker({
        eventsFile,
        readsFile,
        workerId: `worker-${w}`,
        count: workers,
        indexes: Array.from({ length: workers }, (__, i) => i).filter((i) => i % workers === w),
        batchSize: BATCH,
      }),
    ),
  );
  const reads = new SqliteReadStore({ filename: readsFile });
  for (;;) {
    const { active } = await readRecord(reads, NAME);
    if (active && active.collection !== old && ((await reads.getCheckpoint(active.collection)) ?? 0) >= head) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await reads.close();
  for (const worker of running) await worker.stop();
  return seconds;
}

async function docsOf(file: string): Promise<Map<string, string>> {
  const store = new SqliteReadStore({ filename: file });
  const { active } = await readRecord(store, NAME);
  const docs = new Map<string, string>();
  for await (const doc of store.scan<Doc>(active!.collection, 5000)) docs.set(doc.id, JSON.stringify(doc));
  await store.close();
  return docs;
}

export const projectionRebuildWorkers: Scenario = {
  name: 'projection.rebuild.workers',
  async run(workDir: string): Promise<ScenarioResult> {
    const customers = Math.max(100, Math.round(100_000 * scale));
    const eventsFile = join(workDir, 'events.db');
    const total = writeFixture(eventsFile, customers, 10);
    const events = new SqliteEventStore({ path: eventsFile });
    const head = await events.headPosition();
    await events.close();

    const oneFile = join(workDir, 'reads-one.db');
    const oneSeconds = await build(eventsFile, oneFile, 1, head);
    const manyFile = join(workDir, 'reads-many.db');
    const cpu = process.cpuUsage();
    const manySeconds = await build(eventsFile, manyFile, WORKERS, head);
    const used = process.cpuUsage(cpu);

    // The partitioned build must equal the whole one, document for document.
    const [expected, built] = await Promise.all([docsOf(oneFile), docsOf(manyFile)]);
    const differing = [...expected].filter(([id, doc]) => built.get(id) !== doc).length;
    if (differing > 0 || built.size !== expected.size)
      throw new Error(`partitioned build differs: ${differing} documents, ${built.size} vs ${expected.size}`);
    return {
      value: Math.round(total / manySeconds),
      unit: 'per_second',
      baseline: Math.round(total / oneSeconds),
      baselineLabel:
        'one worker running the projection whole (same runner path), events per second, same fixture, same run',
      target: 'report what two cores allow',
      extra: {
        events: total,
        customers,
        workers: WORKERS,
        partitions: WORKERS,
        seconds: Number(manySeconds.toFixed(2)),
        oneWorkerSeconds: Number(oneSeconds.toFixed(2)),
        cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
      },
    };
  },
};
