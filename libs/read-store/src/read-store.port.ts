import type { MessagePort } from 'node:worker_threads';
/** A field path into a document, dot separated (`rfm.segment`). */
export type FieldPath = string;

export type Scalar = string | number | boolean | null;

/**
 * The filter language, the same on every adapter and validated before it reaches one:
 * equality, ranges, in / not in, exists, and / or. Anything else is rejected.
 */
export type Filter =
  | { and: Filter[] }
  | { or: Filter[] }
  | { field: FieldPath; eq: Scalar }
  | { field: FieldPath; ne: Scalar }
  | { field: FieldPath; gt?: number | string; gte?: number | string; lt?: number | string; lte?: number | string }
  | { field: FieldPath; in: Scalar[] }
  | { field: FieldPath; nin: Scalar[] }
  | { field: FieldPath; exists: boolean };

export interface SortKey {
  field: FieldPath;
  direction: 'asc' | 'desc';
}

export interface FindQuery {
  filter?: Filter;
  sort?: SortKey[];
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface IndexSpec {
  fields: FieldPath[];
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
  /**
   * Declare the indexes but build them later (a later `ensureCollection` without this, or
   * `replaceCollection`): a bulk load into an index-free collection is faster.
   */
  deferIndexes?: boolean;
}

/** Every stored document has a string id. */
export interface Doc {
  id: string;
  [field: string]: unknown;
}

/** A document with the event position it has applied. */
export interface AppliedDoc<T extends Doc = Doc> {
  doc: T | null;
  position: number;
}

export type DocChange =
  /** `force` writes whatever the applied position (replaying a parked event); the higher position is kept. */
  | { kind: 'upsert'; collection: string; doc: Doc; position: number; force?: boolean }
  | { kind: 'delete'; collection: string; id: string; position: number; force?: boolean };

/**
 * A named lease (`projection:customer-value`, `projection:customer-value#p3`, `leader:scoring`) as
 * granted to its owner. `token` is the fencing token: it grows every time the lease passes to an
 * owner that did not hold it live, so a write carrying an older one comes from a superseded owner.
 */
export interface LeaseGrant {
  name: string;
  owner: string;
  token: number;
  /** Store time (the callers' `nowMs`) after which another owner may take the lease. */
  expiresAtMs: number;
}

/** A lease as stored, for listings: `owner` is null once released (the token is kept). */
export interface LeaseRecord {
  name: string;
  owner: string | null;
  token: number;
  expiresAtMs: number;
  /** When the current owner took it (unchanged by renewals); null once released. */
  acquiredAtMs: number | null;
}

/** What a fenced write presents: the lease it writes under and the token it was granted. */
export interface LeaseFence {
  lease: string;
  token: number;
}

/**
 * Collections of JSON documents with checkpoints. Writes are guarded by the event position each
 * document has applied: a change at or below it is ignored, so replays change nothing twice.
 */
export interface ReadStore {
  ensureCollection(spec: CollectionSpec): Promise<void>;
  dropCollection(name: string): Promise<void>;
  /**
   * Atomically replaces collection `target.name` (documents, tombstones, indexes) by the documents of
   * `source`, which stops existing; `target.indexes` are built as part of the switch. Readers see the
   * old collection or the new one, never a mix. For bulk rewrites: fill `source` without indexes first.
   */
  replaceCollection(target: CollectionSpec, source: string): Promise<void>;
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  getMany<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, T>>;
  /**
   * Documents with the event position each has applied (the runner skips events at or below it).
   * `doc` is null for a deleted document whose position is still remembered.
   */
  getManyApplied<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, AppliedDoc<T>>>;
  find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>>;
  count(collection: string, filter?: Filter): Promise<number>;
  /** Streams every document of a collection in id order, paged from storage; those within `range` when given. */
  scan<T extends Doc>(collection: string, batchSize?: number, range?: IdRange): AsyncIterable<T>;
  /**
   * Where a collection's rows divide at `share` (0 to 1) of their number in id order, tombstones counted
   * (cheap: an index walk, for splitting work), and that number; id null when there are no rows.
   */
  splitPoint(collection: string, share: number): Promise<{ rows: number; id: string | null }>;
  /** How another thread of this process opens this store (openSharedReadStore); absent or null when it cannot. */
  shareWithThread?(): ReadStoreShare | null;
  /**
   * Applies document changes and moves the checkpoint. SQLite: one transaction.
   * MongoDB: position-guarded bulk writes, then the checkpoint.
   * With a `fence`, nothing is written and `LeaseFencedError` is thrown unless the fence's token is
   * the lease's current one and the lease is not released, checked atomically with the writes
   * (SQLite: in the same transaction; MongoDB: in one multi-document transaction, a replica set).
   */
  commit(changes: DocChange[], checkpoint?: { name: string; position: number }, fence?: LeaseFence): Promise<void>;
  /**
   * Starts a bulk load into `spec.name` (created when missing, its indexes built by `finish`), every
   * document stored at `position`. SQLite moves a large load to a thread with its own connection.
   */
  bulkLoad(spec: CollectionSpec, position: number): Promise<BulkLoad>;
  getCheckpoint(name: string): Promise<number | null>;
  deleteCheckpoint(name: string): Promise<void>;
  /** Small key/value records the engine keeps beside the data (active versions, parked events, model fits). */
  getMeta<T>(key: string): Promise<T | null>;
  /**
   * With a `fence`, nothing is written and `LeaseFencedError` is thrown unless the fence's token is the
   * lease's current one and the lease is not released, checked atomically with the write (as `commit`).
   */
  setMeta<T>(key: string, value: T, fence?: LeaseFence): Promise<void>;
  /**
   * Leases. There is no clock in the store: every call passes the caller's `nowMs`, and all owners
   * of one lease must share a time base (wall-clock milliseconds on hosts kept in sync).
   * Grants the lease to `owner` when nobody holds it, its holder's lease expired (`expiresAtMs <=
   * nowMs`) or it was released: the token then grows by one. When `owner` already holds it live the
   * grant is extended with the same token. Null when another owner holds it live.
   */
  acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null>;
  /**
   * Extends the lease while `owner` with `token` is still its holder (also past expiry when nobody
   * took it meanwhile: the token is still the current one). Null when the lease was lost.
   */
  renewLease(name: string, owner: string, token: number, ttlMs: number, nowMs: number): Promise<LeaseGrant | null>;
  /** Gives the lease up so another owner can take it at once; false when `owner`/`token` no longer hold it. */
  releaseLease(name: string, owner: string, token: number): Promise<boolean>;
  /** Every lease ever granted in name order, with its current holder (null once released), optionally by name prefix. */
  listLeases(prefix?: string): Promise<LeaseRecord[]>;
  close(): Promise<void>;
}

/**
 * Many documents written into one collection the caller has just created (a scoring run's customers,
 * say): upserted whatever their position, in batches, off the caller's thread where the adapter can.
 */
/** What another thread needs to write into a bulk load: a port speaking the load's protocol, how rows are encoded. */
export interface BulkLoadShare {
  port: MessagePort;
  /** The field columns each row carries (columnValue of the document), in order. */
  fields: readonly string[];
  position: number;
}

/** Ids from `from` (inclusive) and before `before` (exclusive), in the stores' id order (code units). */
export interface IdRange {
  from?: string;
  before?: string;
}

/** What opens a store again on another thread of the process (openSharedReadStore). */
export interface ReadStoreShare {
  kind: 'sqlite';
  filename: string;
}

/** A document as JSON text, beside its id. */
export interface SerialisedDoc {
  id: string;
  json: string;
}

export interface BulkLoad {
  /** Queues documents; resolves once the load can take more (a bounded number of batches in flight). */
  write(docs: readonly Doc[]): Promise<void>;
  /**
   * `write` for documents already serialised (JSON text of a Doc with that id), e.g. by another thread:
   * the store parses them only if it must.
   */
  writeSerialised(docs: readonly SerialisedDoc[]): Promise<void>;
  /**
   * A share of this load for another thread of the process (openSharedBulkLoad on that side): its documents
   * join this load's, stored by the same writer. Absent or null when the store has no such writer.
   */
  shareWithThread?(): Promise<BulkLoadShare | null>;
  /** Resolves once every document written is stored and the collection's declared indexes exist. */
  finish(): Promise<void>;
  /** Stops the load at once; what was stored stays (drop the collection to discard it). */
  abort(): Promise<void>;
}

/** Nest injection token for the ReadStore port. */
export const READ_STORE = Symbol('READ_STORE');
