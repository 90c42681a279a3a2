import { LeaseFencedError, type LeaseFence, type ReadStore } from '@rapport/read-store';
import type { Projection } from '../projection';
import type { ParkedEvent } from './batch-applier';
import { ParkedEvents, type ReplayResult } from './parked-events';
import {
  collectionNameOf,
  metaKeyOf,
  PARKED_COLLECTION,
  ProjectionNotHereError,
  ProjectionNotReadyError,
  readRecord,
  type ProjectionRecord,
  type ProjectionTarget,
} from './projection-catalog';
import { fencedReadStore } from './fenced-read-store';
import { statusOf, type ProjectionStatus } from './projection-status';
import { ProjectionTrack, type TrackContext } from './projection-track';
import { silentLogger, type ProjectionRunnerOptions } from './runner-options';

interface Running {
  projection: Projection;
  record: ProjectionRecord;
  live: ProjectionTrack | null;
  shadow: ProjectionTrack | null;
  switched: Promise<void> | null;
  /** Followed by this runner now (all after `start()`, the owned ones under `startProjection`). */
  here: boolean;
  /** The lease every write of this projection presents while owned; null: unfenced (one runner). */
  fence: LeaseFence | null;
  /** Told once when a fenced write was refused: the lease passed to another worker. */
  onFenced: ((error: LeaseFencedError) => void) | null;
  /** Its loops, awaited when it stops here. */
  loops: Set<Promise<void>>;
  /** Starts and stops of it, one at a time. */
  turn: Promise<void>;
}

const RESTART_DELAY_MS = 1000;

/**
 * Runs projections from their checkpoints into the read store: catch-up in batches, then the live
 * subscription; documents and checkpoint committed together; poison events parked; rebuilds into a
 * shadow collection switched in atomically once caught up. Plain TypeScript: the app wraps it.
 */
export class ProjectionRunner {
  private readonly ctx: TrackContext;
  private readonly running = new Map<string, Running>();
  private readonly parkedEvents: ParkedEvents;
  private started = false;
  private stopped = false;
  private readonly loops = new Set<Promise<void>>();

  constructor(private readonly options: ProjectionRunnerOptions) {
    const names = options.projections.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`projection names must be unique: ${names.join(', ')}`);
    const logger = options.logger ?? silentLogger;
    this.ctx = {
      eventStore: options.eventStore,
      readStore: options.readStore,
      decoder: options.decoder,
      batchSize: options.batchSize ?? 1000,
      shadowFlushEvents: options.shadowFlushEvents ?? 1_000_000,
      rebuild: { maxCachedDocs: 200_000, perCustomer: true, ...options.rebuild },
      retry: options.retry ?? { attempts: 3, baseDelayMs: 50 },
      clock: options.clock ?? Date.now,
      logger,
      onParked: (p) =>
        logger.warn(`projection ${p.projection}: parked event ${p.position} (${p.eventType}): ${p.error}`),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    this.parkedEvents = new ParkedEvents(this.ctx);
    for (const projection of options.projections) {
      this.running.set(projection.name, {
        projection,
        record: { active: null, shadow: null, retired: [], generation: 0 },
        live: null,
        shadow: null,
        switched: null,
        here: false,
        fence: null,
        onFenced: null,
        loops: new Set(),
        turn: Promise.resolve(),
      });
    }
  }

  /** Prepares every projection and starts following; returns at once (catch-up runs in the background). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.ensureParked();
    for (const run of this.running.values()) await this.follow(run);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const run of this.running.values()) await Promise.all([run.live?.stop(), run.shadow?.stop()]);
    await Promise.allSettled([...this.loops]);
  }

  /**
   * Runs one projection here, from its checkpoint (and any rebuild in progress), every write of it
   * presenting `fence`: the projector worker calls this once it holds the projection's lease. A
   * refused write stops the projection here at once and calls `onFenced`.
   */
  async startProjection(
    name: string,
    owned: { fence: LeaseFence; onFenced?: (error: LeaseFencedError) => void } | null = null,
  ): Promise<void> {
    const run = this.get(name);
    return this.inTurn(run, async () => {
      if (run.here || this.stopped) return;
      this.started = true;
      run.fence = owned?.fence ?? null;
      run.onFenced = owned?.onFenced ?? null;
      await this.ensureParked();
      await this.follow(run).catch(async (error: unknown) => {
        await this.halt(run);
        throw error;
      });
    });
  }

  /** Stops one projection here (its lease was lost or given up); resolves once none of its writes is in flight. */
  stopProjection(name: string): Promise<void> {
    const run = this.get(name);
    return this.inTurn(run, () => this.halt(run));
  }

  private inTurn(run: Running, work: () => Promise<void>): Promise<void> {
    const next = run.turn.then(work, work);
    run.turn = next.catch(() => undefined);
    return next;
  }

  private async halt(run: Running): Promise<void> {
    run.here = false;
    await Promise.all([run.live?.stop(), run.shadow?.stop()]);
    await Promise.allSettled([...run.loops]);
    Object.assign(run, { live: null, shadow: null, fence: null, onFenced: null });
  }

  /** Whether this runner follows the projection now. */
  runsHere(name: string): boolean {
    return this.get(name).here;
  }

  /** The collection queries should read now: the active version, never a build in progress. */
  liveCollection(name: string): string {
    const active = this.get(name).record.active;
    if (!active) throw new ProjectionNotReadyError(name);
    return active.collection;
  }

  /**
   * Rebuilds a projection from scratch into a shadow collection beside the live one and switches
   * to it once caught up. Resolves after the switch. Without `start()` the new model is built and
   * switched but not followed live.
   */
  async rebuild(name: string): Promise<void> {
    const run = this.get(name);
    if (run.switched) return run.switched;
    if (this.started && !run.here) throw new ProjectionNotHereError(name);
    if (!this.started) {
      await this.ensureParked();
      await this.prepare(run);
      if (run.record.shadow) return this.startShadow(run, run.record.shadow);
    }
    const generation = run.record.generation + 1;
    const version = run.projection.version;
    const target = { version, collection: collectionNameOf(name, version, generation) };
    await this.saveRecord(run, { ...run.record, shadow: target, generation });
    return this.startShadow(run, target);
  }

  /** Resolves true once the live read model has applied everything up to `position`. */
  async waitFor(name: string, position: number, timeoutMs = 5000): Promise<boolean> {
    const live = this.get(name).live;
    return live ? live.waitFor(position, timeoutMs) : false;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.options.eventStore.headPosition();
    const statuses: ProjectionStatus[] = [];
    for (const run of this.running.values()) {
      const { live, shadow } = run;
      const running = !this.stopped && run.here;
      statuses.push(await statusOf(this.ctx, run.projection, run.record, head, { running, live, shadow }));
    }
    return statuses;
  }

  /** Parked events of the live read model, oldest first. */
  async parked(name: string): Promise<ParkedEvent[]> {
    return this.parkedEvents.list(this.liveCollection(name));
  }

  /** Re-applies parked events (all, or those ids) after a fix; those that still fail stay parked. */
  async replayParked(name: string, ids?: string[]): Promise<ReplayResult> {
    const run = this.get(name);
    if (this.started && !run.here) throw new ProjectionNotHereError(name);
    const collection = this.liveCollection(name);
    const parked = run.fence ? new ParkedEvents(this.contextOf(run)) : this.parkedEvents;
    const replay = (): Promise<ReplayResult> => parked.replay(run.projection, collection, ids);
    return run.live && run.live.target.collection === collection ? run.live.exclusive(replay) : replay();
  }

  private get readStore(): ReadStore {
    return this.options.readStore;
  }

  /** Prepares a projection and starts following it (and finishing its rebuild, if one was in progress). */
  private async follow(run: Running): Promise<void> {
    run.here = true;
    await this.prepare(run);
    if (run.record.active) this.spawn(run, this.liveLoop(run, await this.openTrack(run, run.record.active, false)));
    if (run.record.shadow) this.startShadow(run, run.record.shadow);
  }

  private async ensureParked(): Promise<void> {
    await this.readStore.ensureCollection({
      name: PARKED_COLLECTION,
      indexes: [{ fields: ['collection', 'position'] }],
    });
  }

  /** The context a projection's tracks write through: fenced by its lease while it has one. */
  private contextOf(run: Running): TrackContext {
    return run.fence ? { ...this.ctx, readStore: fencedReadStore(this.readStore, run.fence) } : this.ctx;
  }

  /** Before a write outside the tracks' commits (its record, dropping collections): still the owner? */
  private async checkFence(run: Running): Promise<void> {
    if (run.fence) await this.readStore.commit([], undefined, run.fence);
  }

  private get(name: string): Running {
    const run = this.running.get(name);
    if (!run) throw new Error(`unknown projection ${name}; known: ${[...this.running.keys()].join(', ')}`);
    return run;
  }

  /** Loads the record, drops leftovers, and decides whether the code's version needs a build. */
  private async prepare(run: Running): Promise<void> {
    const { projection } = run;
    run.record = await readRecord(this.readStore, projection.name);
    await this.dropRetired(run);
    const { record } = run;
    if (record.shadow && record.shadow.version !== projection.version) {
      // A build of a version this code no longer is.
      await this.checkFence(run);
      await this.dropCollection(record.shadow.collection);
      await this.saveRecord(run, { ...record, shadow: null });
    }
    if (!run.record.active) {
      // First build: nothing older to keep serving, so it is live (catching up) from the start.
      const target = {
        version: projection.version,
        collection: collectionNameOf(projection.name, projection.version, record.generation),
      };
      await this.saveRecord(run, { ...run.record, active: target });
    } else if (run.record.active.version !== projection.version && !run.record.shadow) {
      const generation = run.record.generation + 1;
      const shadow = {
        version: projection.version,
        collection: collectionNameOf(projection.name, projection.version, generation),
      };
      this.ctx.logger.log(
        `projection ${projection.name}: version ${run.record.active.version} -> ${projection.version}, rebuilding into ${shadow.collection}`,
      );
      await this.saveRecord(run, { ...run.record, shadow, generation });
    }
  }

  private async openTrack(run: Running, target: ProjectionTarget, shadow: boolean): Promise<ProjectionTrack> {
    // A shadow gets its indexes when it switches in: building them once at the end is cheaper.
    await this.readStore.ensureCollection({
      name: target.collection,
      indexes: run.projection.indexes,
      deferIndexes: shadow,
    });
    const track = new ProjectionTrack(this.contextOf(run), run.projection, target, shadow);
    await track.load();
    if (shadow) run.shadow = track;
    else run.live = track;
    return track;
  }

  private startShadow(run: Running, target: ProjectionTarget): Promise<void> {
    const switched = (async () => {
      const track = await this.openTrack(run, target, true);
      await this.supervise(run, track, () => track.catchUp());
      if (track.stopped) return;
      try {
        await this.switchTo(run, track);
      } catch (error) {
        if (error instanceof LeaseFencedError) this.fenced(run, error);
        throw error;
      }
    })().finally(() => {
      run.switched = null;
    });
    run.switched = switched;
    this.spawn(
      run,
      switched.catch(() => undefined),
    );
    return switched;
  }

  /** One write of the record makes the shadow live; the old collection is dropped after. */
  private async switchTo(run: Running, track: ProjectionTrack): Promise<void> {
    const old = run.record.active;
    await this.readStore.ensureCollection({ name: track.target.collection, indexes: run.projection.indexes });
    await this.saveRecord(run, {
      ...run.record,
      active: track.target,
      shadow: null,
      retired:
        old && old.collection !== track.target.collection
          ? [...run.record.retired, old.collection]
          : run.record.retired,
    });
    await track.becomeLive();
    const previous = run.live;
    run.live = track;
    run.shadow = null;
    track.phase = 'catching_up';
    await previous?.stop();
    await this.dropRetired(run);
    this.ctx.logger.log(`projection ${run.projection.name}: switched to ${track.target.collection}`);
    if (this.started && !this.stopped) this.spawn(run, this.liveLoop(run, track));
  }

  private async liveLoop(run: Running, track: ProjectionTrack): Promise<void> {
    await this.supervise(run, track, async () => {
      await track.catchUp();
      if (!track.stopped) await track.follow();
    });
  }

  /**
   * Keeps a track going through transient failures (a locked database, a lost connection). A write
   * refused by the fence is not transient: another worker owns the projection now, so it stops here.
   */
  private async supervise(run: Running, track: ProjectionTrack, work: () => Promise<void>): Promise<void> {
    while (!track.stopped && !this.stopped) {
      try {
        await work();
        track.lastError = null;
        return;
      } catch (error) {
        if (error instanceof LeaseFencedError) {
          void track.stop();
          this.fenced(run, error);
          return;
        }
        track.lastError = error instanceof Error ? error.message : String(error);
        this.ctx.logger.error(
          `projection ${track.projection.name} (${track.target.collection}): ${track.lastError}; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
        await track.load();
      }
    }
  }

  /** A write was refused by the fence: the projection stops here, and its owner (the coordinator) is told once. */
  private fenced(run: Running, error: LeaseFencedError): void {
    this.ctx.logger.warn(`projection ${run.projection.name}: ${error.message}; stopping here`);
    run.here = false;
    void run.live?.stop();
    void run.shadow?.stop();
    const onFenced = run.onFenced;
    run.onFenced = null;
    onFenced?.(error);
  }

  private async dropRetired(run: Running): Promise<void> {
    if (run.record.retired.length === 0) return;
    await this.checkFence(run);
    for (const collection of run.record.retired) await this.dropCollection(collection);
    await this.saveRecord(run, { ...run.record, retired: [] });
  }

  private async dropCollection(collection: string): Promise<void> {
    await this.readStore.dropCollection(collection);
    await this.readStore.deleteCheckpoint(collection);
    await this.parkedEvents.forget(collection);
  }

  private async saveRecord(run: Running, record: ProjectionRecord): Promise<void> {
    await this.readStore.setMeta(metaKeyOf(run.projection.name), record, run.fence ?? undefined);
    run.record = record;
  }

  private spawn(run: Running, loop: Promise<void>): void {
    const tracked = loop.catch((error: unknown) =>
      this.ctx.logger.error(`projection ${run.projection.name}: ${String(error)}`),
    );
    this.loops.add(tracked);
    run.loops.add(tracked);
    void tracked.finally(() => {
      this.loops.delete(tracked);
      run.loops.delete(tracked);
    });
  }
}
