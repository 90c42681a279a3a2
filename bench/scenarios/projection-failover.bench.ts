// projection.failover (issue 17): projector workers as processes on one SQLite event store and one
// SQLite read store, sharing six projections under 5 s leases, appends running throughout. The
// figure: from SIGKILL of the worker that owns a projection to that read model moving again (a
// commit of it under the successor's newer token). Baseline: the lease time itself, the least a
// takeover after a crash can take (nobody may write until the dead owner's lease has run out).
// projection.owned: one worker alone, every commit fenced by its leases, against the runner without
// leases: the cost of ownership when nothing is shared (it should be none).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '@rapport/event-store';
import { ProjectionCoordinator, ProjectionRunner, projectionLease } from '@rapport/projection-engine';
import { passThroughDecoder, seedHistory } from '@rapport/projection-engine/testing/history';
import { WORKER_PROJECTIONS } from '@rapport/projection-engine/testing/worker-projections';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { caughtUp, keepAppending, until, WorkerProcess } from '@rapport/projection-engine/testing/projection-workers';
import { openLeaseTestStore } from '@rapport/read-store/testing/lease-test-store';
import type { Scenario, ScenarioResult } from '../scenario';

const LEASE_MS = 5000;
const CUSTOMERS = 300;
const EVENTS_PER_CUSTOMER = 12;

/** From now until a worker other than `before` lands a commit of `projection` under a token above `token`. */
async function movingAgain(workers: WorkerProcess[], projection: string, token: number, since: number) {
  const lease = projectionLease(projection);
  let at = 0;
  await until(
    () => {
      for (const w of workers)
        for (const c of w.commits)
          if (c.landed && c.lease === lease && c.token > token && c.endedAt >= since)
            at = at === 0 ? c.endedAt : Math.min(at, c.endedAt);
      return at > 0;
    },
    `${projection} to move again`,
    60_000,
  );
  return at;
}

export const projectionFailover: Scenario = {
  name: 'projection.failover',
  async run(workDir: string): Promise<ScenarioResult> {
    const eventsFile = join(workDir, 'events.db');
    const spec = `sqlite:${join(workDir, 'reads.db')}`;
    const events = new SqliteEventStore({ path: eventsFile, synchronous: 'NORMAL' });
    await seedHistory(events, CUSTOMERS, EVENTS_PER_CUSTOMER, 1);
    const { store, close } = await openLeaseTestStore(spec);
    const workers = ['w1', 'w2'].map((id) => new WorkerProcess(id, eventsFile, spec, LEASE_MS));
    let appending: { stop(): Promise<void> } | undefined;
    try {
      await until(() => workers.every((w) => w.owned.length === 3), 'two workers owning 3 of 6 each', 60_000);
      await until(async () => caughtUp(store, events, await events.headPosition()), 'the catch-up', 120_000);
      appending = keepAppending(events, 10_000);
      await sleep(2000);

      // The figure: SIGKILL of the owner of a projection.
      const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
      const target = victim.owned[0]!;
      const headAtKill = await events.headPosition();
      const killedAt = Date.now();
      await victim.kill();
      let takenAt = 0;
      await until(
        () => {
          if (survivor.owned.some((o) => o.projection === target.projection)) takenAt ||= Date.now();
          return takenAt > 0;
        },
        'the takeover',
        60_000,
      );
      const movedAt = await movingAgain([survivor], target.projection, target.token, killedAt);

      // A worker joining: the over-share worker hands projections over and the newcomer takes them.
      const joinedAt = Date.now();
      const newcomer = new WorkerProcess('w3', eventsFile, spec, LEASE_MS);
      workers.push(newcomer);
      await until(() => newcomer.owned.length === 3 && survivor.owned.length === 3, 'the rebalance', 60_000);
      const rebalancedAt = Date.now();

      // A graceful stop: leases released, the other takes over at its next pass, no expiry to wait for.
      const handed = survivor.owned[0]!;
      const stoppedAt = Date.now();
      await survivor.stop();
      const handedAt = await movingAgain([newcomer], handed.projection, handed.token, stoppedAt);

      await appending.stop();
      appending = undefined;
      const appended = (await events.headPosition()) - headAtKill;
      return {
        value: movedAt - killedAt,
        unit: 'ms',
        baseline: LEASE_MS,
        baselineLabel: 'the lease time to live (5 s): no successor may write before the dead owner’s lease runs out',
        target: '< 10000 ms with a 5 s lease, appends running',
        extra: {
          projection: target.projection,
          sigkill_to_taken_ms: takenAt - killedAt,
          sigkill_to_moving_ms: movedAt - killedAt,
          join_rebalance_ms: rebalancedAt - joinedAt,
          graceful_stop_to_moving_ms: handedAt - stoppedAt,
          events_appended_after_kill: appended,
          seeded_events: CUSTOMERS * EVENTS_PER_CUSTOMER,
        },
      };
    } finally {
      await appending?.stop();
      for (const w of workers) await w.stop();
      await close();
      await events.close();
    }
  },
};

const scale = Number(process.env.BENCH_SCALE ?? 1);

/** Builds the six read models from scratch on a fresh SQLite read store, live tracks (the engine's batches of 1,000); events/s. */
async function catchUp(
  events: SqliteEventStore,
  file: string,
  owned: boolean,
): Promise<{ rate: number; cpuSeconds: number }> {
  const reads = new SqliteReadStore({ filename: file });
  const runner = new ProjectionRunner({
    eventStore: events,
    readStore: reads,
    decoder: passThroughDecoder,
    projections: [...WORKER_PROJECTIONS],
  });
  const coordinator = owned
    ? new ProjectionCoordinator({
        readStore: reads,
        host: runner,
        projections: WORKER_PROJECTIONS.map((p) => p.name),
        workerId: 'solo',
        leaseMs: 10_000,
        leader: true,
      })
    : null;
  const head = await events.headPosition();
  const t = performance.now();
  const cpu = process.cpuUsage();
  if (coordinator) await coordinator.start();
  else await runner.start();
  for (const p of WORKER_PROJECTIONS)
    if (!(await runner.waitFor(p.name, head, 600_000))) throw new Error(`${p.name} did not catch up`);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  await coordinator?.stop();
  await runner.stop();
  await reads.close();
  return { rate: head / seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const projectionOwned: Scenario = {
  name: 'projection.owned',
  async run(workDir: string): Promise<ScenarioResult> {
    const customers = Math.max(200, Math.round(10_000 * scale));
    const events = new SqliteEventStore({ path: join(workDir, 'events.db'), synchronous: 'NORMAL' });
    await seedHistory(events, customers, EVENTS_PER_CUSTOMER, 7);
    type Run = { rate: number; cpuSeconds: number };
    const runs: { owned: Run[]; plain: Run[] } = { owned: [], plain: [] };
    try {
      // Alternated, median of four each: the shared machine's noise is larger than the difference sought.
      for (let round = 0; round < 4; round++) {
        runs.plain.push(await catchUp(events, join(workDir, `plain-${round}.db`), false));
        runs.owned.push(await catchUp(events, join(workDir, `owned-${round}.db`), true));
      }
    } finally {
      await events.close();
    }
    return {
      value: Math.round(median(runs.owned.map((r) => r.rate))),
      unit: 'per_second',
      baseline: Math.round(median(runs.plain.map((r) => r.rate))),
      baselineLabel:
        'the same six read models built by the runner alone, no leases, no fence (median of four, alternated)',
      target: '>= 0.95 of baseline (one worker: unchanged)',
      extra: {
        events: customers * EVENTS_PER_CUSTOMER,
        projections: WORKER_PROJECTIONS.length,
        owned_runs: runs.owned.map((r) => Math.round(r.rate)).join(' / '),
        plain_runs: runs.plain.map((r) => Math.round(r.rate)).join(' / '),
        owned_cpu_s_median: Number(median(runs.owned.map((r) => r.cpuSeconds)).toFixed(2)),
        plain_cpu_s_median: Number(median(runs.plain.map((r) => r.cpuSeconds)).toFixed(2)),
      },
    };
  },
};
