import type { ReadModelSource } from '@rapport/projection-engine';
import type { ReadStore } from '@rapport/read-store';
import { KpiFactTableBuilder, type KpiFactTable } from './kpi-fact-table';
import { deriveKpiRecords, type KpiRecords } from './kpi-records';
import type { ServiceKpiDoc } from './service-kpi.projection';

// A derived state of a million events holds some 50 MB of columns: "now" and a couple of past as-of times.
const KEEP = 3;

/**
 * The fact table of one state of the service-kpi collection and the records derived from it, kept for
 * the last few as-of pairs. Every as-of at or after the latest fact (known at or after its recording)
 * sees all facts: those share one derivation, so "now" dashboards derive once per table.
 */
export class KpiFactSource {
  private readonly derived = new Map<string, KpiRecords>();

  constructor(
    readonly table: KpiFactTable,
    /** The checkpoint of the collection the table was read at. */
    readonly position: number,
    readonly collection: string,
  ) {}

  records(asOfMs: number, knownAtMs?: number): KpiRecords {
    const everything = asOfMs >= this.table.maxAt && (knownAtMs === undefined || knownAtMs >= this.table.maxRec);
    const key = everything ? 'all' : `${asOfMs}:${knownAtMs ?? ''}`;
    let r = this.derived.get(key);
    if (r === undefined) {
      r = everything
        ? deriveKpiRecords(this.table, Number.POSITIVE_INFINITY)
        : deriveKpiRecords(this.table, asOfMs, knownAtMs ?? Number.POSITIVE_INFINITY);
      if (this.derived.size >= KEEP) this.derived.delete(this.derived.keys().next().value as string);
      this.derived.set(key, r);
    } else {
      // Most recently used last.
      this.derived.delete(key);
      this.derived.set(key, r);
    }
    return r;
  }
}

/** Customers whose documents changed since `position`, by id, a page at a time (index on `position`). */
export async function changedSince(
  store: ReadStore,
  collection: string,
  position: number,
  limit: number,
): Promise<Map<string, ServiceKpiDoc> | null> {
  const changed = new Map<string, ServiceKpiDoc>();
  let cursor: string | undefined;
  do {
    const page = await store.find<ServiceKpiDoc>(collection, {
      filter: { field: 'position', gt: position },
      sort: [{ field: 'position', direction: 'asc' }],
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const doc of page.items) changed.set(doc.customerId, doc);
    if (changed.size > limit) return null;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return changed;
}

/**
 * The source at the collection's current checkpoint, from `previous` and only the documents changed
 * since its position: unchanged customers' rows are copied, changed ones read again, new ones added.
 * A full read when more than a fifth of the customers changed (or the collection is another one).
 */
export async function refreshKpiFactSource(
  store: ReadStore,
  previous: KpiFactSource,
  collection: string,
): Promise<KpiFactSource> {
  if (previous.collection !== collection) return loadKpiFactSource(store, collection);
  const position = (await store.getCheckpoint(collection)) ?? 0;
  if (position === previous.position) return previous;
  const old = previous.table;
  const changed = await changedSince(store, collection, previous.position, Math.max(1000, old.customerIds.length / 5));
  if (changed === null) return loadKpiFactSource(store, collection);
  const builder = new KpiFactTableBuilder(old.kind.length + 1024, old.strings);
  old.customerIds.forEach((id, c) => {
    const doc = changed.get(id);
    if (doc === undefined) builder.copy(old, c);
    else {
      builder.add(doc);
      changed.delete(id);
    }
  });
  for (const doc of changed.values()) builder.add(doc);
  return new KpiFactSource(builder.finish(), position, collection);
}

/** Reads every document of the collection into a fact table, one page at a time (the store scans in id order). */
export async function loadKpiFactSource(store: ReadStore, collection: string): Promise<KpiFactSource> {
  const position = (await store.getCheckpoint(collection)) ?? 0;
  const builder = new KpiFactTableBuilder();
  for await (const doc of store.scan<ServiceKpiDoc>(collection, 2000)) builder.add(doc);
  return new KpiFactSource(builder.finish(), position, collection);
}

/** The fact table at the collection's checkpoint: read whole, or refreshed from the `previous` one. */
export function kpiFactsOf(
  { store, collection }: ReadModelSource,
  { previous }: { previous: KpiFactSource | null },
): Promise<KpiFactSource> {
  return previous === null ? loadKpiFactSource(store, collection) : refreshKpiFactSource(store, previous, collection);
}
