import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
} from 'mongodb';
import { assertCollectionName } from '../errors';
import { assertFence, toGrant, validateLeaseArgs } from '../lease/lease-rules';
import { decodeCursor, encodeCursor, queryFingerprint } from '../query/cursor';
import { validateFieldPath, validateFilter, validateFindQuery } from '../query/query-validator';
import type {
  AppliedDoc,
  CollectionSpec,
  Doc,
  DocChange,
  Filter,
  FindQuery,
  LeaseFence,
  LeaseGrant,
  LeaseRecord,
  Page,
  ReadStore,
} from '../read-store.port';
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

interface LeaseShape {
  _id: string;
  owner: string | null;
  token: number;
  expiresAtMs: number;
  acquiredAtMs: number | null;
  /** How many fenced commits touched the lease: the write that ties a commit's transaction to it. */
  fencedWrites?: number;
}

const leaseOf = (row: LeaseShape | null): LeaseRecord | null =>
  row === null
    ? null
    : {
        name: row._id,
        owner: row.owner ?? null,
        token: row.token,
        expiresAtMs: row.expiresAtMs,
        acquiredAtMs: row.acquiredAtMs ?? null,
      };

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
  constructor(private readonly db: Db) {}

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

  async *scan<T extends Doc>(collection: string, batchSize = 500): AsyncIterable<T> {
    const cursor = this.collection(collection).find({ _live: true }).sort({ _id: 1 }).batchSize(batchSize);
    for await (const stored of cursor) yield toDoc<T>(stored);
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
        const touched = await this.leases().findOneAndUpdate(
          { _id: fence.lease, token: fence.token, owner: { $ne: null } },
          { $inc: { fencedWrites: 1 } },
          { session, returnDocument: 'after' },
        );
        if (touched === null)
          assertFence(leaseOf(await this.leases().findOne({ _id: fence.lease }, { session })), fence);
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
    for (const change of changes) {
      assertCollectionName(change.collection);
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
        .bulkWrite(ops, { ordered: false, ignoreUndefined: true, ...(session ? { session } : {}) })
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

  async setMeta<T>(key: string, value: T): Promise<void> {
    // Stored as JSON text so any key names (dots, dollars) survive.
    await this.db
      .collection<{ _id: string; value: string }>('rs_meta')
      .updateOne({ _id: key }, { $set: { value: JSON.stringify(value) } }, { upsert: true });
  }

  acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, ttlMs, nowMs });
    return this.guard(() => this.acquireOnce(name, owner, ttlMs, nowMs));
  }

  /**
   * One conditional upsert: it matches only a lease that is free, released, expired or held by
   * `owner`; a lease held live by another misses the filter and the upsert collides on `_id`.
   * The same rules as `acquired` in lease-rules, as an update pipeline.
   */
  private async acquireOnce(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    const mine = { $and: [{ $eq: ['$owner', { $literal: owner }] }, { $gt: ['$expiresAtMs', nowMs] }] };
    try {
      const lease = await this.leases().findOneAndUpdate(
        { _id: name, $or: [{ owner: null }, { expiresAtMs: { $lte: nowMs } }, { owner }] },
        [
          {
            $set: {
              token: { $cond: [mine, '$token', { $add: [{ $ifNull: ['$token', 0] }, 1] }] },
              acquiredAtMs: { $cond: [mine, '$acquiredAtMs', { $literal: nowMs }] },
              owner: { $literal: owner },
              expiresAtMs: { $literal: nowMs + ttlMs },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      return toGrant(leaseOf(lease));
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return null;
      throw error;
    }
  }

  renewLease(name: string, owner: string, token: number, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, token, ttlMs, nowMs });
    return this.guard(async () =>
      toGrant(
        leaseOf(
          await this.leases().findOneAndUpdate(
            { _id: name, owner, token },
            { $set: { expiresAtMs: nowMs + ttlMs } },
            { returnDocument: 'after' },
          ),
        ),
      ),
    );
  }

  releaseLease(name: string, owner: string, token: number): Promise<boolean> {
    validateLeaseArgs({ name, owner, token });
    return this.guard(async () => {
      const result = await this.leases().updateOne(
        { _id: name, owner, token },
        { $set: { owner: null, expiresAtMs: 0, acquiredAtMs: null } },
      );
      return result.modifiedCount === 1;
    });
  }

  listLeases(prefix = ''): Promise<LeaseRecord[]> {
    return this.guard(async () => {
      const filter = prefix === '' ? {} : { _id: { $regex: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } };
      const rows = await this.leases().find(filter).sort({ _id: 1 }).toArray();
      return rows.flatMap((row) => {
        const lease = leaseOf(row);
        return lease ? [lease] : [];
      });
    });
  }

  async close(): Promise<void> {}

  private leases(): Collection<LeaseShape> {
    return this.db.collection<LeaseShape>('rs_leases');
  }

  /** Every call to the server passes the breaker: a MongoDB outage fails fast instead of piling up requests. */
  private guard<T>(work: () => Promise<T>): Promise<T> {
    return MONGO_BREAKER.execute(work);
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
