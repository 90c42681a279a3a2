import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import {
  PARKED_COLLECTION,
  ProjectionCoordinator,
  ProjectionNotReadyError,
  ProjectionRunner,
  readRecord,
  runAsLeaderJob,
  partitionCheckpoints,
  type ParkedEvent,
  type PartitionStatus,
  type ProjectionProgress,
  type ProjectionStatus,
  type ReplayResult,
} from '@rapport/projection-engine';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { DEFAULT_COLLECTIONS, type CollectionNames } from '@rapport/scoring/collections';
import { runCustomersCollection } from '@rapport/scoring/scoring-run';
import { CURRENT_RUN_META } from '@rapport/scoring/scoring-runs.query';
import { READ_MODEL_PROJECTIONS, READ_MODELS } from '@rapport/projections/read-models';
import { EngineConfig } from '../config/engine-config';
import { clusterView, OwnerlessWatch, type ClusterView, type ProjectionOwner } from './projection-owners';
import { claimWorkerId } from './worker-identity';
import {
  ProjectionOwnedElsewhereError,
  ProjectorElsewhereError,
  ReadModelNotReadyError,
  UnknownProjectionError,
} from './projection-errors';
import { createProjectionDecoder } from './projection-decoder';

/** One partition of a projection split by customer hash, with the worker holding its lease. */
export type PartitionStatusView = PartitionStatus & { owner: ProjectionOwner };

/**
 * `runner`: whether this process runs it (or one of its partitions); `owner`: the worker holding its
 * lease (and the token its writes present), nobody for a partitioned one: its partitions name theirs.
 */
export type ProjectionStatusView = Omit<ProjectionStatus, 'partitions'> & {
  runner: 'in-process' | 'external';
  owner: ProjectionOwner;
  partitions?: PartitionStatusView[];
};

/** Live collection names of every read model, for the queries and the scoring job. */
export type LiveCollections = CollectionNames & { customerProfile: string };

const PROGRESS_EVERY_MS = 5000;
const POLL_MS = 25;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Projection hosting: the projection runner inside a process (the engine). With PROJECTOR_ROLE in-process (default) or only this
 * process is a projector worker: it runs the projections whose lease it holds (all of them when it
 * is the only worker; its fair share when several share one store, see ProjectionCoordinator) and
 * may lead the once-per-cluster jobs. With none, and for the projections another worker owns, this
 * process reads their state from the read store (status, parked events, live collections) but
 * cannot operate them.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionsService.name);
  private readonly runner: ProjectionRunner;
  private readonly coordinator: ProjectionCoordinator | null;
  /** A projector worker (PROJECTOR_ROLE in-process or only): runs projections and the cluster jobs when it holds their leases. */
  readonly runsHere: boolean;
  private readonly lastProgress = new Map<string, number>();
  private readonly leaseMs: number;
  private readonly ownerless: OwnerlessWatch;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(KEY_STORE) keyStore: KeyStore,
    @Inject(EngineConfig) config: EngineConfig,
  ) {
    this.runsHere = config.PROJECTOR_ROLE !== 'none';
    this.runner = new ProjectionRunner({
      eventStore,
      readStore,
      decoder: createProjectionDecoder(keyStore),
      projections: [...READ_MODEL_PROJECTIONS],
      partitions: config.PROJECTION_PARTITIONS,
      logger: this.logger,
      onProgress: (progress) => this.showProgress(progress),
    });
    this.leaseMs = config.PROJECTION_LEASE_SECONDS * 1000;
    this.ownerless = new OwnerlessWatch(this.leaseMs);
    const worker = this.runsHere
      ? claimWorkerId(config.DATA_DIR, config.WORKER_NAME, config.READ_STORE === 'sqlite')
      : null;
    if (worker?.resumed)
      this.logger.log(`projector worker ${worker.id}: restarted after its predecessor died; resuming its leases`);
    this.coordinator = worker
      ? new ProjectionCoordinator({
          readStore,
          host: this.runner,
          projections: this.runner.units(),
          workerId: worker.id,
          leaseMs: this.leaseMs,
          leader: true,
          logger: this.logger,
        })
      : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.coordinator) return;
    await this.coordinator.start();
    const { owned, workerId, leader } = this.coordinator.ownership();
    this.logger.log(
      `projector worker ${workerId}: running ${owned.map((o) => o.projection).join(', ') || 'no projection yet'}${leader ? '; leads the cluster jobs' : ''}`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    // Leases are given up so another worker takes over at once rather than after they expire.
    await this.coordinator?.stop();
    if (this.runsHere) await this.runner.stop();
  }

  /** True in the worker holding the jobs lease: the scoring scheduler and the watchers run only there. */
  leadsJobs(): boolean {
    return this.coordinator?.isLeader ?? false;
  }

  /**
   * Runs a once-per-cluster job if this worker leads (else resolves undefined): under the jobs lease as
   * held now, so the job's writes are refused once another worker has taken the lease over.
   */
  asLeader<T>(work: () => Promise<T>): Promise<T | undefined> {
    const job = this.coordinator?.leaderJob();
    return job ? runAsLeaderJob(job, work) : Promise.resolve(undefined);
  }

  /** This process's worker id (null with PROJECTOR_ROLE=none). */
  get workerId(): string | null {
    return this.coordinator?.workerId ?? null;
  }

  /** Runs the projection in this process now (its lease is held here). */
  private here(name: string): boolean {
    return this.runsHere && this.runner.runsHere(name);
  }

  /** The workers, the jobs leader and each projection's (or partition's) owner, from the leases. */
  cluster(): Promise<ClusterView> {
    return clusterView(this.readStore, this.runner.units(), this.workerId, Date.now());
  }

  /** Projections and partitions (`<name>#<i>/<n>`) nobody has owned for longer than a lease time (health reports them). */
  async unowned(): Promise<string[]> {
    const now = Date.now();
    return this.ownerless.ownerless(await clusterView(this.readStore, this.runner.units(), this.workerId, now), now);
  }

  get names(): string[] {
    return READ_MODEL_PROJECTIONS.map((p) => p.name);
  }

  requireKnown(name: string): void {
    if (!this.names.includes(name)) throw new UnknownProjectionError(name, this.names);
  }

  /** The collection queries read now (never a rebuild in progress); ReadModelNotReadyError before the first build exists. */
  async liveCollection(name: string): Promise<string> {
    try {
      // The record in the read store is the truth shared with a worker; the runner holds it for its own.
      if (this.here(name)) return this.runner.liveCollection(name);
      const record = await readRecord(this.readStore, name);
      if (!record.active) throw new ProjectionNotReadyError(name);
      return record.active.collection;
    } catch (error) {
      if (error instanceof ProjectionNotReadyError) throw new ReadModelNotReadyError(error.message);
      throw error;
    }
  }

  async liveCollections(): Promise<LiveCollections> {
    const [customerProfile, customerValue, lifecycleStage, promiseFulfilment, sentimentTimeline, currentRun] =
      await Promise.all([
        this.liveCollection(READ_MODELS.customerProfile.name),
        this.liveCollection(READ_MODELS.customerValue.name),
        this.liveCollection(READ_MODELS.lifecycleStage.name),
        this.liveCollection(READ_MODELS.promiseFulfilment.name),
        this.liveCollection(READ_MODELS.sentimentTimeline.name),
        this.readStore.getMeta<string | null>(CURRENT_RUN_META),
      ]);
    // The scored customers are those of the current scoring run (the latest as-of time).
    const analyticsCustomers = currentRun ? runCustomersCollection(currentRun) : DEFAULT_COLLECTIONS.analyticsCustomers;
    return {
      ...DEFAULT_COLLECTIONS,
      customerProfile,
      customerValue,
      lifecycleStage,
      promiseFulfilment,
      sentimentTimeline,
      analyticsCustomers,
    };
  }

  async status(cluster?: ClusterView): Promise<ProjectionStatusView[]> {
    const { owners } = cluster ?? (await this.cluster());
    const ownerOf = (name: string): ProjectionOwner =>
      owners.get(name) ?? { worker: null, token: null, leaseExpiresAt: null };
    const mine = this.runsHere ? await this.runner.status() : [];
    const head = await this.eventStore.headPosition();
    return Promise.all(
      READ_MODEL_PROJECTIONS.map(async (projection) => {
        const local = this.here(projection.name) ? mine.find((s) => s.name === projection.name) : undefined;
        const { partitions: here, ...status } = local
          ? { ...local, runner: 'in-process' as const }
          : { ...(await this.statusFromStore(projection.name, projection.handles, head)), partitions: undefined };
        const units = this.runner.units().filter((u) => u.startsWith(`${projection.name}#`));
        if (units.length === 0) return { ...status, owner: ownerOf(projection.name) };
        const partitions = here ?? (await this.partitionsFromStore(status.collection, units));
        return {
          ...status,
          owner: ownerOf(projection.name),
          partitions: partitions.map((p) => ({ ...p, owner: ownerOf(p.unit) })),
        };
      }),
    );
  }

  /** A partitioned projection's partitions as the stored checkpoints say (run elsewhere or nowhere). */
  private async partitionsFromStore(collection: string | null, units: string[]): Promise<PartitionStatus[]> {
    const stored = collection ? await partitionCheckpoints(this.readStore, collection, units.length) : [];
    return units.map((unit, index) => ({
      unit,
      index,
      count: units.length,
      running: false,
      checkpoint: stored[index] ?? 0,
      phase: 'stopped' as const,
      lastError: null,
    }));
  }

  /** Refuses (ProjectorElsewhereError, ProjectionOwnedElsewhereError) unless this process runs the projection. */
  private async requireHere(name: string, what: string): Promise<void> {
    if (!this.runsHere) throw new ProjectorElsewhereError(what);
    if (this.here(name)) return;
    const { owners } = await this.cluster();
    // A partitioned projection is operated by any worker running one of its partitions.
    const unit = this.runner.units().find((u) => (u === name || u.startsWith(`${name}#`)) && owners.get(u)?.worker);
    throw new ProjectionOwnedElsewhereError(what, name, unit ? (owners.get(unit)?.worker ?? null) : null);
  }

  /** Rebuilds into a shadow collection; `wait` resolves after the switch, else at once. */
  async rebuild(name: string, wait: boolean): Promise<void> {
    this.requireKnown(name);
    await this.requireHere(name, 'a rebuild');
    const switched = this.runner.rebuild(name);
    if (wait) await switched;
    else switched.catch((error: unknown) => this.logger.error(`rebuild of ${name} failed: ${String(error)}`));
  }

  async parked(name: string): Promise<ParkedEvent[]> {
    this.requireKnown(name);
    if (this.here(name)) return this.runner.parked(name);
    const page = await this.readStore.find<ParkedEvent>(PARKED_COLLECTION, {
      filter: { field: 'collection', eq: await this.liveCollection(name) },
      sort: [{ field: 'position', direction: 'asc' }],
      limit: 1000,
    });
    return page.items;
  }

  async replayParked(name: string, ids?: string[]): Promise<ReplayResult> {
    this.requireKnown(name);
    await this.requireHere(name, 'replaying parked events');
    return this.runner.replayParked(name, ids);
  }

  /**
   * Read-your-writes: resolves once the projection's live model reflects every event it handles up
   * to `position` (events of other types do not hold it back); ReadModelNotReadyError after `timeoutMs`.
   */
  async waitFor(name: string, position: number, timeoutMs = 5000): Promise<void> {
    const projection = READ_MODEL_PROJECTIONS.find((p) => p.name === name);
    if (!projection) throw new UnknownProjectionError(name, this.names);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoint = (await this.readStore.getCheckpoint(await this.liveCollection(name))) ?? 0;
      if (checkpoint >= position) return;
      let pending = false;
      for await (const next of this.eventStore.readAll({
        fromPosition: checkpoint + 1,
        maxCount: 1,
        filter: { eventTypes: [...projection.handles] },
      })) {
        pending = next.position <= position;
      }
      if (!pending) return;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new ReadModelNotReadyError(
          `projection ${name} has not reached position ${position} within ${timeoutMs} ms (at ${checkpoint})`,
        );
      if (this.here(name)) await this.runner.waitFor(name, position, Math.min(left, 250));
      else await sleep(POLL_MS);
    }
  }

  private async statusFromStore(
    name: string,
    handles: readonly string[],
    head: number,
  ): Promise<Omit<ProjectionStatusView, 'owner' | 'partitions'>> {
    const record = await readRecord(this.readStore, name);
    const checkpointOf = async (collection: string | undefined) =>
      collection ? ((await this.readStore.getCheckpoint(collection)) ?? 0) : 0;
    const checkpoint = await checkpointOf(record.active?.collection);
    const shadowCheckpoint = await checkpointOf(record.shadow?.collection);
    let secondsBehind = 0;
    // Behind only while an event it handles is past the checkpoint (which moves with handled events only).
    let handledPending = false;
    for await (const next of this.eventStore.readAll({
      fromPosition: checkpoint + 1,
      maxCount: 1,
      filter: { eventTypes: [...handles] as never },
    })) {
      handledPending = true;
      const recordedAt = Date.parse(String(next.metadata.recordedAt ?? ''));
      if (Number.isFinite(recordedAt)) secondsBehind = Math.max(0, (Date.now() - recordedAt) / 1000);
    }
    return {
      name,
      version: record.active?.version ?? null,
      collection: record.active?.collection ?? null,
      checkpoint,
      headPosition: head,
      eventsBehind: handledPending ? Math.max(0, head - checkpoint) : 0,
      secondsBehind,
      parked: record.active
        ? await this.readStore.count(PARKED_COLLECTION, { field: 'collection', eq: record.active.collection })
        : 0,
      // Seen from outside the worker: what the stored record and checkpoint say.
      state: record.shadow ? 'rebuilding' : checkpoint >= head || !handledPending ? 'live' : 'catching_up',
      rebuild: record.shadow
        ? {
            version: record.shadow.version,
            collection: record.shadow.collection,
            checkpoint: shadowCheckpoint,
            eventsBehind: Math.max(0, head - shadowCheckpoint),
          }
        : null,
      lastError: null,
      runner: 'external',
    };
  }

  /** Long catch-ups and rebuilds show progress in the log, at most every few seconds per collection. */
  private showProgress(progress: ProjectionProgress): void {
    const now = Date.now();
    if (progress.position >= progress.head && progress.phase === 'live') return;
    if (now - (this.lastProgress.get(progress.collection) ?? 0) < PROGRESS_EVERY_MS) return;
    this.lastProgress.set(progress.collection, now);
    const share = progress.head > 0 ? Math.min(100, (progress.position / progress.head) * 100).toFixed(1) : '100.0';
    this.logger.log(
      `projection ${progress.projection} (${progress.collection}, ${progress.phase}): position ${progress.position}/${progress.head} (${share}%), ${progress.processed} events applied`,
    );
  }
}
