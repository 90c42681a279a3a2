import type { StoredEvent } from '@rapport/event-store';
import type { Projection } from '../projection';
import { applyToCache, flushCache, newDocCache } from './batch-applier';
import { checkpointNameOf } from './projection-catalog';
import type { TrackContext } from './projection-track';

/** The category every customer's events live in: one stream per customer, `customer-<customerId>`. */
export const CUSTOMER_STREAM_PREFIX = 'customer-';
/** Documents written per commit of a per-customer build: large commits, bounded memory. */
export const DOCS_PER_COMMIT = 20_000;

/** Where a per-customer build stands, kept in the read store's meta so a crash resumes after the last commit. */
export interface PerCustomerProgress {
  /** The head when the build began: it folds every event up to there, then catches up in global order. */
  head: number;
  /** The last stream whose documents are committed, in the event store's stream order. */
  afterStream: string | null;
}

export const progressKeyOf = (collection: string, partition?: StreamPartition): string =>
  `per-customer-build:${collection}${partition ? `:${partition.index}/${partition.count}` : ''}`;

/** One of `count` shares of the customer streams (by a hash of the stream id), for workers that split a build. */
export interface StreamPartition {
  count: number;
  index: number;
}

/** Whether a build from scratch may fold customer by customer (no document gathers several customers). */
export const buildsPerCustomer = (projection: Projection): boolean =>
  projection.keyOf === undefined || projection.documentsPerCustomer === true;

/** An event outside its customer's stream: the per-customer order would be wrong, so the build falls back. */
export class NotPerCustomerError extends Error {
  override readonly name = 'NotPerCustomerError';
}

export interface PerCustomerBuildHooks {
  stopped(): boolean;
  /** After each batch folded: events read so far in this build. */
  progressed(events: number, head: number): void;
}

/**
 * Builds a collection from scratch customer by customer: the customer streams are read one after
 * another (each whole, up to the head at the start), so every document is completed in memory and
 * written once, in commits of about DOCS_PER_COMMIT documents. Memory holds one commit's documents
 * whatever the number of customers, and the cost is linear in the events (a build in global order
 * re-reads and re-writes documents once customers outnumber its cache). The checkpoint stays 0 until
 * the last commit, which sets it to the head; the progress record lets a crash resume after the last
 * commit (a stream folded twice gives the same document at the same position, which the guarded write
 * leaves as it is). Returns the checkpoint, or null when stopped first. With a `share`, only its
 * partition's streams are built (up to `head` when given, else the head at its start), and the
 * checkpoint written is the partition's own (see checkpointNameOf), once, at the end.
 */
export async function buildPerCustomer(
  ctx: TrackContext,
  projection: Projection,
  collection: string,
  hooks: PerCustomerBuildHooks,
  share?: { partition: StreamPartition; head?: number },
): Promise<number | null> {
  const partition = share?.partition;
  const key = progressKeyOf(collection, partition);
  const progress = (await ctx.readStore.getMeta<PerCustomerProgress>(key)) ?? {
    head: share?.head ?? (await ctx.eventStore.headPosition()),
    afterStream: null,
  };
  await ctx.readStore.setMeta(key, progress);
  const { head } = progress;
  const docsPerCommit = Math.min(DOCS_PER_COMMIT, ctx.rebuild.maxCachedDocs);
  // Streams are whole and no document spans two customers: a key not in the cache has no document yet.
  let cache = newDocCache(true);
  let batch: StoredEvent[] = [];
  let stream: string | null = null;
  let read = 0;
  let pendingStreams = 0;
  const fold = async (): Promise<void> => {
    pendingStreams = 0;
    if (batch.length === 0) return;
    await applyToCache(ctx, projection, collection, batch, cache);
    read += batch.length;
    batch = [];
    hooks.progressed(read, head);
  };
  for await (const event of ctx.eventStore.readByStream({
    prefix: CUSTOMER_STREAM_PREFIX,
    toPosition: head,
    eventTypes: [...projection.handles],
    ...(progress.afterStream === null ? {} : { afterStream: progress.afterStream }),
    ...(partition ? { partition } : {}),
  })) {
    if (event.streamId !== stream) {
      // A stream ended: commit once the documents folded (about one a stream) reach a commit's worth,
      // or when asked to stop (what is complete is kept, the next start resumes after it).
      const stopping = stream !== null && hooks.stopped();
      if (stream !== null && (stopping || cache.entries.size + ++pendingStreams >= docsPerCommit)) {
        await fold();
        if (stopping || cache.entries.size >= docsPerCommit) {
          // A partition's checkpoint is written once built: until then it says the share is not ready.
          await flushCache(ctx, collection, cache, partition ? null : 0);
          await ctx.readStore.setMeta(key, { head, afterStream: stream });
          cache = newDocCache(true);
          if (stopping) return null;
        }
      }
      stream = event.streamId;
    }
    if (event.streamId !== `${CUSTOMER_STREAM_PREFIX}${String(event.data.customerId)}`)
      throw new NotPerCustomerError(
        `event ${event.position} (${event.type}) of stream ${event.streamId} names customer ${String(event.data.customerId)}`,
      );
    batch.push(event);
    if (batch.length >= ctx.batchSize) await fold();
  }
  await fold();
  await flushCache(ctx, collection, cache, head, checkpointNameOf(collection, partition ?? null));
  await ctx.readStore.setMeta(key, null);
  return head;
}
