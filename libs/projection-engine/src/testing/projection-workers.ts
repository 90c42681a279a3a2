import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqliteEventStore } from '@rapport/event-store';
import type { ReadStore } from '@rapport/read-store';
import { readRecord } from '../runner/projection-catalog';
import { seedHistory } from './history';
import type { WorkerReport } from './projection-worker.child';
import { WORKER_PROJECTIONS } from './worker-projections';

// Projector workers as child processes (projection-worker.child.ts), for the worker tests and the
// failover benchmark: what each owns and every fenced commit it tried, as it reports them.

const CHILD = join(__dirname, 'projection-worker.child.ts');
const ROOT = join(__dirname, '..', '..', '..', '..');

export type WorkerCommit = Extract<WorkerReport, { kind: 'commit' }>;

export class WorkerProcess {
  readonly child: ChildProcess;
  owned: { projection: string; token: number }[] = [];
  leader = false;
  readonly commits: WorkerCommit[] = [];
  private err = '';

  constructor(
    readonly id: string,
    eventsFile: string,
    readSpec: string,
    leaseMs: number,
    partitions = 1,
  ) {
    this.child = fork(CHILD, [eventsFile, readSpec, id, String(leaseMs), String(partitions)], {
      cwd: ROOT,
      execArgv: ['-r', '@swc-node/register'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
    this.child.on('message', (message: WorkerReport) => {
      if (message.kind === 'state') {
        this.owned = message.owned;
        this.leader = message.leader;
      } else this.commits.push(message);
    });
  }

  get errors(): string {
    return this.err;
  }

  names(): string[] {
    return this.owned.map((o) => o.projection).sort();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    await Promise.race([exited, sleep(10_000, undefined, { ref: false })]);
    this.child.kill('SIGKILL');
  }

  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Appends new customers' histories until stopped, so the read models keep moving. */
export function keepAppending(events: SqliteEventStore, firstSeed: number): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    for (let seed = firstSeed; running; seed++) {
      await seedHistory(events, 2, 10, seed);
      await sleep(30);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Every read model has applied every event it handles up to `head` (its checkpoint moves with those only). */
export async function caughtUp(store: ReadStore, events: SqliteEventStore, head: number): Promise<boolean> {
  for (const projection of WORKER_PROJECTIONS) {
    const record = await readRecord(store, projection.name);
    if (!record.active) return false;
    const checkpoint = (await store.getCheckpoint(record.active.collection)) ?? 0;
    if (checkpoint >= head) continue;
    const filter = { eventTypes: [...projection.handles] };
    for await (const next of events.readAll({ fromPosition: checkpoint + 1, maxCount: 1, filter }))
      if (next.position <= head) return false;
  }
  return true;
}
