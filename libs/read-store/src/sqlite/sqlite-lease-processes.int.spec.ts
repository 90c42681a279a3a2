import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ContenderEvent } from '../testing/lease-contender.child';
import { SqliteReadStore } from './sqlite-read-store';

const CHILD = join(__dirname, '..', 'testing', 'lease-contender.child.ts');
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
});
