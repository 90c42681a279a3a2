import { retryWithBackoff, type StoredEvent } from '@rapport/event-store';
import type { Doc, DocChange, ReadStore } from '@rapport/read-store';
import { defaultKeyOf, type ProjectedEvent, type Projection } from '../projection';
import { PARKED_COLLECTION } from './projection-catalog';
import type { EventDecoder } from './runner-options';

/** A poison event set aside with its error; the projection went on without it. */
export interface ParkedEvent extends Doc {
  /** `<collection>:<position>` */
  id: string;
  projection: string;
  collection: string;
  position: number;
  streamId: string;
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
  parkedAt: string;
}

export interface ApplierContext {
  readStore: ReadStore;
  decoder: EventDecoder;
  retry: { attempts: number; baseDelayMs: number };
  clock: () => number;
  onParked: (parked: ParkedEvent) => void;
}

export interface CacheEntry {
  doc: Doc | null;
  position: number;
  dirty: boolean;
}

/**
 * Documents of one collection held in memory between reads and writes. `complete` means every
 * document of the collection is in `entries` (a build from scratch that has evicted nothing), so a
 * missing key is a document that does not exist and need not be read.
 */
export interface DocCache {
  entries: Map<string, CacheEntry>;
  complete: boolean;
  /** Poison events set aside since the last flush; stored with it. */
  parked: ParkedEvent[];
}

export const newDocCache = (complete = false): DocCache => ({ entries: new Map(), complete, parked: [] });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export function keysOf(projection: Projection, event: ProjectedEvent): string[] {
  const keys = (projection.keyOf ?? defaultKeyOf)(event);
  if (!Array.isArray(keys)) return [keys]; // the usual case, once per event: no Set
  return keys.length <= 1 ? keys : [...new Set(keys)];
}

/** Runs `work` up to `attempts` times under the engine's one retry policy (cockatiel); returns the last error if all fail. */
export async function withRetries<T>(
  retry: { attempts: number; baseDelayMs: number },
  work: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown; attempts: number }> {
  if (retry.attempts < 1) return { ok: false, error: new Error('no attempt allowed'), attempts: 0 };
  try {
    return { ok: true, value: await retryWithBackoff(retry, () => work()) };
  } catch (error) {
    return { ok: false, error, attempts: retry.attempts };
  }
}

/**
 * Evolves every document an event touches that has not applied it yet, or throws without changing
 * anything (so a poison event never half-applies).
 */
export function evolveAll(
  projection: Projection,
  event: ProjectedEvent,
  current: (key: string) => { doc: Doc | null; position: number } | undefined,
): Map<string, Doc | null> {
  const results = new Map<string, Doc | null>();
  for (const key of keysOf(projection, event)) {
    const entry = current(key);
    if (entry && entry.position >= event.position) continue;
    const next = projection.evolve(entry?.doc ?? null, event);
    if (next !== null && next.id !== key)
      throw new Error(`evolve returned document id ${String(next.id)} for key ${key}`);
    results.set(key, next);
  }
  return results;
}

/**
 * Applies one batch of stored events to a projection's collection: decode, load the documents the
 * batch touches once, fold in memory (skipping events a document has already applied), then commit
 * the documents, any parked events and the checkpoint together.
 */
export async function applyBatch(
  ctx: ApplierContext,
  projection: Projection,
  collection: string,
  batch: StoredEvent[],
  checkpoint: number,
  checkpointName = collection,
): Promise<number> {
  const cache = newDocCache();
  const applied = await applyToCache(ctx, projection, collection, batch, cache);
  await flushCache(ctx, collection, cache, checkpoint, checkpointName);
  return applied;
}

/**
 * Folds a batch into the cache: decode, read the documents it touches that the cache lacks, evolve
 * (skipping events a document has already applied). Nothing is written; failing events are parked
 * in the cache. Returns the number of document changes.
 */
export async function applyToCache(
  ctx: ApplierContext,
  projection: Projection,
  collection: string,
  batch: StoredEvent[],
  cache: DocCache,
): Promise<number> {
  const decoded: { stored: StoredEvent; event: ProjectedEvent | null; error?: unknown; attempts?: number }[] = [];
  const handles = new Set<string>(projection.handles);
  for (const stored of batch) {
    if (!handles.has(stored.type)) continue;
    let event: ProjectedEvent | null;
    try {
      event = await ctx.decoder(stored);
    } catch (firstError) {
      const result = await retryAfter(ctx.retry, firstError, () => ctx.decoder(stored));
      decoded.push(
        result.ok
          ? { stored, event: result.value }
          : { stored, event: null, error: result.error, attempts: result.attempts },
      );
      continue;
    }
    decoded.push({ stored, event });
  }

  const { entries } = cache;
  if (!cache.complete) {
    const missing = new Set<string>();
    for (const { event } of decoded)
      if (event) for (const key of safeKeys(projection, event)) if (!entries.has(key)) missing.add(key);
    if (missing.size > 0) {
      for (const [id, applied] of await ctx.readStore.getManyApplied(collection, [...missing])) {
        entries.set(id, { doc: applied.doc, position: applied.position, dirty: false });
      }
    }
  }

  let applied = 0;
  for (const { stored, event, error, attempts } of decoded) {
    if (!event) {
      if (error !== undefined)
        cache.parked.push(parkedEvent(ctx, projection, collection, stored, error, attempts ?? 1));
      continue;
    }
    const current = (key: string): CacheEntry | undefined => entries.get(key);
    let changes: Map<string, Doc | null>;
    try {
      changes = evolveAll(projection, event, current);
    } catch (firstError) {
      const result = await retryAfter(ctx.retry, firstError, () => evolveAll(projection, event, current));
      if (!result.ok) {
        cache.parked.push(parkedEvent(ctx, projection, collection, stored, result.error, result.attempts));
        continue;
      }
      changes = result.value;
    }
    // Documents that had already applied the event (a replay after a crash) are not in the result.
    for (const [key, doc] of changes) {
      entries.set(key, { doc, position: event.position, dirty: true });
      applied++;
    }
  }
  return applied;
}

/**
 * Writes the cache's changed documents and parked events with the checkpoint (named `checkpointName`;
 * none when null), in one commit; keeps them cached, clean.
 */
export async function flushCache(
  ctx: ApplierContext,
  collection: string,
  cache: DocCache,
  checkpoint: number | null,
  checkpointName = collection,
): Promise<void> {
  const changes: DocChange[] = [];
  const written: CacheEntry[] = [];
  for (const [id, entry] of cache.entries) {
    if (!entry.dirty) continue;
    written.push(entry);
    changes.push(
      entry.doc === null
        ? { kind: 'delete', collection, id, position: entry.position }
        : { kind: 'upsert', collection, doc: entry.doc, position: entry.position },
    );
  }
  const parked = cache.parked;
  for (const p of parked) changes.push({ kind: 'upsert', collection: PARKED_COLLECTION, doc: p, position: p.position });
  await ctx.readStore.commit(changes, checkpoint === null ? undefined : { name: checkpointName, position: checkpoint });
  for (const entry of written) entry.dirty = false;
  cache.parked = [];
  parked.forEach(ctx.onParked);
}

/** The retries left after a first failed attempt, with the same backoff as `withRetries`. */
async function retryAfter<T>(
  retry: { attempts: number; baseDelayMs: number },
  firstError: unknown,
  work: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown; attempts: number }> {
  if (retry.attempts <= 1) return { ok: false, error: firstError, attempts: 1 };
  await sleep(retry.baseDelayMs);
  const rest = await withRetries({ attempts: retry.attempts - 1, baseDelayMs: retry.baseDelayMs * 2 }, work);
  return rest.ok ? rest : { ...rest, attempts: retry.attempts };
}

function safeKeys(projection: Projection, event: ProjectedEvent): string[] {
  try {
    return keysOf(projection, event);
  } catch {
    return []; // the evolve step will fail the same way and park the event
  }
}

export function parkedEvent(
  ctx: Pick<ApplierContext, 'clock'>,
  projection: Projection,
  collection: string,
  stored: StoredEvent,
  error: unknown,
  attempts: number,
): ParkedEvent {
  return {
    id: `${collection}:${stored.position}`,
    projection: projection.name,
    collection,
    position: stored.position,
    streamId: stored.streamId,
    eventId: stored.metadata.eventId,
    eventType: stored.type,
    error: errorText(error),
    attempts,
    parkedAt: new Date(ctx.clock()).toISOString(),
  };
}
