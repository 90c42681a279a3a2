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

/** Reads every document of the collection into a fact table, one page at a time (the store scans in id order). */
export async function loadKpiFactSource(store: ReadStore, collection: string): Promise<KpiFactSource> {
  const position = (await store.getCheckpoint(collection)) ?? 0;
  const builder = new KpiFactTableBuilder();
  for await (const doc of store.scan<ServiceKpiDoc>(collection, 2000)) builder.add(doc);
  return new KpiFactSource(builder.finish(), position, collection);
}
