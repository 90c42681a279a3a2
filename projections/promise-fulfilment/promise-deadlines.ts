import {
  countPromises,
  type PromiseEntry,
  type PromiseFulfilmentDoc,
  type PromiseStatus,
} from './promise-fulfilment.projection';

/** A promise's status as read at `now`: due soon and overdue depend on the clock. */
export type PromiseStatusAt = Exclude<PromiseStatus, 'open'> | 'open' | 'due_soon';

const HOUR = 3_600_000;

/** Open promises due within this many hours read as due soon (the scoring job's default takes it from here). */
export const DEFAULT_DUE_SOON_HOURS = 48;

export function promiseStatusAt(p: PromiseEntry, nowMs: number, dueSoonHours: number): PromiseStatusAt {
  if (p.status !== 'open') return p.status;
  const due = Date.parse(p.dueAt);
  if (due <= nowMs) return 'overdue';
  return due - nowMs <= dueSoonHours * HOUR ? 'due_soon' : 'open';
}

export interface OverdueCandidate {
  customerId: string;
  promiseId: string;
  dueAt: string;
}

/**
 * The promises for which the deadline watcher must record PromiseBecameOverdue at `now`: open, due
 * date passed, and no overdue event recorded yet for that due date (exactly once per deadline; a
 * renegotiated due date is a new deadline). Ordered by due date, then customer and promise id.
 */
export function promisesNeedingOverdueEvent(docs: Iterable<PromiseFulfilmentDoc>, now: string): OverdueCandidate[] {
  const nowMs = Date.parse(now);
  const out: OverdueCandidate[] = [];
  for (const doc of docs) {
    for (const p of doc.promises) {
      if (p.status === 'open' && Date.parse(p.dueAt) <= nowMs && p.overdueRecordedFor !== p.dueAt)
        out.push({ customerId: doc.customerId, promiseId: p.promiseId, dueAt: p.dueAt });
    }
  }
  return out.sort(
    (a, b) =>
      a.dueAt.localeCompare(b.dueAt) ||
      a.customerId.localeCompare(b.customerId) ||
      a.promiseId.localeCompare(b.promiseId),
  );
}

export interface DuePromise {
  customerId: string;
  promiseId: string;
  madeBy: string;
  dueAt: string;
  status: 'due_soon' | 'overdue';
}

/** Open promises due soon or overdue at `now`, soonest due first. */
export function duePromises(docs: Iterable<PromiseFulfilmentDoc>, now: string, dueSoonHours: number): DuePromise[] {
  const nowMs = Date.parse(now);
  const out: DuePromise[] = [];
  for (const doc of docs) {
    for (const p of doc.promises) {
      const status = promiseStatusAt(p, nowMs, dueSoonHours);
      if (status === 'due_soon' || status === 'overdue')
        out.push({ customerId: doc.customerId, promiseId: p.promiseId, madeBy: p.madeBy, dueAt: p.dueAt, status });
    }
  }
  return out.sort(
    (a, b) =>
      a.dueAt.localeCompare(b.dueAt) ||
      a.customerId.localeCompare(b.customerId) ||
      a.promiseId.localeCompare(b.promiseId),
  );
}

export interface AgentPromiseRates {
  agentId: string;
  made: number;
  keptOnTime: number;
  keptLate: number;
  broken: number;
  cancelled: number;
  open: number;
  currentlyOverdue: number;
  /** keptOnTime / resolved (kept on time + kept late + broken); null before any is resolved. */
  keptOnTimeRate: number | null;
  /** (keptOnTime + keptLate) / resolved. */
  keptRate: number | null;
  /** broken / resolved. */
  brokenRate: number | null;
}

/** Promise fulfilment per agent (the one who made the promise) at `now`, by agent id. */
export function agentPromiseRates(docs: Iterable<PromiseFulfilmentDoc>, now: string): AgentPromiseRates[] {
  const nowMs = Date.parse(now);
  const byAgent = new Map<string, AgentPromiseRates>();
  for (const doc of docs) {
    for (const p of doc.promises) {
      let r = byAgent.get(p.madeBy);
      if (r === undefined) {
        r = {
          agentId: p.madeBy,
          made: 0,
          keptOnTime: 0,
          keptLate: 0,
          broken: 0,
          cancelled: 0,
          open: 0,
          currentlyOverdue: 0,
          keptOnTimeRate: null,
          keptRate: null,
          brokenRate: null,
        };
        byAgent.set(p.madeBy, r);
      }
      r.made += 1;
      const status = promiseStatusAt(p, nowMs, 0);
      if (status === 'kept_on_time') r.keptOnTime += 1;
      else if (status === 'kept_late') r.keptLate += 1;
      else if (status === 'broken') r.broken += 1;
      else if (status === 'cancelled') r.cancelled += 1;
      else {
        r.open += 1;
        if (status === 'overdue') r.currentlyOverdue += 1;
      }
    }
  }
  const rates = [...byAgent.values()].sort((a, b) => a.agentId.localeCompare(b.agentId));
  for (const r of rates) {
    const resolved = r.keptOnTime + r.keptLate + r.broken;
    if (resolved > 0) {
      r.keptOnTimeRate = r.keptOnTime / resolved;
      r.keptRate = (r.keptOnTime + r.keptLate) / resolved;
      r.brokenRate = r.broken / resolved;
    }
  }
  return rates;
}

/**
 * A promise as it stood at `asOfMs` in business time, as known at `knownAtMs`: null if not yet made
 * (or not yet known); its due date the one in force then (renegotiations made and known by then); open
 * again if it was closed only later. Deadlines that passed by then read as overdue through
 * `promiseStatusAt`, whether or not the watcher had noticed.
 */
export function promiseAsOf(
  p: PromiseEntry,
  asOfMs: number,
  knownAtMs = Number.POSITIVE_INFINITY,
): PromiseEntry | null {
  const by = (at: string, recordedAt: string | null | undefined): boolean =>
    Date.parse(at) <= asOfMs && Date.parse(recordedAt ?? at) <= knownAtMs;
  if (!by(p.madeAt, p.madeRecordedAt)) return null;
  const renegotiations = p.renegotiations.filter((r) => by(r.at, r.recordedAt));
  const closed = p.closedAt !== null && by(p.closedAt, p.closedRecordedAt);
  const overdueSeen = p.becameOverdueAt !== null && by(p.becameOverdueAt, p.becameOverdueRecordedAt);
  if (closed && overdueSeen === (p.becameOverdueAt !== null) && renegotiations.length === p.renegotiations.length)
    return p;
  const last = renegotiations[renegotiations.length - 1];
  return {
    ...p,
    becameOverdueAt: overdueSeen ? p.becameOverdueAt : null,
    becameOverdueRecordedAt: overdueSeen ? p.becameOverdueRecordedAt : null,
    overdueRecordedFor: overdueSeen ? p.overdueRecordedFor : null,
    dueAt: last === undefined ? p.originalDueAt : last.newDueAt,
    renegotiations,
    status: closed ? p.status : 'open',
    closedAt: closed ? p.closedAt : null,
    closedRecordedAt: closed ? p.closedRecordedAt : null,
    closedBy: closed ? p.closedBy : null,
  };
}

/** The customer's promises as they stood at `asOfMs`, as known at `knownAtMs` (see promiseAsOf). */
export function promisesAsOf(doc: PromiseFulfilmentDoc, asOfMs: number, knownAtMs?: number): PromiseFulfilmentDoc {
  const promises: PromiseEntry[] = [];
  for (const p of doc.promises) {
    const then = promiseAsOf(p, asOfMs, knownAtMs);
    if (then !== null) promises.push(then);
  }
  return { ...doc, promises, counts: countPromises(promises) };
}
