import { assertCollectionName } from '../errors';
import { decodeCursor, encodeCursor, queryFingerprint } from '../query/cursor';
import { compareDocs, matchesFilter, valueAt } from '../query/filter-match';
import { validateFilter, validateFindQuery } from '../query/query-validator';
import { acquired, assertFence, released, renewed, toGrant, validateLeaseArgs } from '../lease/lease-rules';
import type {
  AppliedDoc,
  CollectionSpec,
  Doc,
  DocChange,
  Filter,
  FindQuery,
  IdRange,
  LeaseFence,
  LeaseGrant,
  LeaseRecord,
  Page,
  ReadStore,
  Scalar,
  SortKey,
  BulkLoad,
} from '../read-store.port';
import { committingBulkLoad } from '../bulk/committing-bulk-load';

interface Row {
  doc: Doc | null;
  position: number;
}

const clone = <T>(value: T): T => structuredClone(value);

/** ReadStore in process memory, for unit tests. Documents are copied in and out. */
export class MemoryReadStore implements ReadStore {
  private readonly collections = new Map<string, Map<string, Row>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly meta = new Map<string, unknown>();
  private readonly uniqueIndexes = new Map<string, string[][]>();
  private readonly leases = new Map<string, LeaseRecord>();

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    assertCollectionName(spec.name);
    if (!this.collections.has(spec.name)) this.collections.set(spec.name, new Map());
    const unique = spec.indexes.filter((index) => index.unique).map((index) => index.fields);
    if (unique.length > 0) this.uniqueIndexes.set(spec.name, unique);
  }

  bulkLoad(spec: CollectionSpec, position: number): Promise<BulkLoad> {
    return committingBulkLoad(this, spec, position);
  }

  async dropCollection(name: string): Promise<void> {
    this.collections.delete(name);
    this.uniqueIndexes.delete(name);
  }

  async replaceCollection(target: CollectionSpec, source: string): Promise<void> {
    const rows = this.rows(source);
    await this.dropCollection(source);
    await this.dropCollection(target.name);
    this.collections.set(target.name, rows);
    await this.ensureCollection(target);
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const row = this.rows(collection).get(id);
    return row?.doc ? (clone(row.doc) as T) : null;
  }

  async getMany<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, T>> {
    const rows = this.rows(collection);
    const found = new Map<string, T>();
    for (const id of ids) {
      const doc = rows.get(id)?.doc;
      if (doc) found.set(id, clone(doc) as T);
    }
    return found;
  }

  async getManyApplied<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, AppliedDoc<T>>> {
    const rows = this.rows(collection);
    const found = new Map<string, AppliedDoc<T>>();
    for (const id of ids) {
      const row = rows.get(id);
      if (row) found.set(id, { doc: row.doc ? (clone(row.doc) as T) : null, position: row.position });
    }
    return found;
  }

  async find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>> {
    const { filter, sort, limit, cursor } = validateFindQuery(query);
    const fingerprint = queryFingerprint(collection, filter, sort);
    const after = decodeCursor(cursor, fingerprint, sort);
    const compare = compareDocs(sort);
    const keyOf = (doc: Doc) => [...sort.map(({ field }) => (valueAt(doc, field) ?? null) as Scalar), doc.id];
    // The cursor's key as a document, so the page starts after it in the same order.
    const last = after === null ? null : keyDoc(sort, after);
    const matching = this.liveDocs(collection)
      .filter((doc) => matchesFilter(doc, filter) && (last === null || compare(doc, last) > 0))
      .sort(compare);
    const items = matching.slice(0, limit).map((doc) => clone(doc) as T);
    const lastItem = items[items.length - 1];
    return {
      items,
      nextCursor: matching.length > limit && lastItem ? encodeCursor(keyOf(lastItem), fingerprint) : null,
    };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const valid = filter === undefined ? undefined : validateFilter(filter);
    return this.liveDocs(collection).filter((doc) => matchesFilter(doc, valid)).length;
  }

  async *scan<T extends Doc>(collection: string, batchSize = 500, range: IdRange = {}): AsyncIterable<T> {
    const ids = [...this.rows(collection).entries()]
      .flatMap(([id, row]) => (row.doc && inRange(id, range) ? [id] : []))
      .sort();
    for (let i = 0; i < ids.length; i += batchSize) {
      const page = await this.getMany<T>(collection, ids.slice(i, i + batchSize));
      for (const id of ids.slice(i, i + batchSize)) {
        const doc = page.get(id);
        if (doc) yield doc;
      }
    }
  }

  async splitPoint(collection: string, share: number): Promise<{ rows: number; id: string | null }> {
    const ids = [...this.rows(collection).keys()].sort();
    return { rows: ids.length, id: ids[Math.min(ids.length - 1, Math.floor(share * ids.length))] ?? null };
  }

  async commit(
    changes: DocChange[],
    checkpoint?: { name: string; position: number },
    fence?: LeaseFence,
  ): Promise<void> {
    if (fence) {
      validateLeaseArgs({ name: fence.lease, token: fence.token });
      assertFence(this.leases.get(fence.lease) ?? null, fence);
    }
    changes.forEach((change) => assertCollectionName(change.collection));
    // Stage every change first so a failing one (a unique index) leaves nothing applied.
    const staged = new Map<string, Map<string, Row>>();
    for (const change of changes) {
      const overlay = staged.get(change.collection) ?? new Map<string, Row>();
      staged.set(change.collection, overlay);
      const id = change.kind === 'upsert' ? change.doc.id : change.id;
      const current = overlay.get(id) ?? this.rows(change.collection).get(id);
      const force = change.force === true;
      if (current && current.position >= change.position && !force) continue;
      const position = Math.max(current?.position ?? 0, change.position);
      // A deleted document stays as a tombstone so an older change cannot bring it back.
      overlay.set(id, { doc: change.kind === 'upsert' ? clone(change.doc) : null, position });
    }
    for (const [collection, overlay] of staged) this.checkUnique(collection, overlay);
    for (const [collection, overlay] of staged) {
      const rows = this.rows(collection);
      for (const [id, row] of overlay) rows.set(id, row);
    }
    if (checkpoint) this.checkpoints.set(checkpoint.name, checkpoint.position);
  }

  async getCheckpoint(name: string): Promise<number | null> {
    return this.checkpoints.get(name) ?? null;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.checkpoints.delete(name);
  }

  async getMeta<T>(key: string): Promise<T | null> {
    return this.meta.has(key) ? clone(this.meta.get(key) as T) : null;
  }

  async setMeta<T>(key: string, value: T, fence?: LeaseFence): Promise<void> {
    if (fence) {
      validateLeaseArgs({ name: fence.lease, token: fence.token });
      assertFence(this.leases.get(fence.lease) ?? null, fence);
    }
    this.meta.set(key, clone(value));
  }

  async acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, ttlMs, nowMs });
    return toGrant(this.putLease(acquired(this.leases.get(name) ?? null, name, owner, ttlMs, nowMs)));
  }

  async renewLease(
    name: string,
    owner: string,
    token: number,
    ttlMs: number,
    nowMs: number,
  ): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, token, ttlMs, nowMs });
    return toGrant(this.putLease(renewed(this.leases.get(name) ?? null, owner, token, ttlMs, nowMs)));
  }

  async releaseLease(name: string, owner: string, token: number): Promise<boolean> {
    validateLeaseArgs({ name, owner, token });
    return this.putLease(released(this.leases.get(name) ?? null, owner, token)) !== null;
  }

  async listLeases(prefix = ''): Promise<LeaseRecord[]> {
    return [...this.leases.values()]
      .filter((lease) => lease.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((lease) => ({ ...lease }));
  }

  async close(): Promise<void> {}

  private putLease(next: LeaseRecord | null): LeaseRecord | null {
    if (next !== null) this.leases.set(next.name, next);
    return next;
  }

  private rows(collection: string): Map<string, Row> {
    assertCollectionName(collection);
    let rows = this.collections.get(collection);
    if (!rows) {
      rows = new Map();
      this.collections.set(collection, rows);
    }
    return rows;
  }

  private checkUnique(collection: string, overlay: Map<string, Row>): void {
    const indexes = this.uniqueIndexes.get(collection) ?? [];
    if (indexes.length === 0) return;
    const merged = new Map(this.rows(collection));
    for (const [id, row] of overlay) merged.set(id, row);
    for (const fields of indexes) {
      const seen = new Map<string, string>();
      for (const [id, row] of merged) {
        if (!row.doc) continue;
        const values = fields.map((field) => valueAt(row.doc, field));
        if (values.some((v) => v === null || v === undefined)) continue;
        const key = JSON.stringify(values);
        const other = seen.get(key);
        if (other !== undefined)
          throw new Error(`${collection}: unique index on ${fields.join(', ')} violated by ${other} and ${id}`);
        seen.set(key, id);
      }
    }
  }

  private liveDocs(collection: string): Doc[] {
    return [...this.rows(collection).values()].flatMap((row) => (row.doc ? [row.doc] : []));
  }
}

/** A document holding only the sort values and id of a cursor's key, for `compareDocs`. */
function keyDoc(sort: SortKey[], key: Scalar[]): Doc {
  const doc: Record<string, unknown> = { id: key[sort.length] };
  sort.forEach(({ field }, i) => {
    const parts = field.split('.');
    let at = doc;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1] as string] = key[i];
  });
  return doc as Doc;
}

const inRange = (id: string, { from, before }: IdRange): boolean =>
  (from === undefined || id >= from) && (before === undefined || id < before);
