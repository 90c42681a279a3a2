import { LeaseFencedError, MemoryReadStore, type Doc, type ReadStore } from '@rapport/read-store';
import { evolveCustomerValue } from '@rapport/projections/customer-value/customer-value.projection';
import { evolveLifecycleFacts } from '@rapport/projections/lifecycle-facts/lifecycle-facts.projection';
import { DEFAULT_COLLECTIONS } from '@rapport/scoring/collections';
import { ScoringJob } from '@rapport/scoring/scoring-job';
import { SCORING_RUNS_COLLECTION } from '@rapport/scoring/scoring-run';
import { CURRENT_RUN_META } from '@rapport/scoring/scoring-runs.query';
import { purchased, registered } from '@rapport/testing';
import { scoringRequest } from '@rapport/scoring/scoring-request.fixture';
import type { ProjectedEvent } from '../projection';
import { JOBS_LEADER_LEASE } from './fair-share';
import { assertStillLeading, leaderJobReadStore, runAsLeaderJob } from './leader-job';
import { ProjectionCoordinator } from './projection-coordinator';

const LEASE_MS = 1_000;
const NOW = '2024-07-01T00:00:00Z';

/** Two customers' value and lifecycle documents, as the projections would have written them. */
async function seeded(store: ReadStore): Promise<void> {
  const events: ProjectedEvent[] = [
    registered('c-1', '2024-01-01T00:00:00Z'),
    purchased('c-1', '2024-02-01T00:00:00Z', 120),
    purchased('c-1', '2024-05-01T00:00:00Z', 80),
    registered('c-2', '2024-03-01T00:00:00Z'),
    purchased('c-2', '2024-03-02T00:00:00Z', 40),
  ];
  const models: [string, (doc: Doc | null, event: ProjectedEvent) => Doc | null][] = [
    [DEFAULT_COLLECTIONS.customerValue, evolveCustomerValue as never],
    [DEFAULT_COLLECTIONS.lifecycleStage, evolveLifecycleFacts as never],
  ];
  for (const [collection, evolve] of models) {
    const docs = new Map<string, Doc | null>();
    for (const event of events) docs.set(event.data.customerId, evolve(docs.get(event.data.customerId) ?? null, event));
    await store.commit(
      [...docs.values()].flatMap((doc) => (doc ? [{ kind: 'upsert' as const, collection, doc, position: 10 }] : [])),
    );
  }
}

/** Two projector workers on one store with a hand-moved clock; `a` leads first. */
async function cluster(store: ReadStore) {
  let now = 1_700_000_000_000;
  const clock = () => now;
  const host = { startProjection: async () => undefined, stopProjection: async () => undefined };
  const worker = (workerId: string) =>
    new ProjectionCoordinator({
      readStore: store,
      host,
      projections: [],
      workerId,
      leaseMs: LEASE_MS,
      leader: true,
      clock,
    });
  const a = worker('worker-a');
  const b = worker('worker-b');
  await a.pass();
  await b.pass();
  /** `a` stops renewing (paused) past its lease; `b`'s next pass takes the lead. */
  const pauseA = async () => {
    now += 2 * LEASE_MS;
    await b.pass();
  };
  return { a, b, pauseA };
}

describe('leader jobs fenced by the jobs lease', () => {
  it("given a leader paused mid-run past its lease, when its scoring run is kept, then it is refused and only the successor's run is current", async () => {
    const store = new MemoryReadStore();
    await seeded(store);
    const { a, b, pauseA } = await cluster(store);
    const jobOfA = a.leaderJob();
    expect(jobOfA?.fence).toEqual({ lease: JOBS_LEADER_LEASE, token: 1 });
    expect(b.leaderJob()).toBeNull();

    // The pause falls after the run has started and written its customers, before it is kept.
    const pausing: ReadStore = new Proxy(store, {
      get(target, property) {
        if (property === 'bulkLoad')
          return async (...args: Parameters<ReadStore['bulkLoad']>) => {
            await pauseA();
            return target.bulkLoad(...args);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const staleRun = runAsLeaderJob(jobOfA!, () =>
      new ScoringJob(leaderJobReadStore(pausing)).run(scoringRequest(NOW)),
    );
    await expect(staleRun).rejects.toBeInstanceOf(LeaseFencedError);
    expect(await store.getMeta(CURRENT_RUN_META)).toBeNull();
    expect(a.isLeader).toBe(false);

    const jobOfB = b.leaderJob();
    expect(jobOfB?.fence.token).toBe(2);
    const kept = await runAsLeaderJob(jobOfB!, () =>
      new ScoringJob(leaderJobReadStore(store)).run(scoringRequest(NOW)),
    );
    expect(await store.getMeta(CURRENT_RUN_META)).toBe(kept.id);
    const runs = (await store.find<Doc & { status: string }>(SCORING_RUNS_COLLECTION, {})).items;
    // The stale run's start was written while it led; it never got further.
    expect(runs.filter((run) => run.status === 'succeeded').map((run) => run.id)).toEqual([kept.id]);
  });

  it('given a pass that lost the lease, when it is about to append, then it is refused; outside a leader job nothing is checked', async () => {
    const store = new MemoryReadStore();
    const { a, pauseA } = await cluster(store);
    const job = a.leaderJob()!;
    const appended: string[] = [];
    const append = async (id: string) => {
      await assertStillLeading();
      appended.push(id);
    };
    await runAsLeaderJob(job, () => append('while leading'));
    await pauseA();
    await expect(runAsLeaderJob(job, () => append('after losing the lease'))).rejects.toMatchObject({
      name: 'LeaseFencedError',
      lease: JOBS_LEADER_LEASE,
      token: 1,
      currentToken: 2,
      currentOwner: 'worker-b',
    });
    await append('an on-demand pass');
    expect(appended).toEqual(['while leading', 'an on-demand pass']);
  });

  it('given a leader whose lease ran out unrenewed, when its job checks, then it is refused even before another worker took the lease', async () => {
    const store = new MemoryReadStore();
    let now = 5_000_000;
    const a = new ProjectionCoordinator({
      readStore: store,
      host: { startProjection: async () => undefined, stopProjection: async () => undefined },
      projections: [],
      workerId: 'worker-a',
      leaseMs: LEASE_MS,
      leader: true,
      clock: () => now,
    });
    await a.pass();
    const job = a.leaderJob()!;
    await expect(job.assertHeld()).resolves.toBeUndefined();
    now += LEASE_MS;
    await expect(job.assertHeld()).rejects.toBeInstanceOf(LeaseFencedError);
    expect(a.leaderJob()).toBeNull();
  });
});
