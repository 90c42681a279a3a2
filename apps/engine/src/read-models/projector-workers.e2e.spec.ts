import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerView, ProjectionStatusView } from '@rapport/application';
import { generateApiKey, hashApiKey } from '../auth/api-key-hash';
import { purchase, registration } from '../../test/touchpoint-requests';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'engine', 'src', 'main.ts');
const LEASE_SECONDS = 2;

jest.setTimeout(180_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Engine {
  child: ChildProcess;
  base: string;
}

/** The engine as a real process (the production entry point) on a data dir shared with the others. */
async function startEngine(env: Record<string, string>): Promise<Engine> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`engine exited ${code}: ${err}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

interface ProjectionsBody {
  projections: ProjectionStatusView[];
  thisWorker: string | null;
  leader: string | null;
  workers: WorkerView[];
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('projector workers (PROJECTOR_ROLE=only) sharing one data dir, behind an HTTP engine', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-workers-e2e-'));
  const adminKey = generateApiKey('admin');
  const agentKey = generateApiKey('agent');
  const engines: Engine[] = [];
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: 'NORMAL',
    SCORING_INTERVAL_SECONDS: '0',
    DEADLINE_WATCH_INTERVAL_SECONDS: '0',
    WORKLIST_INTERVAL_SECONDS: '0',
    PROJECTION_LEASE_SECONDS: String(LEASE_SECONDS),
    API_KEYS: `admin:${hashApiKey(adminKey)}:workers-admin,agent:${hashApiKey(agentKey)}:workers-agent`,
  };
  afterAll(async () => {
    for (const engine of engines) engine.child.kill('SIGKILL');
    await sleep(200);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (base: string, key: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const projections = async (engine: Engine): Promise<ProjectionsBody> =>
    (await (await call(engine.base, adminKey, 'GET', '/projections')).json()) as ProjectionsBody;

  it('split the projections, show who owns what; a SIGKILLed worker’s projections are taken over and reads go on; with no worker left health is down naming them', async () => {
    // The HTTP engine first: it creates the stores; then two workers on the same data dir.
    const http = await startEngine({ ...env, PROJECTOR_ROLE: 'none' });
    engines.push(http);
    const [w1, w2] = await Promise.all([
      startEngine({ ...env, PROJECTOR_ROLE: 'only', WORKER_NAME: 'w1' }),
      startEngine({ ...env, PROJECTOR_ROLE: 'only', WORKER_NAME: 'w2' }),
    ]);
    engines.push(w1!, w2!);

    const split = await until(async () => {
      const body = await projections(http);
      const counts = body.workers.map((w) => w.projections.length).sort();
      return body.workers.length === 2 && counts[0] === 4 && counts[1] === 5 ? body : undefined;
    }, 'two workers owning 4 and 5 of the 9 projections');
    expect(split.thisWorker).toBeNull();
    expect(split.leader).not.toBeNull();
    expect(split.workers.filter((w) => w.leader).map((w) => w.id)).toEqual([split.leader]);
    for (const p of split.projections) {
      expect(p.owner.worker).toMatch(/^w[12]-\d+-[0-9a-f]{6}$/);
      expect(p.owner.token).toBeGreaterThanOrEqual(1);
      expect(Date.parse(p.owner.leaseExpiresAt!)).toBeGreaterThan(Date.now() - 1000);
    }
    const fromWorker = await projections(w1!);
    expect(fromWorker.thisWorker).toMatch(/^w1-/);
    for (const p of fromWorker.projections)
      expect(p.runner).toBe(p.owner.worker === fromWorker.thisWorker ? 'in-process' : 'external');
    // A rebuild asked of a worker that does not own the projection is refused, naming its owner.
    const elsewhere = fromWorker.projections.find((p) => p.runner === 'external')!;
    const refused = await call(w1!.base, adminKey, 'POST', `/projections/${elsewhere.name}/rebuild`, {});
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain(elsewhere.owner.worker!);

    expect((await call(http.base, agentKey, 'POST', '/customers', registration('k1'))).status).toBe(201);
    expect((await call(http.base, agentKey, 'POST', '/customers/k1/purchases', purchase('o1'))).status).toBe(201);
    await until(async () => {
      const value = (await (await call(http.base, agentKey, 'GET', '/customers/k1/value')).json()) as {
        orders?: number;
      };
      return value.orders === 1 ? true : undefined;
    }, 'the first purchase in the value read model');

    // SIGKILL the worker that owns customer-value: the other takes everything over.
    const owner = split.projections.find((p) => p.name === 'customer-value')!.owner;
    const [victim, survivor] = owner.worker!.startsWith('w1') ? [w1!, w2!] : [w2!, w1!];
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    expect((await call(http.base, agentKey, 'POST', '/customers/k1/purchases', purchase('o2', 3))).status).toBe(201);
    const after = await until(async () => {
      const body = await projections(survivor);
      return body.workers.length === 1 && body.workers[0]!.projections.length === 9 ? body : undefined;
    }, 'the survivor to own all 9 projections');
    const takeoverMs = Date.now() - killedAt;
    expect(after.projections.find((p) => p.name === 'customer-value')!.owner.token).toBeGreaterThan(owner.token!);
    expect(after.leader).toBe(after.thisWorker);
    await until(async () => {
      const value = (await (await call(http.base, agentKey, 'GET', '/customers/k1/value')).json()) as {
        orders?: number;
      };
      return value.orders === 2 ? true : undefined;
    }, 'the purchase made after the kill in the value read model');
    // Within the lease time, and a pass (a third of it), with room for a loaded machine.
    expect(takeoverMs).toBeLessThan(LEASE_SECONDS * 1000 * 2 + 3000);
    console.log(
      `projector workers e2e: SIGKILL of the customer-value owner, all 9 owned by the survivor after ${takeoverMs} ms (lease ${LEASE_SECONDS} s)`,
    );
    expect((await call(http.base, adminKey, 'GET', '/health')).status).toBe(200);

    // A rebuild asked of the HTTP engine is refused: no projector there.
    expect((await call(http.base, adminKey, 'POST', '/projections/customer-value/rebuild', {})).status).toBe(409);

    // No worker left: once the leases have been gone over a lease time, health is down, naming them.
    survivor.child.kill('SIGKILL');
    const down = await until(
      async () => {
        const response = await call(http.base, adminKey, 'GET', '/health');
        return response.status === 503 ? ((await response.json()) as Record<string, unknown>) : undefined;
      },
      'health to report the ownerless projections',
      LEASE_SECONDS * 1000 * 4 + 5000,
    );
    const details = JSON.stringify(down);
    expect(details).toContain('no projector worker owns');
    expect(details).toContain('customer-value');
  });

  it('given the only worker killed with SIGKILL, when it is restarted on its data dir, then it resumes its leases at once instead of waiting for them to run out', async () => {
    const soloDir = mkdtempSync(join(tmpdir(), 'rapport-solo-worker-'));
    const solo = { ...env, DATA_DIR: soloDir, PROJECTION_LEASE_SECONDS: '60' };
    try {
      const first = await startEngine(solo);
      engines.push(first);
      expect((await call(first.base, agentKey, 'POST', '/customers', registration('s1'))).status).toBe(201);
      const before = await projections(first);
      expect(before.workers).toHaveLength(1);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));

      const restarted = await startEngine(solo);
      engines.push(restarted);
      const startedAt = Date.now();
      expect((await call(restarted.base, agentKey, 'POST', '/customers/s1/purchases', purchase('s1-o1'))).status).toBe(
        201,
      );
      await until(
        async () => {
          const value = (await (await call(restarted.base, agentKey, 'GET', '/customers/s1/value')).json()) as {
            orders?: number;
          };
          return value.orders === 1 ? true : undefined;
        },
        'the purchase after the restart in the value read model',
        20_000,
      );
      // Far sooner than the 60 s lease of the killed process: the same worker id, the same tokens.
      expect(Date.now() - startedAt).toBeLessThan(20_000);
      const after = await projections(restarted);
      expect(after.thisWorker).toBe(before.thisWorker);
      for (const p of after.projections)
        expect(p.owner).toMatchObject({
          worker: before.thisWorker,
          token: before.projections.find((b) => b.name === p.name)!.owner.token,
        });
      restarted.child.kill('SIGTERM');
      await new Promise((resolve) => restarted.child.once('exit', resolve));
    } finally {
      rmSync(soloDir, { recursive: true, force: true });
    }
  });

  it("given PROJECTION_PARTITIONS=2, then two workers split the 18 partitions, each listed with its owner; a rebuild asked of one is built by both; a SIGKILLed worker's partitions are taken over; with none left, health names the ownerless partitions", async () => {
    const partDir = mkdtempSync(join(tmpdir(), 'rapport-partitions-e2e-'));
    const parts = { ...env, DATA_DIR: partDir, PROJECTION_PARTITIONS: '2' };
    try {
      const http = await startEngine({ ...parts, PROJECTOR_ROLE: 'none' });
      engines.push(http);
      const [p1, p2] = await Promise.all([
        startEngine({ ...parts, PROJECTOR_ROLE: 'only', WORKER_NAME: 'p1' }),
        startEngine({ ...parts, PROJECTOR_ROLE: 'only', WORKER_NAME: 'p2' }),
      ]);
      engines.push(p1!, p2!);
      const split = await until(async () => {
        const body = await projections(http);
        const counts = body.workers.map((w) => w.projections.length);
        return body.workers.length === 2 && counts.every((n) => n === 9) ? body : undefined;
      }, 'two workers owning 9 of the 18 partitions each');
      const value = split.projections.find((p) => p.name === 'customer-value')!;
      expect(value.owner.worker).toBeNull();
      expect(value.partitions!.map((p) => p.unit)).toEqual(['customer-value#0/2', 'customer-value#1/2']);
      for (const p of value.partitions!) expect(p.owner.worker).toMatch(/^p[12]-/);

      expect((await call(http.base, agentKey, 'POST', '/customers', registration('q1'))).status).toBe(201);
      expect((await call(http.base, agentKey, 'POST', '/customers/q1/purchases', purchase('q1-o1'))).status).toBe(201);
      const orders = async (n: number) =>
        until(async () => {
          const doc = (await (await call(http.base, agentKey, 'GET', '/customers/q1/value')).json()) as {
            orders?: number;
          };
          return doc.orders === n ? true : undefined;
        }, `${n} purchase(s) in the value read model`);
      await orders(1);

      // A rebuild asked of a worker running one partition: both build their share, then one switch. The
      // fair split gives each worker 9 units, not always one of customer-value's two: ask its owner.
      const firstOwner = value.partitions![0]!.owner.worker;
      const runner = (await projections(p1!)).thisWorker === firstOwner ? p1! : p2!;
      const asked = (await projections(runner)).projections.find((p) => p.name === 'customer-value')!;
      const before = asked.collection;
      const rebuilt = await call(runner.base, adminKey, 'POST', '/projections/customer-value/rebuild?wait=true', {});
      expect(rebuilt.status).toBe(202);
      const switched = await until(async () => {
        const p = (await projections(http)).projections.find((q) => q.name === 'customer-value')!;
        return p.collection !== before && p.rebuild === null ? p : undefined;
      }, 'the rebuilt customer-value switched in');
      expect(switched.partitions!.every((p) => p.checkpoint > 0)).toBe(true);
      await orders(1);

      p2!.child.kill('SIGKILL');
      expect((await call(http.base, agentKey, 'POST', '/customers/q1/purchases', purchase('q1-o2', 3))).status).toBe(
        201,
      );
      await until(async () => {
        const body = await projections(p1!);
        return body.workers.length === 1 && body.workers[0]!.projections.length === 18 ? body : undefined;
      }, 'the survivor to own all 18 partitions');
      await orders(2);
      expect((await call(http.base, adminKey, 'GET', '/health')).status).toBe(200);

      // No worker left: health goes down naming the partitions nobody owns.
      p1!.child.kill('SIGKILL');
      const down = await until(
        async () => {
          const response = await call(http.base, adminKey, 'GET', '/health');
          return response.status === 503 ? JSON.stringify(await response.json()) : undefined;
        },
        'health to name the ownerless partitions',
        LEASE_SECONDS * 1000 * 4 + 5000,
      );
      expect(down).toContain('no projector worker owns');
      expect(down).toContain('customer-value#0/2');
      expect(down).toContain('customer-value#1/2');
    } finally {
      rmSync(partDir, { recursive: true, force: true });
    }
  });
});
