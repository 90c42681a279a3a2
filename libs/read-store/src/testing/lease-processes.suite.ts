import { fork, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Doc } from '../read-store.port';
import type { ContenderEvent } from './lease-contender.child';
import { openLeaseTestStore } from './lease-test-store';

// Leases under real processes, run on each adapter that several processes can share (SQLite file,
// MongoDB server). `newSpec` gives a fresh store spec (lease-test-store.ts); `landedOrder`, where
// the adapter can tell it, lists the fenced writes in the order they were committed.

const CONTENDER = join(__dirname, 'lease-contender.child.ts');
const PAUSED = join(__dirname, 'lease-paused.child.ts');
const ROOT = join(__dirname, '..', '..', '..', '..');
const PROCESSES = 4;
const DURATION_MS = 4_000;
const TTL_MS = 150;

type Commit = Extract<ContenderEvent, { kind: 'commit' }>;

function contend(spec: string, owner: string, seed: number): Promise<ContenderEvent[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', CONTENDER, spec, owner, String(DURATION_MS), String(TTL_MS), String(seed)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
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

export function leaseProcessSuite(
  label: string,
  newSpec: (name: string) => string,
  landedOrder?: (spec: string) => Promise<{ id: string; token: number }[]>,
): void {
  describe(`leases shared by several processes: ${label}`, () => {
    it(`given ${PROCESSES} processes contending for one lease, then at most one holds a valid token at any moment and no stale write lands`, async () => {
      const spec = newSpec('contention');
      const setup = await openLeaseTestStore(spec);
      await setup.store.ensureCollection({ name: 'log', indexes: [] });
      await setup.close();

      const owners = Array.from({ length: PROCESSES }, (_, i) => `worker-${i}`);
      const results = await Promise.all(owners.map((owner, i) => contend(spec, owner, 1_000 + i)));

      // Windows in which a process held a token valid by the machine's one clock: windows of
      // different tokens never overlap.
      const windows = results
        .flatMap((events, i) => events.flatMap((e) => (e.kind === 'window' ? [{ ...e, owner: owners[i] }] : [])))
        .sort((a, b) => a.from - b.from);
      const overlaps = windows.flatMap((a, i) =>
        windows
          .slice(i + 1)
          .filter((b) => b.token !== a.token && b.from < a.until && a.from < b.until)
          .map((b) => [a, b]),
      );
      expect(overlaps).toEqual([]);
      expect(new Set(windows.map((w) => w.owner)).size).toBeGreaterThan(1);

      const check = await openLeaseTestStore(spec);
      const stored = new Map<string, number>();
      for await (const doc of check.store.scan<Doc & { token: number }>('log')) stored.set(doc.id, doc.token);
      const lease = (await check.store.listLeases())[0];
      await check.close();

      // What each process was told matches what is stored: a refused write is absent, a landed one present.
      const commits = results.flat().filter((e): e is Commit => e.kind === 'commit');
      const refused = commits.filter((c) => !c.landed);
      const landed = commits.filter((c) => c.landed);
      expect(refused.filter((c) => stored.has(c.id))).toEqual([]);
      expect(landed.filter((c) => stored.get(c.id) !== c.token)).toEqual([]);
      expect(stored.size).toBe(landed.length);
      // No write landed that began after a write of a later token had returned.
      const staleLanded = landed.filter((c) => landed.some((d) => d.token > c.token && d.endedAt < c.startedAt));
      expect(staleLanded).toEqual([]);
      if (landedOrder) {
        // In commit order tokens never go back: no superseded owner wrote after its successor.
        const order = await landedOrder(spec);
        expect(order.filter((row, i) => i > 0 && row.token < (order[i - 1] as { token: number }).token)).toEqual([]);
        expect(order).toHaveLength(landed.length);
      }
      // The run exercised what it claims: owners changed many times and stale writes were tried.
      expect(refused.length).toBeGreaterThan(0);
      expect(lease?.token).toBeGreaterThan(PROCESSES);
      console.log(
        `lease contention (${label}): ${PROCESSES} processes, ${lease?.token} tenures, ${landed.length} fenced writes landed, ${refused.length} stale ones refused`,
      );
    }, 60_000);

    it('given an owner paused (SIGSTOP) until another took its lease, when it resumes, then its writes are refused and nothing of it lands', async () => {
      const spec = newSpec('paused');
      const lease = 'leader:scoring';
      const ttlMs = 300;
      const child: ChildProcess = fork(PAUSED, [spec, lease, String(ttlMs)], {
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
      const { store, close } = await openLeaseTestStore(spec);
      try {
        const first = await next();
        expect(first).toMatchObject({ wrote: 'paused-1', token: 1 });
        const expiresAtMs = first.expiresAtMs as number;
        // Stopped between two writes, so never while holding a lock or an open transaction.
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
        await close();
      }
    }, 30_000);
  });
}
