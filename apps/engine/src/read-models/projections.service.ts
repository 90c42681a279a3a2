import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import {
  PARKED_COLLECTION,
  ProjectionNotReadyError,
  ProjectionRunner,
  readRecord,
  type ParkedEvent,
  type ProjectionProgress,
  type ProjectionStatus,
  type ReplayResult,
} from '@rapport/projection-engine';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { DEFAULT_COLLECTIONS, type CollectionNames } from '@rapport/projections/scoring/collections';
import { runCustomersCollection } from '@rapport/projections/scoring/scoring-run';
import { CURRENT_RUN_META } from '@rapport/projections/scoring/scoring-runs.query';
import { EngineConfig } from '../config/engine-config';
import { ENGINE_PROJECTIONS, PROJECTION_NAMES } from './engine-projections';
import { createProjectionDecoder } from './projection-decoder';
import { notReady, projectorElsewhere, unknownProjection } from './read-model-errors';

export type ProjectionStatusView = ProjectionStatus & { runner: 'in-process' | 'external' };

/** Live collection names of every read model, for the queries and the scoring job. */
export type LiveCollections = CollectionNames & { customerProfile: string };

const PROGRESS_EVERY_MS = 5000;
const POLL_MS = 25;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The projection runner inside the engine. With PROJECTOR_ROLE in-process (default) or only it runs
 * every read model here; with none the projections run in a worker elsewhere and this process reads
 * their state from the read store (status, parked events, live collections) but cannot operate them.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionsService.name);
  private readonly runner: ProjectionRunner;
  readonly runsHere: boolean;
  private readonly lastProgress = new Map<string, number>();

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
      projections: [...ENGINE_PROJECTIONS],
      logger: this.logger,
      onProgress: (progress) => this.showProgress(progress),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsHere) return;
    await this.runner.start();
    this.logger.log(`projections running in this process: ${this.names.join(', ')}`);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.runsHere) await this.runner.stop();
  }

  get names(): string[] {
    return ENGINE_PROJECTIONS.map((p) => p.name);
  }

  requireKnown(name: string): void {
    if (!this.names.includes(name)) throw unknownProjection(name, this.names);
  }

  /** The collection queries read now (never a rebuild in progress); 503 before the first build exists. */
  async liveCollection(name: string): Promise<string> {
    try {
      // The record in the read store is the truth shared with a worker; in-process the runner holds it.
      if (this.runsHere) return this.runner.liveCollection(name);
      const record = await readRecord(this.readStore, name);
      if (!record.active) throw new ProjectionNotReadyError(name);
      return record.active.collection;
    } catch (error) {
      if (error instanceof ProjectionNotReadyError) throw notReady(error.message);
      throw error;
    }
  }

  async liveCollections(): Promise<LiveCollections> {
    const [customerProfile, customerValue, lifecycleStage, promiseFulfilment, sentimentTimeline, currentRun] =
      await Promise.all([
        this.liveCollection(PROJECTION_NAMES.customerProfile),
        this.liveCollection(PROJECTION_NAMES.customerValue),
        this.liveCollection(PROJECTION_NAMES.lifecycleStage),
        this.liveCollection(PROJECTION_NAMES.promiseFulfilment),
        this.liveCollection(PROJECTION_NAMES.sentimentTimeline),
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

  async status(): Promise<ProjectionStatusView[]> {
    if (this.runsHere) return (await this.runner.status()).map((s) => ({ ...s, runner: 'in-process' as const }));
    const head = await this.eventStore.headPosition();
    return Promise.all(
      ENGINE_PROJECTIONS.map((projection) => this.statusFromStore(projection.name, projection.handles, head)),
    );
  }

  /** Rebuilds into a shadow collection; `wait` resolves after the switch, else at once. */
  async rebuild(name: string, wait: boolean): Promise<void> {
    this.requireKnown(name);
    if (!this.runsHere) throw projectorElsewhere('a rebuild');
    const switched = this.runner.rebuild(name);
    if (wait) await switched;
    else switched.catch((error: unknown) => this.logger.error(`rebuild of ${name} failed: ${String(error)}`));
  }

  async parked(name: string): Promise<ParkedEvent[]> {
    this.requireKnown(name);
    if (this.runsHere) return this.runner.parked(name);
    const page = await this.readStore.find<ParkedEvent>(PARKED_COLLECTION, {
      filter: { field: 'collection', eq: await this.liveCollection(name) },
      sort: [{ field: 'position', direction: 'asc' }],
      limit: 1000,
    });
    return page.items;
  }

  async replayParked(name: string, ids?: string[]): Promise<ReplayResult> {
    this.requireKnown(name);
    if (!this.runsHere) throw projectorElsewhere('replaying parked events');
    return this.runner.replayParked(name, ids);
  }

  /**
   * Read-your-writes: resolves once the projection's live model reflects every event it handles up
   * to `position` (events of other types do not hold it back); 503 after `timeoutMs`.
   */
  async waitFor(name: string, position: number, timeoutMs = 5000): Promise<void> {
    const projection = ENGINE_PROJECTIONS.find((p) => p.name === name);
    if (!projection) throw unknownProjection(name, this.names);
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
        throw notReady(
          `projection ${name} has not reached position ${position} within ${timeoutMs} ms (at ${checkpoint})`,
        );
      if (this.runsHere) await this.runner.waitFor(name, position, Math.min(left, 250));
      else await sleep(POLL_MS);
    }
  }

  private async statusFromStore(name: string, handles: readonly string[], head: number): Promise<ProjectionStatusView> {
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
