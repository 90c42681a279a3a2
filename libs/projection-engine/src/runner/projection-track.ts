import {
  inPartition,
  type EventFilter,
  type EventStore,
  type StoredEvent,
  type Subscription,
} from '@rapport/event-store';
import type { ReadStore } from '@rapport/read-store';
import type { Projection } from '../projection';
import { applyBatch, applyToCache, flushCache, newDocCache, type ApplierContext, type DocCache } from './batch-applier';
import {
  buildPerCustomer,
  buildsPerCustomer,
  NotPerCustomerError,
  progressKeyOf,
  type StreamPartition,
} from './per-customer-build';
import { checkpointNameOf, type ProjectionTarget } from './projection-catalog';
import { raiseCollectionCheckpoint } from './projection-units';
import type { ProjectionProgress, RunnerLogger, TrackPhase } from './runner-options';

export interface TrackContext extends ApplierContext {
  eventStore: EventStore;
  readStore: ReadStore;
  batchSize: number;
  /** See ProjectionRunnerOptions.shadowFlushEvents. */
  shadowFlushEvents: number;
  /** See ProjectionRunnerOptions.rebuild. */
  rebuild: { maxCachedDocs: number; perCustomer: boolean };
  logger: RunnerLogger;
  onProgress?: (progress: ProjectionProgress) => void;
}

const IDLE = Symbol('idle');
const nextTick = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));

/**
 * One collection being fed by one projection from its own checkpoint: catch-up passes over
 * readAll in batches, then (when following) the live subscription, micro-batched. With a partition,
 * only the events of its customers' streams are applied, under the partition's own checkpoint.
 */
export class ProjectionTrack {
  checkpoint = 0;
  phase: TrackPhase;
  processed = 0;
  lastError: string | null = null;
  private stopping = false;
  private subscription: Subscription | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  /** Shadow builds only: documents kept across batches, flushed with the checkpoint. */
  private retained: DocCache | null = null;
  /** Events applied to `retained` since its last flush. */
  private unflushed = 0;
  /** A shadow that was switched in: it now serves queries and parked replays. */
  private promoted = false;

  constructor(
    private readonly ctx: TrackContext,
    readonly projection: Projection,
    readonly target: ProjectionTarget,
    readonly shadow: boolean,
    readonly partition: StreamPartition | null = null,
  ) {
    this.phase = shadow ? 'rebuilding' : 'catching_up';
    this.checkpointName = checkpointNameOf(target.collection, partition);
  }

  /** The checkpoint this track moves: the collection's, or its partition's. */
  readonly checkpointName: string;

  private get filter(): EventFilter {
    return { eventTypes: [...this.projection.handles] };
  }

  async load(): Promise<void> {
    const own = await this.ctx.readStore.getCheckpoint(this.checkpointName);
    // A partition without a checkpoint of its own (the partition count changed) starts where every
    // partition of the previous count had got to: the guarded writes skip what it applies again.
    const all = own === null && this.partition ? await this.ctx.readStore.getCheckpoint(this.target.collection) : null;
    this.checkpoint = own ?? all ?? 0;
    // Nobody reads or replays into a shadow while it builds, so it keeps its documents across batches
    // and writes them in large commits. A build from scratch starts knowing every document (none).
    this.retained = this.shadow && !this.promoted ? newDocCache(this.checkpoint === 0) : null;
    this.unflushed = 0;
  }

  /** Reads from the checkpoint until a pass finds less than a batch; returns when caught up. */
  async catchUp(): Promise<void> {
    const perCustomer = this.ctx.rebuild.perCustomer && buildsPerCustomer(this.projection);
    // A first build (live, nothing older to serve) and a shadow both start at 0; a promoted shadow has gone past it.
    if (!this.promoted && this.checkpoint === 0 && perCustomer) await this.buildPerCustomer();
    for (;;) {
      if (this.stopping) return;
      const head = await this.ctx.eventStore.headPosition();
      let batch: StoredEvent[] = [];
      let read = 0;
      for await (const event of this.ctx.eventStore.readAll({
        fromPosition: this.checkpoint + 1,
        filter: this.filter,
      })) {
        batch.push(event);
        read++;
        if (batch.length >= this.ctx.batchSize) {
          await this.commit(batch, event.position, head, false);
          batch = [];
          if (this.stopping) return;
        }
      }
      // Everything up to the head read before the pass is committed and was seen: the checkpoint
      // may move there even when the last events were of types this projection does not handle.
      const last = batch[batch.length - 1]?.position ?? 0;
      const end = Math.max(last, head, this.checkpoint);
      if (batch.length > 0 || end > this.checkpoint || this.unflushed > 0) await this.commit(batch, end, head, true);
      if (read < this.ctx.batchSize) return;
    }
  }

  /** Follows the live subscription from the checkpoint until stopped. */
  async follow(): Promise<void> {
    this.phase = 'live';
    const subscription = this.ctx.eventStore.subscribeToAll({ fromPosition: this.checkpoint, filter: this.filter });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<StoredEvent>> | null = null;
    try {
      while (!this.stopping) {
        const first = await (pending ?? iterator.next());
        pending = null;
        if (first.done) return;
        const batch = [first.value];
        // Take whatever is already buffered, without waiting for more.
        while (batch.length < this.ctx.batchSize) {
          pending = iterator.next();
          const next = await Promise.race([pending, nextTick()]);
          if (next === IDLE) break;
          pending = null;
          if (next.done) break;
          batch.push(next.value);
        }
        await this.commit(batch, batch[batch.length - 1]!.position, 0);
      }
    } finally {
      this.subscription = null;
      await subscription.close();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
    await this.lock.catch(() => undefined);
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** Runs `work` exclusively with this track's batch commits (parked-event replays use it). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the checkpoint is at or past `position`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.checkpoint >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * A build from scratch folds customer by customer up to the head (linear in the events, bounded
   * memory), then the global-order catch-up goes on from there. Falls back to the global order, from an
   * emptied collection, when an event lies outside its customer's stream.
   */
  private async buildPerCustomer(): Promise<void> {
    await this.exclusive(async () => {
      const { collection } = this.target;
      const before = this.processed;
      try {
        const hooks = {
          stopped: () => this.stopping,
          progressed: (events: number, head: number) => {
            this.processed = before + events;
            this.report(this.checkpoint, head);
          },
        };
        const share = this.partition ? { partition: this.partition } : undefined;
        const checkpoint = await buildPerCustomer(this.ctx, this.projection, collection, hooks, share);
        if (checkpoint === null) return;
        this.checkpoint = checkpoint;
        await this.raiseCollectionCheckpoint();
      } catch (error) {
        // A partition cannot start its share over in global order: the collection is every partition's.
        if (!(error instanceof NotPerCustomerError) || this.partition) throw error;
        this.ctx.logger.warn(`projection ${this.projection.name}: ${error.message}; rebuilding in global order`);
        await this.ctx.readStore.dropCollection(collection);
        await this.ctx.readStore.ensureCollection({
          name: collection,
          indexes: this.projection.indexes,
          deferIndexes: this.shadow,
        });
        await this.ctx.readStore.setMeta(progressKeyOf(collection), null);
      }
      // What was built is stored, not cached: a shadow's later batches read the documents they touch.
      this.retained = this.shadow ? newDocCache(false) : null;
      this.unflushed = 0;
    });
    this.settleWaiters();
  }

  /** Leaves shadow mode (the track was switched in): writes what is cached, then commits per batch. */
  async becomeLive(): Promise<void> {
    this.promoted = true;
    await this.exclusive(async () => {
      if (this.retained && this.unflushed > 0)
        await flushCache(this.ctx, this.target.collection, this.retained, this.checkpoint, this.checkpointName);
      this.retained = null;
      this.unflushed = 0;
    });
  }

  /** Applies a batch and moves the checkpoint; a shadow build may defer the write unless `final`. */
  private async commit(all: StoredEvent[], checkpoint: number, head: number, final = true): Promise<void> {
    const { partition } = this;
    const batch = partition ? all.filter((event) => inPartition(event.streamId, partition)) : all;
    await this.exclusive(async () => {
      const cache = this.retained;
      if (cache) {
        await applyToCache(this.ctx, this.projection, this.target.collection, batch, cache);
        this.unflushed += batch.length;
        // Past the bound, the documents are written and forgotten (read again when touched): memory stays bounded.
        const full = cache.entries.size >= this.ctx.rebuild.maxCachedDocs;
        if (final || this.unflushed >= this.ctx.shadowFlushEvents || full) {
          await flushCache(this.ctx, this.target.collection, cache, checkpoint, this.checkpointName);
          this.unflushed = 0;
          if (full) this.retained = newDocCache(false);
        }
      } else {
        await applyBatch(this.ctx, this.projection, this.target.collection, batch, checkpoint, this.checkpointName);
      }
      this.processed += batch.length;
      this.checkpoint = checkpoint;
      await this.raiseCollectionCheckpoint();
    });
    this.settleWaiters();
    this.report(checkpoint, head);
  }

  /** A partition's commit may complete a position every partition has reached: the collection's checkpoint moves there. */
  private async raiseCollectionCheckpoint(): Promise<void> {
    if (this.partition)
      await raiseCollectionCheckpoint(this.ctx.readStore, this.target.collection, this.partition.count);
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) if (waiter.position <= this.checkpoint) waiter.resolve();
  }

  private report(checkpoint: number, head: number): void {
    this.ctx.onProgress?.({
      projection: this.projection.name,
      version: this.target.version,
      collection: this.target.collection,
      phase: this.phase,
      position: checkpoint,
      head: Math.max(head, checkpoint),
      processed: this.processed,
    });
  }
}
