import { fnv1a32 } from '@rapport/event-store';
// How projector workers split the projections between them. Pure: the coordinator feeds it what
// the lease listing says and acts on the plan; the leases themselves arbitrate any race.

/** Lease names the workers coordinate through. */
export const projectionLease = (projection: string): string => `projection:${projection}`;
export const workerLease = (workerId: string): string => `worker:${workerId}`;
export const PROJECTION_LEASE_PREFIX = 'projection:';
export const WORKER_LEASE_PREFIX = 'worker:';
/** The once-per-cluster jobs (scoring, deadline, worklist and alert watchers) run on its holder. */
export const JOBS_LEADER_LEASE = 'leader:jobs';

export interface OwnershipView {
  self: string;
  /** Workers whose heartbeat lease is live (this worker counts whether listed or not). */
  liveWorkers: readonly string[];
  projections: readonly string[];
  /** Live holder of each projection's lease; missing or null: nobody (never taken, released or expired). */
  holders: ReadonlyMap<string, string | null>;
}

export interface OwnershipPlan {
  /** The most projections one worker runs: ceil(projections / live workers). */
  share: number;
  /** Held here and kept. */
  keep: string[];
  /** Free, to take (as far as this worker is under its share). */
  take: string[];
  /** Held here beyond the share: given up so a worker under its share can take them. */
  release: string[];
}

export const fairShare = (projections: number, workers: number): number =>
  Math.ceil(projections / Math.max(1, workers));

/**
 * FNV-1a of `worker|projection`: each worker ranks the projections in its own stable order
 * (rendezvous hashing), so workers starting together reach for different ones first, and a worker
 * over its share gives up the same ones on every pass.
 */
export const preference = (worker: string, projection: string): number => fnv1a32(`${worker}|${projection}`);

/** What `self` should hold: its most preferred up to the share, free ones taken up to it, the rest given up. */
export function planOwnership(view: OwnershipView): OwnershipPlan {
  const workers = new Set(view.liveWorkers).add(view.self);
  const share = fairShare(view.projections.length, workers.size);
  const ranked = [...view.projections].sort(
    (a, b) => preference(view.self, b) - preference(view.self, a) || (a < b ? -1 : 1),
  );
  const mine = ranked.filter((p) => view.holders.get(p) === view.self);
  const keep = mine.slice(0, share);
  const release = mine.slice(share);
  const free = ranked.filter((p) => !view.holders.get(p));
  const take = free.slice(0, Math.max(0, share - keep.length));
  return { share, keep, take, release };
}
