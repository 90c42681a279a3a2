import type { StoredEvent } from '@rapport/event-store';
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

interface CacheEntry {
  doc: Doc | null;
  position: number;
  dirty: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export function keysOf(projection: Projection, event: ProjectedEvent): string[] {
  const keys = (projection.keyOf ?? defaultKeyOf)(event);
  return [...new Set(Array.isArray(keys) ? keys : [keys])];
}

/** Runs `work` up to `attempts` times with exponential backoff; returns the last error if all fail. */
export async function withRetries<T>(
  retry: { attempts: number; baseDelayMs: number },
  work: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown; attempts: number }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      lastError = error;
      if (attempt < retry.attempts) await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
    }
  }
  return { ok: false, error: lastError, attempts: retry.attempts };
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
    if (next !== null && next.id !== key) throw new Error(`evolve returned document id ${String(next.id)} for key ${key}`);
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
): Promise<number> {
  const decoded: { stored: StoredEvent; event: ProjectedEvent | null; error?: unknown; attempts?: number }[] = [];
  const handles = new Set<string>(projection.handles);
  for (const stored of batch) {
    if (!handles.has(stored.type)) continue;
    const result = await withRetries(ctx.retry, () => ctx.decoder(stored));
    decoded.push(result.ok ? { stored, event: result.value } : { stored, event: null, error: result.error, attempts: result.attempts });
  }

  const keys = new Set<string>();
  for (const { event } of decoded) if (event) for (const key of safeKeys(projection, event)) keys.add(key);
  const cache = new Map<string, CacheEntry>();
  for (const [id, applied] of await ctx.readStore.getManyApplied(collection, [...keys])) {
    cache.set(id, { doc: applied.doc, position: applied.position, dirty: false });
  }

  const parked: ParkedEvent[] = [];
  let applied = 0;
  for (const { stored, event, error, attempts } of decoded) {
    if (!event) {
      if (error !== undefined) parked.push(parkedEvent(ctx, projection, collection, stored, error, attempts ?? 1));
      continue;
    }
    const result = await withRetries(ctx.retry, () => evolveAll(projection, event, (key) => cache.get(key)));
    if (!result.ok) {
      parked.push(parkedEvent(ctx, projection, collection, stored, result.error, result.attempts));
      continue;
    }
    // Documents that had already applied the event (a replay after a crash) are not in the result.
    for (const [key, doc] of result.value) {
      cache.set(key, { doc, position: event.position, dirty: true });
      applied++;
    }
  }

  const changes: DocChange[] = [];
  for (const [id, entry] of cache) {
    if (!entry.dirty) continue;
    changes.push(
      entry.doc === null
        ? { kind: 'delete', collection, id, position: entry.position }
        : { kind: 'upsert', collection, doc: entry.doc, position: entry.position },
    );
  }
  for (const p of parked) changes.push({ kind: 'upsert', collection: PARKED_COLLECTION, doc: p, position: p.position });
  await ctx.readStore.commit(changes, { name: collection, position: checkpoint });
  parked.forEach(ctx.onParked);
  return applied;
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
