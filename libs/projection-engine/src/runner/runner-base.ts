import { LeaseFencedError, type LeaseFence, type ReadStore } from '@rapport/read-store';
import type { Projection } from '../projection';
import { ParkedEvents } from './parked-events';
import {
  checkpointNameOf,
  collectionNameOf,
  metaKeyOf,
  PARKED_COLLECTION,
  readRecord,
  type ProjectionRecord,
  type ProjectionTarget,
} from './projection-catalog';
import { fencedReadStore } from './fenced-read-store';
import { ProjectionTrack, type TrackContext } from './projection-track';
import { unitsOf, type ProjectionUnit } from './projection-units';
import { silentLogger, type ProjectionRunnerOptions } from './runner-options';

export interface Running {
  /** What is owned: the projection, or one partition of it. */
  unit: ProjectionUnit;
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
  /** A partition: re-reads the record the partitions share (a rebuild asked elsewhere, a switch). */
  watch: NodeJS.Timeout | null;
  /** A partition's shadow has caught up: it waits for the other partitions' before the switch. */
  shadowBuilt: boolean;
}

const RESTART_DELAY_MS = 1000;

/** The runner's machinery: tracks of each unit, their loops, the record they share. See ProjectionRunner. */
export abstract class RunnerBase {
  protected readonly ctx: TrackContext;
  /** By unit name (a projection's name when it is not partitioned). */
  protected readonly running = new Map<string, Running>();
  protected readonly byProjection = new Map<string, Running[]>();
  protected readonly recordPollMs: number;
  protected readonly parkedEvents: ParkedEvents;
  protected started = false;
  protected stopped = false;
  protected readonly loops = new Set<Promise<void>>();

  constructor(protected readonly options: ProjectionRunnerOptions) {
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
    this.recordPollMs = options.recordPollMs ?? 500;
    for (const projection of options.projections) {
      const runs = unitsOf(projection, options.partitions ?? 1).map((unit) => ({
        unit,
        projection,
        record: { active: null, shadow: null, retired: [], generation: 0 },
        live: null,
        shadow: null,
        switched: null,
        here: false,
        fence: null,
        onFenced: null,
        loops: new Set<Promise<void>>(),
        turn: Promise.resolve(),
        watch: null,
        shadowBuilt: false,
      }));
      for (const run of runs) this.running.set(run.unit.name, run);
      this.byProjection.set(projection.name, runs);
    }
  }

  protected inTurn(run: Running, work: () => Promise<void>): Promise<void> {
    const next = run.turn.then(work, work);
    run.turn = next.catch(() => undefined);
    return next;
  }

  protected async halt(run: Running): Promise<void> {
    run.here = false;
    this.unwatch(run);
    await Promise.all([run.live?.stop(), run.shadow?.stop()]);
    await Promise.allSettled([...run.loops]);
    Object.assign(run, { live: null, shadow: null, fence: null, onFenced: null, shadowBuilt: false });
  }

  protected nextTarget(projection: Projection, generation: number): ProjectionTarget & { generation: number } {
    const { name, version } = projection;
    return { version, collection: collectionNameOf(name, version, generation), generation };
  }

  protected get readStore(): ReadStore {
    return this.options.readStore;
  }

  /** Prepares a projection and starts following it (and finishing its rebuild, if one was in progress). */
  protected async follow(run: Running): Promise<void> {
    run.here = true;
    await this.prepare(run);
    const { active, shadow } = run.record;
    if (active) this.spawn(run, this.liveLoop(run, await this.openTrack(run, active, false)));
    if (shadow) this.startShadow(run, shadow);
    if (run.unit.partition) await this.followed(run);
  }

  protected unwatch(run: Running): void {
    if (run.watch) clearInterval(run.watch);
    run.watch = null;
  }

  protected async ensureParked(): Promise<void> {
    await this.readStore.ensureCollection({
      name: PARKED_COLLECTION,
      indexes: [{ fields: ['collection', 'position'] }],
    });
  }

  /** The context a projection's tracks write through: fenced by its lease while it has one. */
  protected contextOf(run: Running): TrackContext {
    return run.fence ? { ...this.ctx, readStore: fencedReadStore(this.readStore, run.fence) } : this.ctx;
  }

  /** Before a write outside the tracks' commits (its record, dropping collections): still the owner? */
  protected async checkFence(run: Running): Promise<void> {
    if (run.fence) await this.readStore.commit([], undefined, run.fence);
  }

  protected get(name: string): Running {
    const run = this.running.get(name);
    if (!run) throw new Error(`unknown projection ${name}; known: ${[...this.running.keys()].join(', ')}`);
    return run;
  }

  /** A projection's unit, one running here if any (its record is the freshest). */
  protected first(name: string): Running {
    const runs = this.byProjection.get(name);
    return runs ? (runs.find((run) => run.here) ?? runs[0]!) : this.get(name);
  }

  /** Loads the record, drops leftovers, and decides whether the code's version needs a build. */
  protected async prepare(run: Running): Promise<void> {
    const { projection } = run;
    run.record = await readRecord(this.readStore, projection.name);
    // A partition's retired collections go once every partition has moved off them (syncPartition).
    if (!run.unit.partition) await this.dropRetired(run);
    const { record } = run;
    if (record.shadow && record.shadow.version !== projection.version) {
      // A build of a version this code no longer is.
      await this.checkFence(run);
      await this.dropCollection(record.shadow.collection, run.unit.partition?.count);
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

  protected async openTrack(run: Running, target: ProjectionTarget, shadow: boolean): Promise<ProjectionTrack> {
    // A shadow gets its indexes when it switches in: building them once at the end is cheaper.
    await this.readStore.ensureCollection({
      name: target.collection,
      indexes: run.projection.indexes,
      deferIndexes: shadow,
    });
    const track = new ProjectionTrack(this.contextOf(run), run.projection, target, shadow, run.unit.partition);
    await track.load();
    if (shadow) run.shadow = track;
    else run.live = track;
    return track;
  }

  protected startShadow(run: Running, target: ProjectionTarget): Promise<void> {
    const switched = (async () => {
      const track = await this.openTrack(run, target, true);
      await this.supervise(run, track, () => track.catchUp());
      if (track.stopped) return;
      try {
        if (run.unit.partition) this.partitionBuilt(run, track);
        else await this.switchTo(run, track);
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
  protected async switchTo(run: Running, track: ProjectionTrack): Promise<void> {
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

  protected async liveLoop(run: Running, track: ProjectionTrack): Promise<void> {
    await this.supervise(run, track, async () => {
      await track.catchUp();
      if (!track.stopped) await track.follow();
    });
  }

  /**
   * Keeps a track going through transient failures (a locked database, a lost connection). A write
   * refused by the fence is not transient: another worker owns the projection now, so it stops here.
   */
  protected async supervise(run: Running, track: ProjectionTrack, work: () => Promise<void>): Promise<void> {
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
  protected fenced(run: Running, error: LeaseFencedError): void {
    this.ctx.logger.warn(`projection ${run.projection.name}: ${error.message}; stopping here`);
    run.here = false;
    void run.live?.stop();
    void run.shadow?.stop();
    const onFenced = run.onFenced;
    run.onFenced = null;
    onFenced?.(error);
  }

  protected async dropRetired(run: Running): Promise<void> {
    if (run.record.retired.length === 0) return;
    await this.checkFence(run);
    for (const collection of run.record.retired) await this.dropCollection(collection);
    await this.saveRecord(run, { ...run.record, retired: [] });
  }

  protected async dropCollection(collection: string, partitions = 1): Promise<void> {
    await this.readStore.dropCollection(collection);
    await this.readStore.deleteCheckpoint(collection);
    for (let index = 0; partitions > 1 && index < partitions; index++)
      await this.readStore.deleteCheckpoint(checkpointNameOf(collection, { index, count: partitions }));
    await this.parkedEvents.forget(collection);
  }

  protected async saveRecord(run: Running, record: ProjectionRecord): Promise<void> {
    await this.readStore.setMeta(metaKeyOf(run.projection.name), record, run.fence ?? undefined);
    run.record = record;
  }

  protected spawn(run: Running, loop: Promise<void>): void {
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

  /** A partition says which collection it follows, and watches the record its partitions share. */
  protected abstract followed(run: Running): Promise<void>;

  /** A partition's share of a rebuild caught up. */
  protected abstract partitionBuilt(run: Running, track: ProjectionTrack): void;
}
