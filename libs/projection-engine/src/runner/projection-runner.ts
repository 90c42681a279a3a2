import { inPartition } from '@rapport/event-store';
import { LeaseFencedError, type LeaseFence } from '@rapport/read-store';
import type { ParkedEvent } from './batch-applier';
import { ParkedEvents, type ReplayResult } from './parked-events';
import { ProjectionNotHereError, ProjectionNotReadyError, readRecord } from './projection-catalog';
import { statusOf, type PartitionStatus, type ProjectionStatus } from './projection-status';
import type { ProjectionTrack } from './projection-track';
import { followingKeyOf, partitionCheckpoints } from './projection-units';
import { RunnerBase, type Running } from './runner-base';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs projections from their checkpoints into the read store: catch-up in batches, then the live
 * subscription; documents and checkpoint committed together; poison events parked; rebuilds into a
 * shadow collection switched in atomically once caught up. Plain TypeScript: the app wraps it.
 */
export class ProjectionRunner extends RunnerBase {
  /** What the workers own, one lease each: every projection, or each partition of those that are split. */
  units(): string[] {
    return [...this.running.keys()];
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
    for (const run of this.running.values()) this.unwatch(run);
    for (const run of this.running.values()) await Promise.all([run.live?.stop(), run.shadow?.stop()]);
    await Promise.allSettled([...this.loops]);
  }

  /**
   * Runs one unit (a projection, or a partition of one) here, from its checkpoint (and any rebuild in
   * progress), every write of it presenting `fence`: the projector worker calls this once it holds the
   * unit's lease. A refused write stops it here at once and calls `onFenced`.
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

  /** Whether this runner follows the unit now (a projection's name: any of its partitions). */
  runsHere(name: string): boolean {
    const runs = this.byProjection.get(name);
    return runs ? runs.some((run) => run.here) : this.get(name).here;
  }

  /** The collection queries should read now: the active version, never a build in progress. */
  liveCollection(name: string): string {
    const active = this.first(name).record.active;
    if (!active) throw new ProjectionNotReadyError(name);
    return active.collection;
  }

  /**
   * Rebuilds a projection from scratch into a shadow collection beside the live one and switches
   * to it once caught up. Resolves after the switch. Without `start()` the new model is built and
   * switched but not followed live. A partitioned projection is rebuilt by all its partitions, each
   * its share, wherever they run; this worker must run one of them.
   */
  async rebuild(name: string): Promise<void> {
    const runs = this.byProjection.get(name) ?? [this.get(name)];
    if (runs[0]!.unit.partition) return this.rebuildPartitioned(name, runs);
    const run = runs[0]!;
    if (run.switched) return run.switched;
    if (this.started && !run.here) throw new ProjectionNotHereError(name);
    if (!this.started) {
      await this.ensureParked();
      await this.prepare(run);
      if (run.record.shadow) return this.startShadow(run, run.record.shadow);
    }
    const target = this.nextTarget(run.projection, run.record.generation + 1);
    await this.saveRecord(run, { ...run.record, shadow: target, generation: target.generation });
    return this.startShadow(run, target);
  }

  /** Asks every partition for a rebuild (one record write), then waits for the switch. */
  private async rebuildPartitioned(name: string, runs: Running[]): Promise<void> {
    const mine = runs.filter((run) => run.here);
    if (mine.length === 0) throw new ProjectionNotHereError(name);
    const record = await readRecord(this.readStore, name);
    let target = record.shadow;
    if (!target) {
      target = this.nextTarget(mine[0]!.projection, record.generation + 1);
      await this.saveRecord(mine[0]!, { ...record, shadow: target, generation: record.generation + 1 });
    }
    // The partitions here start at once; the others when they next read the record.
    for (const run of mine) await this.inTurn(run, () => this.syncPartition(run));
    while (!this.stopped) {
      const now = await readRecord(this.readStore, name);
      if (now.active?.collection === target.collection) return;
      if (now.shadow?.collection !== target.collection)
        throw new Error(`rebuild of ${name} into ${target.collection} was superseded`);
      await sleep(this.recordPollMs / 5);
    }
  }

  /** Resolves true once the live read model has applied everything up to `position`. */
  async waitFor(name: string, position: number, timeoutMs = 5000): Promise<boolean> {
    const run = this.first(name);
    if (!run.unit.partition) return run.live ? run.live.waitFor(position, timeoutMs) : false;
    // Partitions: the collection's checkpoint is the position all of them have reached.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const collection = run.record.active?.collection;
      if (collection && ((await this.readStore.getCheckpoint(collection)) ?? 0) >= position) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(25, deadline - Date.now()));
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.options.eventStore.headPosition();
    const statuses: ProjectionStatus[] = [];
    for (const runs of this.byProjection.values()) {
      const run = runs.find((r) => r.here) ?? runs[0]!;
      const running = !this.stopped && run.here;
      if (!run.unit.partition) {
        const { live, shadow } = run;
        statuses.push(await statusOf(this.ctx, run.projection, run.record, head, { running, live, shadow }));
        continue;
      }
      // The tracks here know their partition only: the whole is read from the stored checkpoints.
      const whole = await statusOf(this.ctx, run.projection, run.record, head, { running, live: null, shadow: null });
      const state = whole.state === 'catching_up' && whole.eventsBehind === 0 ? 'live' : whole.state;
      statuses.push({ ...whole, state, partitions: await this.partitionStatuses(runs) });
    }
    return statuses;
  }

  private async partitionStatuses(runs: Running[]): Promise<PartitionStatus[]> {
    const record = runs.find((r) => r.here)?.record ?? runs[0]!.record;
    const collection = record.active?.collection;
    const stored = collection ? await partitionCheckpoints(this.readStore, collection, runs.length) : [];
    return runs.map((run, index) => ({
      unit: run.unit.name,
      index,
      count: runs.length,
      running: !this.stopped && run.here,
      checkpoint: run.live?.checkpoint ?? stored[index] ?? 0,
      phase: run.here ? (run.shadow ? 'rebuilding' : (run.live?.phase ?? 'catching_up')) : 'stopped',
      lastError: run.live?.lastError ?? run.shadow?.lastError ?? null,
    }));
  }

  /** Parked events of the live read model, oldest first. */
  async parked(name: string): Promise<ParkedEvent[]> {
    return this.parkedEvents.list(this.liveCollection(name));
  }

  /**
   * Re-applies parked events (all, or those ids) after a fix; those that still fail stay parked. A
   * partitioned projection's are replayed by the partitions run here, each its own customers' events.
   */
  async replayParked(name: string, ids?: string[]): Promise<ReplayResult> {
    const runs = this.byProjection.get(name) ?? [this.get(name)];
    const mine = runs.filter((run) => run.here || !this.started);
    if (mine.length === 0) throw new ProjectionNotHereError(name);
    const collection = this.liveCollection(name);
    const result: ReplayResult = { replayed: [], stillFailing: [] };
    const parkedHere = runs[0]!.unit.partition ? await this.parkedEvents.list(collection) : [];
    for (const run of mine) {
      const { partition } = run.unit;
      const own = partition
        ? parkedHere.filter((p) => inPartition(p.streamId, partition) && (!ids || ids.includes(p.id))).map((p) => p.id)
        : ids;
      if (own?.length === 0) continue;
      const parked = run.fence ? new ParkedEvents(this.contextOf(run)) : this.parkedEvents;
      const replay = (): Promise<ReplayResult> => parked.replay(run.projection, collection, own);
      const one = await (run.live && run.live.target.collection === collection ? run.live.exclusive(replay) : replay());
      result.replayed.push(...one.replayed);
      result.stillFailing.push(...one.stillFailing);
    }
    return result;
  }

  /** A partition says which collection it follows (a retired one is dropped once none does), and watches the record. */
  protected async followed(run: Running): Promise<void> {
    const collection = run.live?.target.collection;
    if (collection) await this.readStore.setMeta(followingKeyOf(run.unit.name), collection, run.fence ?? undefined);
    this.unwatch(run);
    run.watch = setInterval(() => {
      if (!run.here || this.stopped) return;
      this.inTurn(run, () => (run.here ? this.syncPartition(run) : Promise.resolve())).catch((error: unknown) => {
        if (error instanceof LeaseFencedError) this.fenced(run, error);
        else this.ctx.logger.error(`projection ${run.unit.name}: ${String(error)}`);
      });
    }, this.recordPollMs);
    run.watch.unref();
  }

  // Partitions share one record: whoever finds every partition's share of a rebuild built switches it
  // in, and each partition moves its own tracks when it next reads the record (syncPartition).

  /** A partition's share of a rebuild caught up: it keeps following into the shadow until the switch. */
  protected partitionBuilt(run: Running, track: ProjectionTrack): void {
    run.shadowBuilt = true;
    this.spawn(
      run,
      this.supervise(run, track, () => track.follow()),
    );
    // The last share built switches at once rather than at its next read of the record (promote runs once).
    this.spawn(
      run,
      this.trySwitch(run, track).catch((error: unknown) => {
        if (error instanceof LeaseFencedError) this.fenced(run, error);
        else throw error;
      }),
    );
  }

  /** One read of the shared record: starts, stops or switches in a rebuild, follows a switch made elsewhere. */
  private async syncPartition(run: Running): Promise<void> {
    const record = await readRecord(this.readStore, run.projection.name);
    run.record = record;
    const { active, shadow } = record;
    if (active && run.live && run.live.target.collection !== active.collection) {
      if (run.shadow?.target.collection !== active.collection) return this.restart(run);
      await this.promote(run, run.shadow);
    }
    if (shadow && run.shadow?.target.collection !== shadow.collection) {
      // A rebuild asked (or a newer one): the older shadow stops first, the new one starts next time.
      if (run.shadow) await this.dropShadowTrack(run);
      else if (!run.switched) void this.startShadow(run, shadow);
    } else if (!shadow && run.shadow) await this.dropShadowTrack(run);
    else if (shadow && run.shadow && run.shadowBuilt) await this.trySwitch(run, run.shadow);
    await this.dropRetiredWhenFollowed(run);
  }

  private async dropShadowTrack(run: Running): Promise<void> {
    const track = run.shadow;
    Object.assign(run, { shadow: null, shadowBuilt: false });
    await track?.stop();
  }

  /** The live model moved to a collection this partition did not build: start over from the record. */
  private async restart(run: Running): Promise<void> {
    const { fence, onFenced } = run;
    await this.halt(run);
    Object.assign(run, { fence, onFenced });
    await this.follow(run);
  }

  /** Every partition's share built: one write of the record switches the whole rebuild in. */
  private async trySwitch(run: Running, track: ProjectionTrack): Promise<void> {
    const { collection } = track.target;
    const built = await partitionCheckpoints(this.readStore, collection, run.unit.partition?.count ?? 1);
    if (built.some((position) => position === null)) return;
    const record = await readRecord(this.readStore, run.projection.name);
    if (record.shadow?.collection !== collection) return; // switched by another partition, or superseded
    await this.readStore.ensureCollection({ name: collection, indexes: run.projection.indexes });
    const old = record.active;
    const retired = old && old.collection !== collection ? [...record.retired, old.collection] : record.retired;
    await this.saveRecord(run, { ...record, active: track.target, shadow: null, retired });
    this.ctx.logger.log(`projection ${run.projection.name}: every partition built; switched to ${collection}`);
    await this.promote(run, track);
  }

  /** This partition's shadow becomes its live track (it was following already); the old one stops. */
  private async promote(run: Running, track: ProjectionTrack): Promise<void> {
    if (run.shadow !== track) return;
    const previous = run.live;
    Object.assign(run, { live: track, shadow: null, shadowBuilt: false });
    await track.becomeLive();
    await previous?.stop();
    await this.readStore.setMeta(followingKeyOf(run.unit.name), track.target.collection, run.fence ?? undefined);
  }

  /** Drops retired collections once every partition says it follows the active one (no late write lands in them). */
  private async dropRetiredWhenFollowed(run: Running): Promise<void> {
    const { retired, active } = run.record;
    if (retired.length === 0 || !active) return;
    const units = this.byProjection.get(run.projection.name) ?? [run];
    const following = await Promise.all(units.map((u) => this.readStore.getMeta<string>(followingKeyOf(u.unit.name))));
    if (following.some((collection) => collection !== active.collection)) return;
    await this.checkFence(run);
    for (const collection of retired) await this.dropCollection(collection, units.length);
    const now = await readRecord(this.readStore, run.projection.name);
    await this.saveRecord(run, { ...now, retired: now.retired.filter((c) => !retired.includes(c)) });
  }
}
