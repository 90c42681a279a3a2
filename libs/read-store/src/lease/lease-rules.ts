import { InvalidLeaseArgumentError, LeaseFencedError } from '../errors';
import type { LeaseFence, LeaseGrant, LeaseRecord } from '../read-store.port';

// The lease decisions every adapter makes the same way; SQLite and memory call these inside their
// atomic step, MongoDB expresses the same rules as conditional updates.

const NAME = /^[A-Za-z0-9][A-Za-z0-9:#._/-]{0,199}$/;

export function validateLeaseName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new InvalidLeaseArgumentError('lease', `must match ${NAME.source}`);
  return name;
}

export function validateLeaseArgs(args: {
  name: unknown;
  owner?: unknown;
  token?: unknown;
  ttlMs?: unknown;
  nowMs?: unknown;
}): void {
  validateLeaseName(args.name);
  if ('owner' in args && (typeof args.owner !== 'string' || args.owner.length === 0 || args.owner.length > 200))
    throw new InvalidLeaseArgumentError('owner', 'must be a non-empty string of at most 200 characters');
  if ('token' in args && !(Number.isSafeInteger(args.token) && (args.token as number) > 0))
    throw new InvalidLeaseArgumentError('token', 'must be a positive integer');
  if ('ttlMs' in args && !(Number.isSafeInteger(args.ttlMs) && (args.ttlMs as number) > 0))
    throw new InvalidLeaseArgumentError('ttlMs', 'must be a positive integer of milliseconds');
  if ('nowMs' in args && !(Number.isSafeInteger(args.nowMs) && (args.nowMs as number) >= 0))
    throw new InvalidLeaseArgumentError('nowMs', 'must be a non-negative integer of milliseconds');
}

/** Held live by `owner` at `nowMs`. */
const heldLiveBy = (lease: LeaseRecord, owner: string, nowMs: number): boolean =>
  lease.owner === owner && lease.expiresAtMs > nowMs;

/** The lease after `owner` asks for it, or null when another owner holds it live. */
export function acquired(
  current: LeaseRecord | null,
  name: string,
  owner: string,
  ttlMs: number,
  nowMs: number,
): LeaseRecord | null {
  const expiresAtMs = nowMs + ttlMs;
  if (current === null) return { name, owner, token: 1, expiresAtMs, acquiredAtMs: nowMs };
  if (heldLiveBy(current, owner, nowMs)) return { ...current, expiresAtMs };
  if (current.owner !== null && current.expiresAtMs > nowMs) return null;
  // Free, released or expired: a new tenure, so writes of any earlier one are fenced off.
  return { name, owner, token: current.token + 1, expiresAtMs, acquiredAtMs: nowMs };
}

/** The lease after its holder renews, or null when `owner`/`token` no longer hold it. */
export function renewed(
  current: LeaseRecord | null,
  owner: string,
  token: number,
  ttlMs: number,
  nowMs: number,
): LeaseRecord | null {
  if (current === null || current.owner !== owner || current.token !== token) return null;
  return { ...current, expiresAtMs: nowMs + ttlMs };
}

/** The lease after its holder releases it, or null when `owner`/`token` no longer hold it. */
export function released(current: LeaseRecord | null, owner: string, token: number): LeaseRecord | null {
  if (current === null || current.owner !== owner || current.token !== token) return null;
  return { ...current, owner: null, expiresAtMs: 0, acquiredAtMs: null };
}

/** Throws LeaseFencedError unless `fence` carries the lease's current token and the lease is held. */
export function assertFence(current: LeaseRecord | null, fence: LeaseFence): void {
  if (current === null || current.owner === null || current.token !== fence.token)
    throw new LeaseFencedError(fence.lease, fence.token, current?.token ?? null, current?.owner ?? null);
}

/** The grant a caller sees of a lease it holds. */
export function toGrant(lease: LeaseRecord | null): LeaseGrant | null {
  if (lease === null || lease.owner === null) return null;
  return { name: lease.name, owner: lease.owner, token: lease.token, expiresAtMs: lease.expiresAtMs };
}
