import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ContenderEvent } from '../testing/lease-contender.child';
import { SqliteReadStore } from './sqlite-read-store';

const CHILD = join(__dirname, '..', 'testing', 'lease-contender.child.ts');
const PAUSED_CHILD = join(__dirname, '..', 'testing', 'lease-paused.child.ts');
const ROOT = join(__dirname, '..', '..', '..', '..');
const PROCESSES = 4;
const DURATION_MS = 4_000;
const TTL_MS = 150;

const dir = mkdtempSync(join(tmpdir(), 'rapport-leases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function contend(file: string, owner: string, seed: number): Promise<ContenderEvent[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', CHILD, file, owner, String(DURATION_MS), String(TTL_MS), String(seed)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()) as ContenderEvent[])
        : reject(new Error(`${owner} exited ${code}: ${err}`)),
    );
  });
}

describe('leases on one SQLite file shared by several processes', () => {
  it(`given ${PROCESSES} processes contending for one lease, then at most one holds a valid token at any moment and no stale write lands`, async () => {
    const file = join(dir, 'leases.db');
    const setup = new SqliteReadStore({ filename: file });
    await setup.ensureCollection({ name: 'log', indexes: [] });
    await setup.close();

    const owners = Array.from({ length: PROCESSES }, (_, i) => `worker-${i}`);
    const results = await Promise.all(owners.map((owner, i) => contend(file, owner, 1_000 + i)));

    // Windows in which a process held a token valid by its own clock (the machine's one clock):
    // windows of different tokens never overlap.
    const windows = results
      .flatMap((events, i) => events.flatMap((e) => (e.kind === 'window' ? [{ ...e, owner: owners[i] }] : [])))
      .filter((w) => w.from < w.until)
      .sort((a, b) => a.from - b.from);
    const overlaps = windows.flatMap((a, i) =>
      windows
        .slice(i + 1)
        .filter((b) => b.token !== a.token && b.from < a.until && a.from < b.until)
        .map((b) => [a, b]),
    );
    expect(overlaps).toEqual([]);
    expect(new Set(windows.map((w) => w.owner)).size).toBeGreaterThan(1);

    // Commits in the order they landed (rowid): tokens never go back, so no write of a
    // superseded owner landed after its successor's.
    const db = new Database(file, { readonly: true });
    const landed = db
      .prepare(`SELECT id, json_extract(doc, '$.token') AS token FROM "rs_log" ORDER BY rowid`)
      .all() as {
      id: string;
      token: number;
    }[];
    const tokenAt = db.prepare(`SELECT token FROM rs_leases`).pluck().get() as number;
    db.close();
    const backwards = landed.filter((row, i) => i > 0 && row.token < (landed[i - 1] as { token: number }).token);
    expect(backwards).toEqual([]);

    // What each process was told matches what is stored: a refused write is absent, a landed one present.
    const commits = results.flat().filter((e): e is Extract<ContenderEvent, { kind: 'commit' }> => e.kind === 'commit');
    const refused = commits.filter((c) => !c.landed);
    const stored = new Set(landed.map((row) => row.id));
    expect(refused.filter((c) => stored.has(c.id))).toEqual([]);
    expect(commits.filter((c) => c.landed && !stored.has(c.id))).toEqual([]);
    expect(stored.size).toBe(commits.length - refused.length);
    // The run exercised what it claims: owners changed many times and stale writes were tried.
    expect(refused.length).toBeGreaterThan(0);
    expect(tokenAt).toBeGreaterThan(PROCESSES);
    console.log(
      `lease contention: ${PROCESSES} processes, ${tokenAt} tenures, ${stored.size} fenced writes landed, ${refused.length} stale ones refused`,
    );
  }, 60_000);

  it('given an owner paused (SIGSTOP) until another took its lease, when it resumes, then its writes are refused and nothing of it lands', async () => {
    const file = join(dir, 'paused.db');
    const lease = 'leader:scoring';
    const ttlMs = 300;
    const child: ChildProcess = fork(PAUSED_CHILD, [file, lease, String(ttlMs)], {
      cwd: ROOT,
      execArgv: ['-r', '@swc-node/register'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const next = (): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => {
        child.once('message', (message) => resolve(message as Record<string, unknown>));
        child.once('exit', (code) => reject(new Error(`paused child exited ${code}: ${err}`)));
      });
    const store = new SqliteReadStore({ filename: file });
    try {
      const first = await next();
      expect(first).toMatchObject({ wrote: 'paused-1', token: 1 });
      const expiresAtMs = first.expiresAtMs as number;
      child.kill('SIGSTOP');
      // Held until its expiry (store time is the caller's), then free for the taking.
      expect(await store.acquireLease(lease, 'successor', ttlMs, expiresAtMs - 1)).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAtMs - Date.now()) + 20));
      const successor = await store.acquireLease(lease, 'successor', 60_000, Date.now());
      expect(successor?.token).toBe(2);
      await store.commit(
        [{ kind: 'upsert', collection: 'log', doc: { id: 'successor-1', token: 2 }, position: 1 }],
        { name: 'paused-cp', position: 100 },
        { lease, token: successor!.token },
      );
      child.kill('SIGCONT');
      const answer = next();
      child.send('write');
      expect(await answer).toEqual({ fenced: 'paused-2', currentToken: 2, renewed: false });
      expect(await store.get('log', 'paused-2')).toBeNull();
      expect(await store.get('log', 'paused-1')).toEqual({ id: 'paused-1', token: 1 });
      expect(await store.get('log', 'successor-1')).toEqual({ id: 'successor-1', token: 2 });
      expect(await store.getCheckpoint('paused-cp')).toBe(100);
      expect((await store.listLeases()).map((l) => [l.name, l.owner, l.token])).toEqual([[lease, 'successor', 2]]);
    } finally {
      child.kill('SIGCONT');
      if (child.connected) child.send('exit');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      await store.close();
    }
  }, 30_000);
});
