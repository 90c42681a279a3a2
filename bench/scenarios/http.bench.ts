// http.purchase: POST a purchase (validation + durable append) with 64 connections, beside
// http.trivial: GET /ping of the same engine process in the same run (its baseline), in alternating
// rounds; during the purchase rounds a probe pings at 100/s on one more connection (its latency is
// what the writes cost a reader; its CPU, ~0.3 %, is counted in the purchases').
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Scenario, ScenarioResult } from '../scenario';
import { hashApiKey } from '../../apps/engine/src/auth/api-key-hash';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SECONDS = Math.max(2, Math.round(10 * SCALE));
const WARM_UP_SECONDS = 2;
/**
 * Each endpoint is measured in ROUNDS alternating slices of SECONDS / ROUNDS: the other work on the
 * shared machine then weighs on both alike (one 10 s block each had /ping vary 2× between runs).
 */
const ROUNDS = Math.max(1, Math.min(5, Math.floor(SECONDS / 2)));
const CONNECTIONS = 64;
const CUSTOMERS = 2_000;
const ROOT = join(__dirname, '..', '..');

interface Measured {
  rps: number;
  /** Engine CPU time (all its threads) per request, µs: steadier than rates on a shared machine. */
  cpuUsPerRequest?: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  /** How long the load ran. */
  seconds: number;
  raw: RawResult;
}

interface HttpRun {
  purchase: Measured;
  trivial: Measured;
  /** GET /ping at PROBE_RATE on one more connection while purchases run: what writes cost readers. */
  probe: Measured;
}

const PROBE_RATE = 100;

let shared: Promise<HttpRun> | null = null;

/** Starts one engine, measures both endpoints once; both scenarios report from the same run. */
const measureOnce = (workDir: string): Promise<HttpRun> => (shared ??= measure(workDir));

async function measure(workDir: string): Promise<HttpRun> {
  const key = `rk_agent_${randomBytes(18).toString('base64url')}`;
  const port = 3900 + Math.floor(Math.random() * 90);
  const engine = await startEngine(workDir, port, key);
  const base = `http://127.0.0.1:${port}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  try {
    await registerCustomers(base, headers);
    const trivial = async (duration: number) =>
      withCpu(engine, () => cannon({ url: `${base}/ping`, connections: CONNECTIONS, duration }));
    let order = 0;
    const purchase = async (duration: number) =>
      withCpu(engine, () =>
        cannon({
          url: base,
          connections: CONNECTIONS,
          duration,
          requests: [
            {
              method: 'POST',
              headers,
              setupRequest: (request) => {
                const n = order++;
                return {
                  ...request,
                  path: `/customers/bench-${n % CUSTOMERS}/purchases`,
                  body: JSON.stringify({
                    orderId: `o-${n}`,
                    lines: [
                      { sku: `SKU-${n % 97}`, category: 'books', quantity: 1 + (n % 3), unitPrice: 12.5 },
                      { sku: 'SKU-X', category: 'music', quantity: 1, unitPrice: 7 },
                    ],
                    total: (1 + (n % 3)) * 12.5 + 7,
                    currency: 'CNY',
                    occurredAt: '2026-03-01T10:00:00.000Z',
                    channel: 'store',
                  }),
                };
              },
            },
          ],
        }),
      );
    await trivial(WARM_UP_SECONDS);
    await purchase(WARM_UP_SECONDS);
    const trivialRounds: Measured[] = [];
    const purchaseRounds: Measured[] = [];
    const probeRounds: Measured[] = [];
    const probe = (duration: number) =>
      cannon({ url: `${base}/ping`, connections: 1, overallRate: PROBE_RATE, duration });
    for (let round = 0; round < ROUNDS; round++) {
      trivialRounds.push(await trivial(SECONDS / ROUNDS));
      const [purchased, probed] = await Promise.all([purchase(SECONDS / ROUNDS), probe(SECONDS / ROUNDS)]);
      purchaseRounds.push(purchased);
      probeRounds.push(probed);
    }
    return {
      trivial: combined(trivialRounds, `${base}/ping`),
      purchase: combined(purchaseRounds, base),
      probe: combined(probeRounds, `${base}/ping`),
    };
  } finally {
    await stopEngine(engine);
  }
}

/** Rounds of one endpoint as one measurement: requests over time, engine CPU over requests, merged latencies. */
function combined(rounds: Measured[], url: string): Measured {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const withCpu = rounds.filter((r) => r.cpuUsPerRequest !== undefined);
  const cpuUs = withCpu.reduce((sum, r) => sum + r.cpuUsPerRequest! * r.requests, 0);
  const cpuRequests = withCpu.reduce((sum, r) => sum + r.requests, 0);
  return {
    ...percentilesOf(
      rounds.map((r) => r.raw),
      url,
    ),
    rps: requests / seconds,
    ...(cpuRequests > 0 ? { cpuUsPerRequest: Math.round(cpuUs / cpuRequests) } : {}),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    requests,
    seconds,
    raw: rounds[0]!.raw,
  };
}

/** CPU seconds the process has used so far (Linux /proc; undefined elsewhere). */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return undefined;
  }
}

async function withCpu(engine: ChildProcess, run: () => Promise<Measured>): Promise<Measured> {
  const before = cpuSecondsOf(engine.pid);
  const measured = await run();
  const after = cpuSecondsOf(engine.pid);
  if (before === undefined || after === undefined || measured.requests === 0) return measured;
  return { ...measured, cpuUsPerRequest: Math.round(((after - before) * 1e6) / measured.requests) };
}

/** One autocannon run; its raw result (encoded histograms) kept so that rounds merge exactly. */
function cannon(options: autocannon.Options): Promise<Measured> {
  return new Promise((resolve, reject) => {
    autocannon({ ...options, skipAggregateResult: true }, (error, result) => {
      if (error) return reject(error);
      const raw = result as unknown as RawResult;
      resolve({
        ...percentilesOf([raw], options.url),
        rps: raw.totalCompletedRequests / raw.duration,
        errors: raw.errors + raw.timeouts,
        non2xx: raw.non2xx,
        requests: raw.totalCompletedRequests,
        seconds: raw.duration,
        raw,
      });
    });
  });
}

/** autocannon's result before aggregation (skipAggregateResult), as far as used here. */
interface RawResult {
  totalCompletedRequests: number;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** p50 and p99 over the merged latency histograms of runs (autocannon.aggregateResult). */
function percentilesOf(raws: RawResult[], url: string | string[]): { p50: number; p99: number } {
  const aggregate = (autocannon as unknown as { aggregateResult(r: RawResult[], o: object): autocannon.Result })
    .aggregateResult;
  const { latency } = aggregate(raws, { url });
  return { p50: latency.p50, p99: latency.p99 };
}

async function registerCustomers(base: string, headers: Record<string, string>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < CUSTOMERS) {
      const id = next++;
      const response = await fetch(`${base}/customers`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          customerId: `bench-${id}`,
          name: `Bench ${id}`,
          acquisitionChannel: 'web',
          acquisitionCost: 1,
          region: 'East',
          city: 'Shanghai',
          occurredAt: '2026-01-01T00:00:00.000Z',
        }),
      });
      if (response.status !== 201)
        throw new Error(`registering bench-${id}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function startEngine(workDir: string, port: number, key: string): Promise<ChildProcess> {
  // BENCH_ENGINE_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the engine alone.
  const nodeArgs = (process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, '-r', '@swc-node/register', join(ROOT, 'apps/engine/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: join(workDir, 'data'),
        API_KEYS: `agent:${hashApiKey(key)}:bench-agent`,
        LOG_LEVEL: 'warn',
        SQLITE_SYNCHRONOUS: process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'FULL',
        // The command path alone (validation + durable append); projections run in a separate worker
        // (PROJECTOR_ROLE=only). BENCH_PROJECTOR_ROLE=in-process measures them sharing the process.
        PROJECTOR_ROLE: process.env.BENCH_PROJECTOR_ROLE ?? 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`engine did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`engine exited (${code}):\n${output}`)));
  });
}

function stopEngine(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const extraOf = (m: Measured): Record<string, number> => ({
  ...(m.cpuUsPerRequest === undefined ? {} : { engineCpuUsPerRequest: m.cpuUsPerRequest }),
  p50Ms: m.p50,
  p99Ms: m.p99,
  requests: m.requests,
  errors: m.errors,
  non2xx: m.non2xx,
});

export const httpPurchase: Scenario = {
  name: 'http.purchase',
  async run(workDir): Promise<ScenarioResult> {
    const { purchase, trivial, probe } = await measureOnce(workDir);
    if (purchase.non2xx > 0 || purchase.errors > 0) throw new Error(`purchases failed: ${JSON.stringify(purchase)}`);
    return {
      value: Math.round(purchase.rps),
      unit: 'per_second',
      baseline: Math.round(trivial.rps),
      baselineLabel: `GET /ping of the same engine, ${CONNECTIONS} connections, same run`,
      target: '>= 3000/s, p99 < 50 ms, >= 0.35 of baseline',
      extra: {
        connections: CONNECTIONS,
        seconds: SECONDS,
        rounds: ROUNDS,
        projectorRole: process.env.BENCH_PROJECTOR_ROLE ?? 'none',
        ...extraOf(purchase),
        // What the engine spends on a ping over what it spends on a purchase: the ratio a client
        // with cores to spare would see, whatever bounds either rate here.
        pingP50MsDuringPurchases: probe.p50,
        pingP99MsDuringPurchases: probe.p99,
        ...(purchase.cpuUsPerRequest && trivial.cpuUsPerRequest
          ? { engineCpuRatio: Number((trivial.cpuUsPerRequest / purchase.cpuUsPerRequest).toFixed(3)) }
          : {}),
      },
    };
  },
};

export const httpTrivial: Scenario = {
  name: 'http.trivial',
  async run(workDir): Promise<ScenarioResult> {
    const { trivial } = await measureOnce(workDir);
    return {
      value: Math.round(trivial.rps),
      unit: 'per_second',
      baseline: Math.round(trivial.rps),
      baselineLabel: 'itself: the baseline http.purchase is measured against',
      extra: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, ...extraOf(trivial) },
    };
  },
};
