import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

interface Ack {
  streamId: string;
  revision: number;
  eventIds: string[];
}

// 15 kills in `npm test`; `npm run soak` sets SOAK_KILLS=100.
const ROUNDS = Number(process.env['SOAK_KILLS'] ?? 15);
// Each round re-reads every append acknowledged so far, so later rounds are slower: the 100-kill soak
// took 385 s of a 460 s budget (4 s a round) on the shared 2-core machine, hence 8 s a round.
const TIMEOUT_MS = 60_000 + ROUNDS * 8_000;
const CHILD = join(__dirname, 'sqlite-durability.child.ts');

/** Starts the child, lets it append for a random time after it is ready, then SIGKILLs it. */
function runAndKill(path: string): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD, path], {
      cwd: join(__dirname, '../../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), 30 + Math.random() * 250);
        const [tag, streamId, revision, ids] = line.split(' ');
        if (tag === 'ack') acks.push({ streamId: streamId!, revision: Number(revision), eventIds: ids!.split(',') });
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('SqliteEventStore durability under SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-durable-'));
  const path = join(dir, 'events.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    `keeps every acknowledged append, whole, across ${ROUNDS} kills`,
    async () => {
      const acknowledged: Ack[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        acknowledged.push(...(await runAndKill(path)));

        const store = new SqliteEventStore({ path });
        try {
          for (const ack of acknowledged) {
            const stored = await collect(
              store.readStream(ack.streamId, { fromRevision: ack.revision - 2, maxCount: 3 }),
            );
            expect(stored.map((e) => e.metadata.eventId)).toEqual(ack.eventIds);
          }
          for await (const streamId of store.listStreams('durable-')) {
            const stored = await collect(store.readStream(streamId));
            // No partial append: every batch of 3 is there whole, parts 0..2 under one batch id.
            expect(stored.length % 3).toBe(0);
            for (let i = 0; i < stored.length; i += 3) {
              const batch = stored.slice(i, i + 3).map((e) => [e.data.batch, e.data.part]);
              expect(batch).toEqual([0, 1, 2].map((part) => [batch[0]![0], part]));
            }
            expect(await store.verifyStream(streamId)).toMatchObject({ ok: true, events: stored.length });
          }
        } finally {
          await store.close();
        }
      }
      console.log(`durability: ${acknowledged.length} acknowledged appends over ${ROUNDS} SIGKILLs, all present`);
      expect(acknowledged.length).toBeGreaterThan(ROUNDS);
    },
    TIMEOUT_MS,
  );
});
