import type { ReadModelSource } from '@rapport/projection-engine';
import { DEFAULT_DUE_SOON_HOURS, promiseStatusAt, type PromiseStatusAt } from './promise-deadlines';
import type { PromiseCounts, PromiseEntry, PromiseFulfilmentDoc } from './promise-fulfilment.projection';

export interface PromiseView extends Omit<PromiseEntry, 'status'> {
  /** Status at `now`: open, due_soon, overdue, kept_on_time, kept_late, broken, cancelled. */
  status: PromiseStatusAt;
}

/** What `GET /customers/{id}/promises` returns. */
export interface CustomerPromisesView {
  customerId: string;
  promises: PromiseView[];
  counts: PromiseCounts & { dueSoon: number; currentlyOverdue: number };
  /** (kept on time) / (kept on time + kept late + broken); null before any is resolved. */
  keptOnTimeRate: number | null;
}

/** Reads one customer's promises with their status at `now` (due soon within `dueSoonHours`). */
export function promisesAt(
  doc: PromiseFulfilmentDoc,
  now: string,
  dueSoonHours = DEFAULT_DUE_SOON_HOURS,
): CustomerPromisesView {
  const nowMs = Date.parse(now);
  const promises = doc.promises.map((p) => ({ ...p, status: promiseStatusAt(p, nowMs, dueSoonHours) }));
  const resolved = doc.counts.keptOnTime + doc.counts.keptLate + doc.counts.broken;
  return {
    customerId: doc.customerId,
    promises,
    counts: {
      ...doc.counts,
      dueSoon: promises.filter((p) => p.status === 'due_soon').length,
      currentlyOverdue: promises.filter((p) => p.status === 'overdue').length,
    },
    keptOnTimeRate: resolved > 0 ? doc.counts.keptOnTime / resolved : null,
  };
}

/** One customer's promises with their status at `now` (null: the read model has not seen the customer). */
export async function promisesOf(
  { store, collection }: ReadModelSource,
  { customerId, now, dueSoonHours }: { customerId: string; now: string; dueSoonHours?: number },
): Promise<CustomerPromisesView | null> {
  const doc = await store.get<PromiseFulfilmentDoc>(collection, customerId);
  return doc === null ? null : promisesAt(doc, now, dueSoonHours);
}
