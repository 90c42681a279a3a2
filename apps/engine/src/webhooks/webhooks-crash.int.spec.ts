import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateApiKey, hashApiKey } from '../auth/api-key-hash';
import { purchase, registration } from '../../test/touchpoint-requests';
import { generateSecret } from '@rapport/application';
import { firstArrivalsPerStream, TestReceiver } from '@rapport/application/webhooks/test-receiver';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'engine', 'src', 'main.ts');

jest.setTimeout(120_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The engine as a real process (the same entry point as production) on a data dir that outlives it. */
async function startEngine(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env },
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
  return child;
}

describe('webhooks across an engine killed with SIGKILL during deliveries', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-webhook-kill-'));
  const adminKey = generateApiKey('admin');
  const agentKey = generateApiKey('agent');
  let env: Record<string, string>;
  let engine: ChildProcess | undefined;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SQLITE_SYNCHRONOUS: 'FULL',
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
      WEBHOOK_RETRY_INITIAL_MS: '20',
      WEBHOOK_RETRY_MAX_MS: '200',
      // Longer than the test may wait: the restarted engine takes its dead predecessor's worker id, and
      // with it the delivery lease, at once instead of after it runs out.
      WEBHOOK_LEASE_SECONDS: '60',
      API_KEYS: `admin:${hashApiKey(adminKey)}:kill-admin,agent:${hashApiKey(agentKey)}:kill-agent`,
    };
  });
  afterAll(() => {
    engine?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (key: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('nothing acknowledged is lost, repeats carry the same webhook-id, and each customer’s order holds', async () => {
    const secret = generateSecret();
    const receiver = new TestReceiver(secret);
    await receiver.up();
    receiver.mode = { kind: 'slow', delayMs: 15 };
    engine = await startEngine(env);
    const created = await call(adminKey, 'POST', '/webhooks', {
      url: receiver.url,
      secret,
      categories: ['customer', 'purchase'],
      startFrom: 'beginning',
    });
    expect(created.status).toBe(201);

    const customers = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    const acknowledged = new Set<string>();
    const appends = customers.map(async (customerId) => {
      const registered = await call(agentKey, 'POST', '/customers', registration(customerId));
      for (const id of ((await registered.json()) as { eventIds: string[] }).eventIds) acknowledged.add(id);
      for (let i = 0; i < 40; i++) {
        const response = await call(
          agentKey,
          'POST',
          `/customers/${customerId}/purchases`,
          purchase(`${customerId}-o${i}`),
        ).catch(() => null);
        if (!response || response.status !== 201) return; // the engine is gone
        for (const id of ((await response.json()) as { eventIds: string[] }).eventIds) acknowledged.add(id);
      }
    });
    while (receiver.accepted.length < 60) await sleep(5);
    engine.kill('SIGKILL');
    await new Promise((resolve) => engine!.once('exit', resolve));
    await Promise.all(appends);
    const beforeKill = receiver.accepted.length;

    receiver.mode = { kind: 'ok' };
    engine = await startEngine(env);
    const deadline = Date.now() + 20_000;
    const delivered = () => new Set(receiver.accepted.map((h) => h.webhookId));
    while ([...acknowledged].some((id) => !delivered().has(id))) {
      if (Date.now() > deadline)
        throw new Error(
          `missing ${[...acknowledged].filter((id) => !delivered().has(id)).length} of ${acknowledged.size}`,
        );
      await sleep(50);
    }
    await sleep(300);
    process.stdout.write(
      `SIGKILL: ${acknowledged.size} acknowledged events, ${beforeKill} delivered before the kill, ${receiver.accepted.length - delivered().size} repeats after it\n`,
    );

    expect(beforeKill).toBeGreaterThanOrEqual(60);
    // Killed mid-way: deliveries were still owed when the process died.
    expect(acknowledged.size).toBeGreaterThan(beforeKill);
    // A repeat is the same event under the same webhook-id, never a new id for an old event.
    for (const hook of receiver.accepted) expect(hook.webhookId).toBe(hook.event.metadata.eventId);
    const byId = new Map<string, number>();
    for (const hook of receiver.accepted) {
      const position = byId.get(hook.webhookId);
      if (position !== undefined) expect(hook.event.position).toBe(position);
      byId.set(hook.webhookId, hook.event.position);
    }
    for (const positions of firstArrivalsPerStream(receiver.accepted).values())
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(receiver.received.every((h) => h.verified)).toBe(true);
    engine.kill('SIGTERM');
    await new Promise((resolve) => engine!.once('exit', resolve));
    engine = undefined;
    await receiver.down();
  });
});
