import type { LeaseFencedError, LeaseGrant, LeaseRecord, ReadStore } from '@rapport/read-store';
import { silentLogger, type RunnerLogger } from '../runner/runner-options';
import {
  JOBS_LEADER_LEASE,
  planOwnership,
  PROJECTION_LEASE_PREFIX,
  projectionLease,
  WORKER_LEASE_PREFIX,
  workerLease,
} from './fair-share';
import { leaderJob, type LeaderJob } from './leader-job';

/** What the coordinator drives: the projection runner's start/stop seams. */
export interface ProjectionHost {
  startProjection(
    name: string,
    owned: { fence: { lease: string; token: number }; onFenced?: (e: LeaseFencedError) => void },
  ): Promise<void>;
  stopProjection(name: string): Promise<void>;
}

export interface CoordinatorOptions {
  readStore: ReadStore;
  host: ProjectionHost;
  projections: readonly string[];
  /** Unique per process: a restarted worker is a new owner, so a paused predecessor stays fenced off. */
  workerId: string;
  /** Lease time to live; renewed every third of it. */
  leaseMs: number;
  /** Compete for the once-per-cluster jobs lease (`leader:jobs`). */
  leader?: boolean;
  onLeadership?: (leading: boolean) => void;
  clock?: () => number;
  logger?: RunnerLogger;
}

export interface WorkerOwnership {
  workerId: string;
  leader: boolean;
  /** Projections run here, with the lease each one's writes present. */
  owned: { projection: string; token: number; expiresAtMs: number }[];
}

const liveAt = (lease: LeaseRecord, nowMs: number): boolean => lease.owner !== null && lease.expiresAtMs > nowMs;

/**
 * One projector worker's side of sharing the projections: a heartbeat lease (`worker:<id>`) says it is
 * alive, a lease per projection (`projection:<name>`) says it runs that one. Every pass (each third of
 * the lease time) renews what it holds and stops at once what it lost, then takes free projections up
 * to its fair share and gives up those beyond it (planOwnership). A worker that dies stops renewing;
 * its leases expire and the others take its projections over from their checkpoints.
 */
export class ProjectionCoordinator {
  private readonly held = new Map<string, LeaseGrant>();
  private heartbeat: LeaseGrant | null = null;
  private leading: LeaseGrant | null = null;
  private timer: NodeJS.Timeout | undefined;
  private passing: Promise<void> | undefined;
  private stopped = false;
  private foreignSaid = '';
  private readonly clock: () => number;
  private readonly logger: RunnerLogger;

  constructor(private readonly options: CoordinatorOptions) {
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  get workerId(): string {
    return this.options.workerId;
  }

  /** True while this worker holds the jobs lease. */
  get isLeader(): boolean {
    return this.leading !== null && this.leading.expiresAtMs > this.clock();
  }

  /** The jobs lease as held now, for a once-per-cluster job to run under; null when not leading. */
  leaderJob(): LeaderJob | null {
    const grant = this.leading;
    if (!grant || !this.isLeader) return null;
    const fence = { lease: JOBS_LEADER_LEASE, token: grant.token };
    return leaderJob(this.options.readStore, this.options.workerId, fence, this.clock);
  }

  /** Runs the first pass (so a lone worker runs everything once started), then one every third of the lease. */
  async start(): Promise<void> {
    await this.pass();
    this.timer = setInterval(() => void this.pass(), Math.max(20, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  /** Stops every projection here and gives every lease up, so the other workers take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.passing;
    const { readStore, workerId } = this.options;
    for (const name of [...this.held.keys()]) await this.giveUp(name);
    if (this.leading) await readStore.releaseLease(JOBS_LEADER_LEASE, workerId, this.leading.token).catch(() => false);
    this.setLeading(null);
    if (this.heartbeat)
      await readStore.releaseLease(workerLease(workerId), workerId, this.heartbeat.token).catch(() => false);
    this.heartbeat = null;
  }

  ownership(): WorkerOwnership {
    return {
      workerId: this.options.workerId,
      leader: this.isLeader,
      owned: [...this.held.entries()].map(([projection, grant]) => ({
        projection,
        token: grant.token,
        expiresAtMs: grant.expiresAtMs,
      })),
    };
  }

  /** One pass at a time; a pass asked for while one runs joins it. */
  pass(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.passing ??= this.passOnce()
      .catch((error: unknown) =>
        this.logger.error(`projection leases: pass failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.passing = undefined));
    return this.passing;
  }

  private async passOnce(): Promise<void> {
    const { readStore, workerId, leaseMs } = this.options;
    // The heartbeat first: renewed before the projection leases, it expires before them, so when a
    // dead worker's projections come free the others already count it gone and have room to take them.
    this.heartbeat = await readStore.acquireLease(workerLease(workerId), workerId, leaseMs, this.clock());
    for (const [name, grant] of [...this.held]) await this.renew(name, grant);
    if (this.options.leader) await this.lead();
    if (this.stopped) return;

    const now = this.clock();
    const [workers, leases] = await Promise.all([
      readStore.listLeases(WORKER_LEASE_PREFIX),
      readStore.listLeases(PROJECTION_LEASE_PREFIX),
    ]);
    const holders = new Map<string, string | null>();
    this.warnForeign(leases, now);
    for (const lease of leases) {
      const name = lease.name.slice(PROJECTION_LEASE_PREFIX.length);
      // Held under this id but not run here: a predecessor's (a restart that took its id): to take back.
      if (liveAt(lease, now)) holders.set(name, lease.owner === workerId && !this.held.has(name) ? null : lease.owner);
    }
    // What this worker holds is what it knows, whatever a listing taken a moment ago says.
    for (const name of this.held.keys()) holders.set(name, workerId);
    const plan = planOwnership({
      self: workerId,
      liveWorkers: workers.filter((w) => liveAt(w, now)).map((w) => w.name.slice(WORKER_LEASE_PREFIX.length)),
      projections: this.options.projections,
      holders,
    });
    for (const name of plan.release) {
      this.logger.log(`projection ${name}: over this worker's share of ${plan.share}; handing it over`);
      await this.giveUp(name);
    }
    for (const name of plan.take) {
      if (this.stopped) return;
      await this.take(name);
    }
  }

  /**
   * Live leases of units this worker does not know, of projections it runs (`customer-value` beside
   * `customer-value#0/2`): workers with different partition counts, which would both write those
   * documents. Expected for a moment while the count changes; said once per distinct set.
   */
  private warnForeign(leases: readonly LeaseRecord[], now: number): void {
    const known = new Set(this.options.projections);
    const base = (unit: string) => unit.split('#')[0]!;
    const mine = new Set(this.options.projections.map(base));
    const foreign = leases
      .filter((l) => liveAt(l, now))
      .map((l) => l.name.slice(PROJECTION_LEASE_PREFIX.length))
      .filter((unit) => !known.has(unit) && mine.has(base(unit)));
    const said = foreign.join(', ');
    if (said && said !== this.foreignSaid)
      this.logger.warn(
        `projection leases held by other workers for units this worker does not run: ${said}; do all workers have the same PROJECTION_PARTITIONS?`,
      );
    this.foreignSaid = said;
  }

  private async renew(name: string, grant: LeaseGrant): Promise<void> {
    const { readStore, workerId, leaseMs } = this.options;
    try {
      const renewed = await readStore.renewLease(projectionLease(name), workerId, grant.token, leaseMs, this.clock());
      if (renewed) {
        if (this.held.get(name) === grant) this.held.set(name, renewed);
        return;
      }
      this.logger.warn(`projection ${name}: lease ${grant.token} lost to another worker; stopping here`);
    } catch (error) {
      // The store did not answer: keep going while the lease is surely ours (writes are fenced anyway).
      if (grant.expiresAtMs > this.clock()) return;
      this.logger.warn(`projection ${name}: lease not renewed before it expired (${(error as Error).message})`);
    }
    await this.lose(name);
  }

  private async lead(): Promise<void> {
    const { readStore, workerId, leaseMs } = this.options;
    try {
      const grant = this.leading
        ? await readStore.renewLease(JOBS_LEADER_LEASE, workerId, this.leading.token, leaseMs, this.clock())
        : await readStore.acquireLease(JOBS_LEADER_LEASE, workerId, leaseMs, this.clock());
      this.setLeading(grant);
    } catch (error) {
      if (!this.isLeader) this.setLeading(null);
      throw error;
    }
  }

  private setLeading(grant: LeaseGrant | null): void {
    const was = this.leading !== null;
    this.leading = grant;
    if (was !== (grant !== null)) {
      this.logger.log(`worker ${this.options.workerId}: ${grant ? 'now leads' : 'no longer leads'} the cluster jobs`);
      this.options.onLeadership?.(grant !== null);
    }
  }

  private async take(name: string): Promise<void> {
    const { readStore, workerId, leaseMs, host } = this.options;
    const grant = await readStore.acquireLease(projectionLease(name), workerId, leaseMs, this.clock());
    if (!grant) return; // another worker was quicker
    this.held.set(name, grant);
    this.logger.log(`projection ${name}: taken by worker ${workerId} (lease token ${grant.token})`);
    try {
      await host.startProjection(name, {
        fence: { lease: projectionLease(name), token: grant.token },
        onFenced: () => {
          if (this.held.get(name)?.token === grant.token) void this.lose(name);
        },
      });
    } catch (error) {
      this.logger.error(`projection ${name}: could not start: ${(error as Error).message}`);
      await this.giveUp(name);
    }
  }

  /** Lost: stop at once, nothing to give back. */
  private async lose(name: string): Promise<void> {
    this.held.delete(name);
    await this.options.host.stopProjection(name);
  }

  /** Given up: stop, then release, so the next owner starts after the last write of this one. */
  private async giveUp(name: string): Promise<void> {
    const grant = this.held.get(name);
    this.held.delete(name);
    await this.options.host.stopProjection(name);
    if (grant)
      await this.options.readStore
        .releaseLease(projectionLease(name), this.options.workerId, grant.token)
        .catch(() => false);
  }
}
