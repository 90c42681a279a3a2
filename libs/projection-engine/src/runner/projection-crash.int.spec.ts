import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@rapport/event-store';
import { MemoryReadStore, type Doc } from '@rapport/read-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import type { Projection } from '../projection';
import { passThroughDecoder, seededRandom, seedHistory } from '../testing/history';
import { resolveLiveCollection } from './projection-catalog';
import { ProjectionRunner } from './projection-runner';

const CHILD = join(__dirname, '..', 'testing', 'crash-child.ts');
const ROOT = join(__dirname, '..', '..', '..', '..');
const projection: Projection = customerProfileProjection;

/**
 * Runs the child; kills it with SIGKILL once it has reported `killAtBatch` batches (null: let it
 * finish). Counting batches rather than milliseconds keeps the kills mid-run on a fast or a loaded machine.
 */
function runChild(
  eventsFile: string,
  readsFile: string,
  killAtBatch: number | null,
  mode = 'live',
): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD, eventsFile, readsFile, '50', mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAtBatch !== null && !killed && out.split('batch\n').length - 1 >= killAtBatch) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done')) resolve('done');
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

async function docsOf(store: { scan(c: string): AsyncIterable<Doc> }, collection: string): Promise<Doc[]> {
  const docs: Doc[] = [];
  for await (const doc of store.scan(collection)) docs.push(doc);
  return docs;
}

async function scratchBuild(events: SqliteEventStore): Promise<Doc[]> {
  const reads = new MemoryReadStore();
  const runner = new ProjectionRunner({
    eventStore: events,
    readStore: reads,
    decoder: passThroughDecoder,
    projections: [projection],
    batchSize: 1000,
  });
  await runner.start();
  await runner.waitFor(projection.name, await events.headPosition(), 30_000);
  const collection = runner.liveCollection(projection.name);
  await runner.stop();
  return docsOf(reads, collection);
}

// `npm run soak` sets SOAK_KILLS (100): the soak below kills the runner that many times.
const SOAK_KILLS = Number(process.env['SOAK_KILLS'] ?? 0);

describe('projection crash safety (SQLite read store, SIGKILL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after every kill at a random moment, the finished read model equals a from-scratch build', async () => {
    const eventsFile = join(dir, 'events.db');
    const readsFile = join(dir, 'reads.db');
    const random = seededRandom(Number(process.env.CRASH_SEED ?? Date.now() % 100_000));
    let kills = 0;
    for (let round = 1; round <= 3; round++) {
      const events = new SqliteEventStore({ path: eventsFile, synchronous: 'OFF' });
      await seedHistory(events, 100, 25, round, 5); // 2,500 more events per round
      await events.close();
      for (let k = 0; k < 3; k++) {
        if ((await runChild(eventsFile, readsFile, 1 + Math.floor(random() * 40))) === 'killed') kills++;
      }
      expect(await runChild(eventsFile, readsFile, null)).toBe('done');

      const check = new SqliteEventStore({ path: eventsFile });
      const reads = new SqliteReadStore({ filename: readsFile });
      const head = await check.headPosition();
      expect(await reads.getCheckpoint(`${projection.name}_v${projection.version}`)).toBe(head);
      const projected = await docsOf(reads, `${projection.name}_v${projection.version}`);
      expect(projected).toHaveLength(100 * round);
      expect(projected).toEqual(await scratchBuild(check));
      await reads.close();
      await check.close();
    }
    expect(kills).toBeGreaterThanOrEqual(3); // a kill that lands after the child finished counts as none
  }, 90_000);

  it('a rebuild killed at random moments resumes from its last flush and switches to a model equal to a from-scratch build', async () => {
    const eventsFile = join(dir, 'rebuild-events.db');
    const readsFile = join(dir, 'rebuild-reads.db');
    const random = seededRandom(Number(process.env.CRASH_SEED ?? Date.now() % 100_000));
    const events = new SqliteEventStore({ path: eventsFile, synchronous: 'OFF' });
    await seedHistory(events, 150, 20, 1, 5);
    await events.close();
    expect(await runChild(eventsFile, readsFile, null)).toBe('done'); // the live model to replace
    let kills = 0;
    for (let k = 0; k < 3; k++) {
      if ((await runChild(eventsFile, readsFile, 1 + Math.floor(random() * 50), 'rebuild')) === 'killed') kills++;
    }
    expect(await runChild(eventsFile, readsFile, null, 'rebuild')).toBe('done');

    const check = new SqliteEventStore({ path: eventsFile });
    const reads = new SqliteReadStore({ filename: readsFile });
    const live = await resolveLiveCollection(reads, projection.name);
    expect(live).not.toBe(`${projection.name}_v${projection.version}`); // a later generation was switched in
    expect(await reads.getCheckpoint(live)).toBe(await check.headPosition());
    const projected = await docsOf(reads, live);
    expect(projected).toHaveLength(150);
    expect(projected).toEqual(await scratchBuild(check));
    await reads.close();
    await check.close();
    expect(kills).toBeGreaterThanOrEqual(1);
  }, 90_000);

  (SOAK_KILLS > 0 ? it : it.skip)(
    `soak: ${SOAK_KILLS} SIGKILLs, each while catching up on fresh appends, end equal to a from-scratch build`,
    async () => {
      const eventsFile = join(dir, 'soak-events.db');
      const readsFile = join(dir, 'soak-reads.db');
      const random = seededRandom(Number(process.env.CRASH_SEED ?? Date.now() % 100_000));
      let kills = 0;
      for (let k = 0; k < SOAK_KILLS; k++) {
        const events = new SqliteEventStore({ path: eventsFile, synchronous: 'OFF' });
        await seedHistory(events, 10, 20, 1000 + k, 5); // 200 more events: four batches of 50 to be killed in
        await events.close();
        if ((await runChild(eventsFile, readsFile, 1 + Math.floor(random() * 3))) === 'killed') kills++;
      }
      expect(await runChild(eventsFile, readsFile, null)).toBe('done');
      const check = new SqliteEventStore({ path: eventsFile });
      const reads = new SqliteReadStore({ filename: readsFile });
      const collection = `${projection.name}_v${projection.version}`;
      expect(await reads.getCheckpoint(collection)).toBe(await check.headPosition());
      expect(await docsOf(reads, collection)).toEqual(await scratchBuild(check));
      await reads.close();
      await check.close();
      console.log(
        `projection soak: ${kills} of ${SOAK_KILLS} runs SIGKILLed mid-catch-up; the finished model equals a from-scratch build`,
      );
      expect(kills).toBeGreaterThanOrEqual(Math.ceil(SOAK_KILLS * 0.9)); // a kill landing after the child finished counts as none
    },
    60_000 + SOAK_KILLS * 6_000,
  );
});
