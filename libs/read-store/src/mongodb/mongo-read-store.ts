import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
} from 'mongodb';
import { assertCollectionName } from '../errors';
import { validateLeaseArgs } from '../lease/lease-rules';
import { MongoLeases } from './mongo-leases';
import { decodeCursor, encodeCursor, queryFingerprint } from '../query/cursor';
import { validateFieldPath, validateFilter, validateFindQuery } from '../query/query-validator';
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
  BulkLoad,
} from '../read-store.port';
import { committingBulkLoad } from '../bulk/committing-bulk-load';
import { valueAt } from '../query/filter-match';
import { afterKeyMongo, keyValue, liveFilter, sortToMongo, type StoredShape } from './mongo-filter';
import { storeCircuitBreaker } from '@rapport/event-store/shared/resilience';

const DUPLICATE_KEY = 11000;

/** Transport failures (network, no server selectable), not refusals such as a duplicate key. */
export const isMongoOutage = (error: Error): boolean =>
  /^Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|Topology)/.test(error.name);

/** One breaker for the process's MongoDB (the engine holds one client). */
const MONGO_BREAKER = storeCircuitBreaker({ isOutage: isMongoOutage });
const collectionName = (name: string): string => `rs_${name}`;

function toDoc<T extends Doc>(stored: StoredShape): T {
  const { _id, _pos, _live, ...doc } = stored;
  return doc as T;
}

/** A stale guarded upsert misses its filter and then collides on _id: the newer document stays. */
function ignoreStaleWrites(error: unknown): void {
  if (error instanceof MongoBulkWriteError) {
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (errors.every((e) => e.code === DUPLICATE_KEY)) return;
  }
  if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return;
  throw error;
}

/**
 * ReadStore on MongoDB (official driver). Each document carries the position it has applied
 * (`_pos`); bulk upserts are filtered on it so a replay after a crash changes nothing twice, and the
 * checkpoint is written after the batch. Deleted documents stay as tombstones (`_live` absent).
 * The caller owns the MongoClient.
 */
export class MongoReadStore implements ReadStore {
  private readonly leases: MongoLeases;

  constructor(private readonly db: Db) {
    this.leases = new MongoLeases(db);
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    const collection = this.collection(spec.name);
    if (spec.deferIndexes) return;
    for (const index of spec.indexes) {
      const keys: Record<string, 1> = {};
      index.fields.forEach((field, i) => {
        keys[validateFieldPath(field, `${spec.name}.indexes.fields[${i}]`)] = 1;
      });
      await collection.createIndex(keys, {
        unique: index.unique ?? false,
        ...(index.unique ? { partialFilterExpression: { _live: true } } : {}),
      });
    }
  }

  bulkLoad(spec: CollectionSpec, position: number): Promise<BulkLoad> {
    return committingBulkLoad(this, spec, position);
  }

  async dropCollection(name: string): Promise<void> {
    const exists = await this.db.listCollections({ name: collectionName(name) }, { nameOnly: true }).hasNext();
    if (exists) await this.collection(name).drop();
  }

  async replaceCollection(target: CollectionSpec, source: string): Promise<void> {
    assertCollectionName(target.name);
    // Index the source under the target's spec first: renameCollection keeps indexes, and with
    // dropTarget it swaps the collections atomically.
    await this.ensureCollection({ name: source, indexes: target.indexes });
    const exists = await this.db.listCollections({ name: collectionName(source) }, { nameOnly: true }).hasNext();
    if (!exists) await this.db.createCollection(collectionName(source));
    await this.collection(source).rename(collectionName(target.name), { dropTarget: true });
  }

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.guard(() => this.getOnce<T>(collection, id));
  }

  private async getOnce<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const stored = await this.collection(collection).findOne({ _id: id, _live: true });
    return stored ? toDoc<T>(stored) : null;
  }

  getMany<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, T>> {
    return this.guard(() => this.getManyOnce<T>(collection, ids));
  }

  private async getManyOnce<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    const cursor = this.collection(collection).find({ _id: { $in: [...new Set(ids)] }, _live: true });
    for await (const stored of cursor) found.set(stored._id, toDoc<T>(stored));
    return found;
  }

  getManyApplied<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, AppliedDoc<T>>> {
    return this.guard(() => this.getManyAppliedOnce<T>(collection, ids));
  }

  private async getManyAppliedOnce<T extends Doc>(
    collection: string,
    ids: string[],
  ): Promise<Map<string, AppliedDoc<T>>> {
    const found = new Map<string, AppliedDoc<T>>();
    const cursor = this.collection(collection).find({ _id: { $in: [...new Set(ids)] } });
    for await (const stored of cursor)
      found.set(stored._id, { doc: stored._live ? toDoc<T>(stored) : null, position: stored._pos });
    return found;
  }

  find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>> {
    return this.guard(() => this.findOnce<T>(collection, query));
  }

  private async findOnce<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>> {
    const { filter, sort, limit, cursor } = validateFindQuery(query);
    const fingerprint = queryFingerprint(collection, filter, sort);
    const after = decodeCursor(cursor, fingerprint, sort);
    const live = liveFilter(filter);
    const rows = await this.collection(collection)
      .find(after === null ? live : { $and: [live, afterKeyMongo(sort, after)] })
      .sort(sortToMongo(sort))
      .limit(limit + 1)
      .toArray();
    const items = rows.slice(0, limit).map((row) => toDoc<T>(row));
    const last = items[items.length - 1];
    const key = last ? [...sort.map(({ field }) => keyValue(valueAt(last, field))), last.id] : [];
    return { items, nextCursor: rows.length > limit ? encodeCursor(key, fingerprint) : null };
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.guard(() => this.countOnce(collection, filter));
  }

  private async countOnce(collection: string, filter?: Filter): Promise<number> {
    return this.collection(collection).countDocuments(
      liveFilter(filter === undefined ? undefined : validateFilter(filter)),
    );
  }

  async *scan<T extends Doc>(collection: string, batchSize = 500, range: IdRange = {}): AsyncIterable<T> {
    const ids = {
      ...(range.from === undefined ? {} : { $gte: range.from }),
      ...(range.before === undefined ? {} : { $lt: range.before }),
    };
    const filter = { _live: true as const, ...(Object.keys(ids).length === 0 ? {} : { _id: ids }) };
    const cursor = this.collection(collection).find(filter).sort({ _id: 1 }).batchSize(batchSize);
    for await (const stored of cursor) yield toDoc<T>(stored);
  }

  async splitPoint(collection: string, share: number): Promise<{ rows: number; id: string | null }> {
    const rows = await this.collection(collection).estimatedDocumentCount();
    const skip = Math.min(Math.max(0, rows - 1), Math.floor(share * rows));
    const [at] = await this.collection(collection)
      .find({}, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .skip(skip)
      .limit(1)
      .toArray();
    return { rows, id: at === undefined ? null : String(at._id) };
  }

  commit(changes: DocChange[], checkpoint?: { name: string; position: number }, fence?: LeaseFence): Promise<void> {
    if (!fence) return this.guard(() => this.commitOnce(changes, checkpoint));
    validateLeaseArgs({ name: fence.lease, token: fence.token });
    return this.guard(() => this.fencedCommit(changes, checkpoint, fence));
  }

  /**
   * One multi-document transaction (a replica set is needed): the fence is a conditional write to
   * the lease document first, so an acquire by another owner that commits meanwhile makes this
   * transaction conflict and abort (retried by `withTransaction`, then refused by the fence).
   */
  private async fencedCommit(
    changes: DocChange[],
    checkpoint: { name: string; position: number } | undefined,
    fence: LeaseFence,
  ): Promise<void> {
    const session = this.db.client.startSession();
    try {
      await session.withTransaction(async () => {
        await this.leases.fence(fence, session);
        await this.commitOnce(changes, checkpoint, session);
      });
    } finally {
      await session.endSession();
    }
  }

  private async commitOnce(
    changes: DocChange[],
    checkpoint?: { name: string; position: number },
    session?: ClientSession,
  ): Promise<void> {
    const byCollection = new Map<string, AnyBulkWriteOperation<StoredShape>[]>();
    // In a transaction a write error aborts it, so stale changes are left out up front instead of
    // colliding on _id as the guarded upserts do outside one.
    const applied = session ? await this.appliedPositions(changes, session) : null;
    for (const change of changes) {
      assertCollectionName(change.collection);
      if (applied) {
        const key = `${change.collection}/${change.kind === 'upsert' ? change.doc.id : change.id}`;
        const at = applied.get(key);
        if (!change.force && at !== undefined && change.position <= at) continue;
        applied.set(key, Math.max(at ?? change.position, change.position));
      }
      if (change.force) {
        await this.forceWrite(
          change.collection,
          change.kind === 'upsert' ? change.doc : change.id,
          change.position,
          session,
        );
        continue;
      }
      const id = change.kind === 'upsert' ? change.doc.id : change.id;
      const replacement: StoredShape =
        change.kind === 'upsert'
          ? { ...change.doc, _id: id, _pos: change.position, _live: true }
          : { _id: id, _pos: change.position };
      const ops = byCollection.get(change.collection) ?? [];
      ops.push({ replaceOne: { filter: { _id: id, _pos: { $lt: change.position } }, replacement, upsert: true } });
      byCollection.set(change.collection, ops);
    }
    for (const [name, ops] of byCollection) {
      await this.collection(name)
        .bulkWrite(ops, { ordered: session !== undefined, ignoreUndefined: true, ...(session ? { session } : {}) })
        .catch(ignoreStaleWrites);
    }
    // After the documents: a crash in between replays the batch, which the position guard absorbs.
    if (checkpoint) {
      await this.db
        .collection<{ _id: string; position: number }>('rs_checkpoints')
        .updateOne(
          { _id: checkpoint.name },
          { $set: { position: checkpoint.position } },
          { upsert: true, ...(session ? { session } : {}) },
        );
    }
  }

  getCheckpoint(name: string): Promise<number | null> {
    return this.guard(() => this.getCheckpointOnce(name));
  }

  private async getCheckpointOnce(name: string): Promise<number | null> {
    const row = await this.db.collection<{ _id: string; position: number }>('rs_checkpoints').findOne({ _id: name });
    return row?.position ?? null;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.db.collection<{ _id: string }>('rs_checkpoints').deleteOne({ _id: name });
  }

  async getMeta<T>(key: string): Promise<T | null> {
    const row = await this.db.collection<{ _id: string; value: string }>('rs_meta').findOne({ _id: key });
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async setMeta<T>(key: string, value: T, fence?: LeaseFence): Promise<void> {
    // Stored as JSON text so any key names (dots, dollars) survive.
    const write = (session?: ClientSession) =>
      this.db
        .collection<{ _id: string; value: string }>('rs_meta')
        .updateOne(
          { _id: key },
          { $set: { value: JSON.stringify(value) } },
          { upsert: true, ...(session ? { session } : {}) },
        );
    if (!fence) {
      await write();
      return;
    }
    validateLeaseArgs({ name: fence.lease, token: fence.token });
    // As a fenced commit: the lease's conditional write and the meta in one transaction.
    await this.guard(async () => {
      const session = this.db.client.startSession();
      try {
        await session.withTransaction(async () => {
          await this.leases.fence(fence, session);
          await write(session);
        });
      } finally {
        await session.endSession();
      }
    });
  }

  acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, ttlMs, nowMs });
    return this.guard(() => this.leases.acquire(name, owner, ttlMs, nowMs));
  }

  renewLease(name: string, owner: string, token: number, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, token, ttlMs, nowMs });
    return this.guard(() => this.leases.renew(name, owner, token, ttlMs, nowMs));
  }

  releaseLease(name: string, owner: string, token: number): Promise<boolean> {
    validateLeaseArgs({ name, owner, token });
    return this.guard(() => this.leases.release(name, owner, token));
  }

  listLeases(prefix = ''): Promise<LeaseRecord[]> {
    return this.guard(() => this.leases.list(prefix));
  }

  async close(): Promise<void> {}

  /** Every call to the server passes the breaker: a MongoDB outage fails fast instead of piling up requests. */
  private guard<T>(work: () => Promise<T>): Promise<T> {
    return MONGO_BREAKER.execute(work);
  }

  /** The positions the documents a batch changes have applied, keyed `collection/id`, read in `session`. */
  private async appliedPositions(changes: DocChange[], session: ClientSession): Promise<Map<string, number>> {
    const idsByCollection = new Map<string, Set<string>>();
    for (const change of changes) {
      const ids = idsByCollection.get(change.collection) ?? new Set<string>();
      ids.add(change.kind === 'upsert' ? change.doc.id : change.id);
      idsByCollection.set(change.collection, ids);
    }
    const positions = new Map<string, number>();
    for (const [name, ids] of idsByCollection) {
      const rows = this.collection(name).find({ _id: { $in: [...ids] } }, { projection: { _pos: 1 }, session });
      for await (const row of rows) positions.set(`${name}/${row._id}`, row._pos);
    }
    return positions;
  }

  /** A document, or the id of one to delete, written whatever its applied position. */
  private async forceWrite(
    name: string,
    docOrId: Doc | string,
    position: number,
    session?: ClientSession,
  ): Promise<void> {
    const id = typeof docOrId === 'string' ? docOrId : docOrId.id;
    const inSession = session ? { session } : {};
    const current = await this.collection(name).findOne({ _id: id }, { projection: { _pos: 1 }, ...inSession });
    const pos = Math.max(current?._pos ?? 0, position);
    const replacement: StoredShape =
      typeof docOrId === 'string' ? { _id: id, _pos: pos } : { ...docOrId, _id: id, _pos: pos, _live: true };
    await this.collection(name).replaceOne({ _id: id }, replacement, {
      upsert: true,
      ignoreUndefined: true,
      ...inSession,
    });
  }

  private collection(name: string): Collection<StoredShape> {
    assertCollectionName(name);
    return this.db.collection<StoredShape>(collectionName(name));
  }
}
