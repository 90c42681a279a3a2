import { MongoServerError, type ClientSession, type Collection, type Db } from 'mongodb';
import { assertFence, toGrant } from '../lease/lease-rules';
import type { LeaseFence, LeaseGrant, LeaseRecord } from '../read-store.port';

const DUPLICATE_KEY = 11000;

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

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Leases of the MongoReadStore in `rs_leases`, one document per lease. Every change is one
 * conditional single-document write, the same rules as lease-rules.ts; arguments are validated by
 * the store before they get here.
 */
export class MongoLeases {
  private readonly leases: Collection<LeaseShape>;

  constructor(db: Db) {
    this.leases = db.collection<LeaseShape>('rs_leases');
  }

  /**
   * Matches only a lease that is free, released, expired or held by `owner`; one held live by
   * another misses the filter and the upsert collides on `_id` (null). The token grows unless
   * `owner` holds it live.
   */
  async acquire(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    const mine = { $and: [{ $eq: ['$owner', { $literal: owner }] }, { $gt: ['$expiresAtMs', nowMs] }] };
    try {
      const lease = await this.leases.findOneAndUpdate(
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

  async renew(name: string, owner: string, token: number, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    const lease = await this.leases.findOneAndUpdate(
      { _id: name, owner, token },
      { $set: { expiresAtMs: nowMs + ttlMs } },
      { returnDocument: 'after' },
    );
    return toGrant(leaseOf(lease));
  }

  async release(name: string, owner: string, token: number): Promise<boolean> {
    const result = await this.leases.updateOne(
      { _id: name, owner, token },
      { $set: { owner: null, expiresAtMs: 0, acquiredAtMs: null } },
    );
    return result.modifiedCount === 1;
  }

  async list(prefix: string): Promise<LeaseRecord[]> {
    const filter = prefix === '' ? {} : { _id: { $regex: `^${escapeRegex(prefix)}` } };
    const rows = await this.leases.find(filter).sort({ _id: 1 }).toArray();
    return rows.flatMap((row) => {
      const lease = leaseOf(row);
      return lease ? [lease] : [];
    });
  }

  /**
   * Inside the commit's transaction: a conditional write to the lease document. An acquire by
   * another owner that commits meanwhile makes the transaction conflict (retried, then refused
   * here); a stale token throws LeaseFencedError and the transaction aborts.
   */
  async fence(fence: LeaseFence, session: ClientSession): Promise<void> {
    const touched = await this.leases.findOneAndUpdate(
      { _id: fence.lease, token: fence.token, owner: { $ne: null } },
      { $inc: { fencedWrites: 1 } },
      { session },
    );
    if (touched === null) {
      const current = leaseOf(await this.leases.findOne({ _id: fence.lease }, { session }));
      // The filter missed, so the fence fails: no lease, a released one or another token.
      assertFence(current, fence);
    }
  }
}
