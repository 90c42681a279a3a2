import { JOBS_LEADER_LEASE, PROJECTION_LEASE_PREFIX, WORKER_LEASE_PREFIX } from '@rapport/projection-engine';
import type { LeaseRecord, ReadStore } from '@rapport/read-store';

/** Who runs a projection, as its lease says. */
export interface ProjectionOwner {
  /** The worker holding its lease live; null: nobody (never taken, released, or expired). */
  worker: string | null;
  /** The fencing token its writes present (kept after a release or expiry). */
  token: number | null;
  /** When the lease runs out unless renewed (ISO); null when released or never taken. */
  leaseExpiresAt: string | null;
}

export interface WorkerView {
  id: string;
  /** Its heartbeat lease runs out at (ISO). */
  expiresAt: string;
  leader: boolean;
  projections: string[];
}

export interface ClusterView {
  /** This process's worker id (null: PROJECTOR_ROLE=none). */
  thisWorker: string | null;
  leader: string | null;
  workers: WorkerView[];
  owners: Map<string, ProjectionOwner>;
  /** Projections whose owner stopped renewing: when the lease ran out (ms). */
  expiredAtMs: Map<string, number>;
}

const live = (lease: LeaseRecord | undefined, nowMs: number): lease is LeaseRecord & { owner: string } =>
  lease !== undefined && lease.owner !== null && lease.expiresAtMs > nowMs;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Reads the projector workers' leases: who is alive, who leads the jobs, who owns each projection. */
export async function clusterView(
  store: ReadStore,
  projections: readonly string[],
  thisWorker: string | null,
  nowMs: number,
): Promise<ClusterView> {
  const [workers, owned, leader] = await Promise.all([
    store.listLeases(WORKER_LEASE_PREFIX),
    store.listLeases(PROJECTION_LEASE_PREFIX),
    store.listLeases(JOBS_LEADER_LEASE),
  ]);
  const byName = new Map(owned.map((l) => [l.name.slice(PROJECTION_LEASE_PREFIX.length), l]));
  const owners = new Map<string, ProjectionOwner>();
  const expiredAtMs = new Map<string, number>();
  for (const name of projections) {
    const lease = byName.get(name);
    if (lease && lease.owner !== null && lease.expiresAtMs <= nowMs) expiredAtMs.set(name, lease.expiresAtMs);
    owners.set(
      name,
      live(lease, nowMs)
        ? { worker: lease.owner, token: lease.token, leaseExpiresAt: iso(lease.expiresAtMs) }
        : { worker: null, token: lease?.token ?? null, leaseExpiresAt: null },
    );
  }
  const leading = leader.find((l) => l.name === JOBS_LEADER_LEASE);
  const leaderId = live(leading, nowMs) ? leading.owner : null;
  return {
    thisWorker,
    leader: leaderId,
    workers: workers
      .filter((w) => live(w, nowMs))
      .map((w) => {
        const id = w.name.slice(WORKER_LEASE_PREFIX.length);
        return {
          id,
          expiresAt: iso(w.expiresAtMs),
          leader: id === leaderId,
          projections: projections.filter((p) => owners.get(p)?.worker === id),
        };
      }),
    owners,
    expiredAtMs,
  };
}

/**
 * Projections nobody has owned for longer than a lease time, as this process has watched them
 * (a lease that expired counts from its expiry; one never seen owned, from when this process first
 * looked): a worker starting or taking over is given that long before it is reported.
 */
export class OwnerlessWatch {
  private readonly since = new Map<string, number>();

  constructor(private readonly leaseMs: number) {}

  ownerless(view: Pick<ClusterView, 'owners' | 'expiredAtMs'>, nowMs: number): string[] {
    const long: string[] = [];
    for (const [name, owner] of view.owners) {
      if (owner.worker !== null) {
        this.since.delete(name);
        continue;
      }
      const seen = this.since.get(name) ?? view.expiredAtMs.get(name) ?? nowMs;
      this.since.set(name, seen);
      if (nowMs - seen > this.leaseMs) long.push(name);
    }
    return long;
  }
}
