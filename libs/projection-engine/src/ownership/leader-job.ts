import { AsyncLocalStorage } from 'node:async_hooks';
import { LeaseFencedError, type LeaseFence, type ReadStore } from '@rapport/read-store';
import { fencedReadStore } from '../runner/fenced-read-store';

/**
 * A once-per-cluster job (scoring run, watcher pass) as started by the holder of the jobs lease: its
 * writes present `fence`, so a leader that lost the lease while the job ran (paused, cut off) keeps
 * nothing beside its successor's.
 */
export interface LeaderJob {
  fence: LeaseFence;
  owner: string;
  /** Throws LeaseFencedError unless the lease is still this owner's, with this token, and unexpired. */
  assertHeld(): Promise<void>;
}

/** The job of a worker holding `fence` as `owner`, checked against the store's lease and `clock`. */
export function leaderJob(store: ReadStore, owner: string, fence: LeaseFence, clock: () => number): LeaderJob {
  return {
    fence,
    owner,
    async assertHeld() {
      const lease = (await store.listLeases(fence.lease)).find((l) => l.name === fence.lease);
      // Expired counts as lost even before anyone took it: a successor may be about to.
      if (lease?.owner === owner && lease.token === fence.token && lease.expiresAtMs > clock()) return;
      throw new LeaseFencedError(fence.lease, fence.token, lease?.token ?? null, lease?.owner ?? null);
    },
  };
}

// The job a piece of work runs in follows it through its awaits, so the write points deep inside
// (a watcher's append, the scoring run's record) need no extra parameter to find it.
const current = new AsyncLocalStorage<LeaderJob>();

/** Runs `work` as `job`: the write points below it check or present the job's lease. */
export function runAsLeaderJob<T>(job: LeaderJob, work: () => Promise<T>): Promise<T> {
  return current.run(job, work);
}

export const currentLeaderJob = (): LeaderJob | undefined => current.getStore();

/**
 * Before a leader job writes outside the read store (an event append, which no read-store lease can
 * fence): refuses when the lease was lost. A check, not an atomic fence: what slips between the check
 * and the append must be idempotent (the watchers' events have ids derived from their deadline).
 * Outside a leader job (an on-demand run) it lets everything through.
 */
export async function assertStillLeading(): Promise<void> {
  await current.getStore()?.assertHeld();
}

/** The read store as the current leader job writes to it (fenced by its lease); the store itself outside one. */
export function leaderJobReadStore(store: ReadStore): ReadStore {
  const job = current.getStore();
  return job ? fencedReadStore(store, job.fence) : store;
}
