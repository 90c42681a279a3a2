import type { CustomerEventType } from '@rapport/domain';
import { sealedField, type Projection, type ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';

/** Stored status. Due soon and overdue-before-the-watcher are read at query time against `now`. */
export type PromiseStatus = 'open' | 'overdue' | 'kept_on_time' | 'kept_late' | 'broken' | 'cancelled';

export interface Renegotiation {
  at: string;
  /** When Rapport learned of it (as-of views known at a time leave later ones out). */
  recordedAt: string;
  previousDueAt: string;
  newDueAt: string;
}

export interface PromiseEntry {
  promiseId: string;
  /** The sealed (encrypted) form from the decoder (`sealedField`), never plaintext; null when none was given. The engine reveals it per role. */
  description: string | null;
  madeBy: string;
  madeAt: string;
  /** When Rapport learned the promise was made. */
  madeRecordedAt: string;
  /** Current due date (after renegotiations). */
  dueAt: string;
  originalDueAt: string;
  withinPolicy: boolean;
  renegotiations: Renegotiation[];
  status: PromiseStatus;
  /**
   * When it became overdue in business time (PromiseBecameOverdue is dated at the due date it records,
   * however late the watcher noticed), and for which due date (exactly once per deadline).
   */
  becameOverdueAt: string | null;
  /** When the watcher noticed it (the event's recordedAt): known-at views see the overdue from then. */
  becameOverdueRecordedAt: string | null;
  overdueRecordedFor: string | null;
  closedAt: string | null;
  /** When Rapport learned it was closed. */
  closedRecordedAt: string | null;
  closedBy: string | null;
}

export interface PromiseCounts {
  made: number;
  open: number;
  overdue: number;
  keptOnTime: number;
  keptLate: number;
  broken: number;
  cancelled: number;
}

export interface PromiseFulfilmentDoc extends Doc {
  customerId: string;
  promises: PromiseEntry[];
  counts: PromiseCounts;
}

export const PROMISE_HANDLES = [
  'PromiseMade',
  'PromiseKept',
  'PromiseRenegotiated',
  'PromiseBroken',
  'PromiseCancelled',
  'PromiseBecameOverdue',
] as const satisfies readonly CustomerEventType[];

export const emptyCounts = (): PromiseCounts => ({
  made: 0,
  open: 0,
  overdue: 0,
  keptOnTime: 0,
  keptLate: 0,
  broken: 0,
  cancelled: 0,
});

export function countPromises(promises: readonly PromiseEntry[]): PromiseCounts {
  const counts = emptyCounts();
  for (const p of promises) {
    counts.made += 1;
    switch (p.status) {
      case 'open':
        counts.open += 1;
        break;
      case 'overdue':
        counts.overdue += 1;
        break;
      case 'kept_on_time':
        counts.keptOnTime += 1;
        break;
      case 'kept_late':
        counts.keptLate += 1;
        break;
      case 'broken':
        counts.broken += 1;
        break;
      case 'cancelled':
        counts.cancelled += 1;
        break;
      default: {
        const _exhaustive: never = p.status;
        return _exhaustive;
      }
    }
  }
  return counts;
}

export const isOpenStatus = (status: PromiseStatus): boolean => status === 'open' || status === 'overdue';

function updatePromise(
  doc: PromiseFulfilmentDoc,
  promiseId: string,
  change: (p: PromiseEntry) => PromiseEntry,
): PromiseFulfilmentDoc {
  const index = doc.promises.findIndex((p) => p.promiseId === promiseId);
  const current = doc.promises[index];
  // An event for an unknown promise cannot be placed (the decider rejects it); leave the document as is.
  if (current === undefined) return doc;
  const promises = doc.promises.slice();
  promises[index] = change(current);
  return { ...doc, promises, counts: countPromises(promises) };
}

const close = (p: PromiseEntry, status: PromiseStatus, event: ProjectedEvent, by: string | null): PromiseEntry =>
  isOpenStatus(p.status)
    ? {
        ...notOverdueBefore(p, event.metadata.occurredAt),
        status,
        closedAt: event.metadata.occurredAt,
        closedRecordedAt: recordedAtOf(event),
        closedBy: by,
      }
    : p;

/**
 * A keep, break, cancel or renegotiation dated before the recorded overdue (recorded after it): in
 * business time the promise never became overdue for that date, as folding in business-time order says.
 */
const notOverdueBefore = (p: PromiseEntry, at: string): PromiseEntry =>
  p.becameOverdueAt !== null && Date.parse(at) < Date.parse(p.becameOverdueAt)
    ? { ...p, becameOverdueAt: null, becameOverdueRecordedAt: null, overdueRecordedFor: null }
    : p;

/** Synthetic events (tests, benches) may lack a recording time: they were known when they occurred. */
const recordedAtOf = (event: ProjectedEvent): string => event.metadata.recordedAt ?? event.metadata.occurredAt;

/** A customer's document before any promise: what evolve starts from, and what a known customer without one reads. */
export const emptyPromiseFulfilment = (customerId: string): PromiseFulfilmentDoc => ({
  id: customerId,
  customerId,
  promises: [],
  counts: emptyCounts(),
});

export function evolvePromiseFulfilment(
  current: PromiseFulfilmentDoc | null,
  event: ProjectedEvent,
): PromiseFulfilmentDoc | null {
  const doc = current ?? emptyPromiseFulfilment(event.data.customerId);
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'PromiseMade': {
      if (doc.promises.some((p) => p.promiseId === event.data.promiseId)) return doc;
      const promises = [
        ...doc.promises,
        {
          promiseId: event.data.promiseId,
          description: sealedField(event, 'description'),
          madeBy: event.data.madeBy,
          madeAt: at,
          madeRecordedAt: recordedAtOf(event),
          dueAt: event.data.dueAt,
          originalDueAt: event.data.dueAt,
          withinPolicy: event.data.withinPolicy,
          renegotiations: [],
          status: 'open' as const,
          becameOverdueAt: null,
          becameOverdueRecordedAt: null,
          overdueRecordedFor: null,
          closedAt: null,
          closedRecordedAt: null,
          closedBy: null,
        },
      ];
      return { ...doc, promises, counts: countPromises(promises) };
    }
    case 'PromiseKept':
      return updatePromise(doc, event.data.promiseId, (p) =>
        close(p, Date.parse(at) <= Date.parse(p.dueAt) ? 'kept_on_time' : 'kept_late', event, event.data.keptBy),
      );
    case 'PromiseBroken':
      return updatePromise(doc, event.data.promiseId, (p) => close(p, 'broken', event, event.metadata.actor.id));
    case 'PromiseCancelled':
      return updatePromise(doc, event.data.promiseId, (p) => close(p, 'cancelled', event, event.metadata.actor.id));
    case 'PromiseRenegotiated':
      return updatePromise(doc, event.data.promiseId, (p) =>
        isOpenStatus(p.status)
          ? {
              ...notOverdueBefore(p, at),
              dueAt: event.data.newDueAt,
              // A new deadline reopens an overdue promise; it may become overdue again.
              status: Date.parse(event.data.newDueAt) > Date.parse(at) ? 'open' : p.status,
              renegotiations: [
                ...p.renegotiations,
                {
                  at,
                  recordedAt: recordedAtOf(event),
                  previousDueAt: event.data.previousDueAt,
                  newDueAt: event.data.newDueAt,
                },
              ],
            }
          : p,
      );
    case 'PromiseBecameOverdue':
      // Only for the due date in force (the decider records it so; a fold in business-time order may
      // meet it after a renegotiation that was recorded later).
      return updatePromise(doc, event.data.promiseId, (p) =>
        isOpenStatus(p.status) && Date.parse(event.data.dueAt) === Date.parse(p.dueAt)
          ? {
              ...p,
              status: 'overdue',
              becameOverdueAt: at,
              becameOverdueRecordedAt: recordedAtOf(event),
              overdueRecordedFor: event.data.dueAt,
            }
          : p,
      );
    default:
      return doc;
  }
}

export const promiseFulfilmentProjection: Projection<PromiseFulfilmentDoc> = {
  name: 'promise-fulfilment',
  // 2: PromiseBecameOverdue is dated at its due date (v1 events upcast), so becameOverdueAt is that date;
  // each step keeps its recording time, for as-of views known at a time.
  // 3: the overdue's recording time; a step dated before a recorded overdue undoes it (order-independent).
  version: 3,
  handles: PROMISE_HANDLES,
  indexes: [{ fields: ['counts.open'] }, { fields: ['counts.overdue'] }],
  evolve: evolvePromiseFulfilment,
};
