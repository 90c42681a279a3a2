import type { CustomerEventType } from '@rapport/domain';
import { foldOnOwnCopy, type Projection, type ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { emptyPurchaseHistory, recordPurchaseOn, type PurchaseHistory } from '../customer-value/purchase-history';

/**
 * The event-derived facts a lifecycle stage needs. The stage itself depends on the clock: the
 * scoring job computes it and keeps its transitions (collection `lifecycle-history`).
 */
export interface LifecycleFactsDoc extends Doc, PurchaseHistory {
  customerId: string;
  registeredAt: string | null;
  refunds: number;
  erased: boolean;
}

export const LIFECYCLE_HANDLES = [
  'CustomerRegistered',
  'CustomerErased',
  'PurchaseRecorded',
  'PurchaseRefunded',
] as const satisfies readonly CustomerEventType[];

/** A field-by-field copy for evolve to change: a literal of the document's shape is far cheaper than a spread. */
function copyOf(doc: LifecycleFactsDoc): LifecycleFactsDoc {
  return {
    id: doc.id,
    customerId: doc.customerId,
    registeredAt: doc.registeredAt,
    refunds: doc.refunds,
    erased: doc.erased,
    orders: doc.orders,
    firstPurchaseAt: doc.firstPurchaseAt,
    lastPurchaseAt: doc.lastPurchaseAt,
    purchaseDays: doc.purchaseDays,
    recentPurchaseDays: doc.recentPurchaseDays,
    meanInterPurchaseDays: doc.meanInterPurchaseDays,
  };
}

const HANDLED: ReadonlySet<string> = new Set(LIFECYCLE_HANDLES);

const emptyFacts = (customerId: string): LifecycleFactsDoc => ({
  id: customerId,
  customerId,
  registeredAt: null,
  refunds: 0,
  erased: false,
  ...emptyPurchaseHistory(),
});

export function evolveLifecycleFacts(
  current: LifecycleFactsDoc | null,
  event: ProjectedEvent,
): LifecycleFactsDoc | null {
  const doc = current ?? emptyFacts(event.data.customerId);
  if (!HANDLED.has(event.type)) return doc;
  const next = copyOf(doc);
  applyEvent(next, event);
  return next;
}

/**
 * The facts after a run of events: equal to folding `evolveLifecycleFacts` over them (a property
 * test holds it to that) but in one pass, changing one copy instead of copying on every event.
 * For replays of one customer's stream, such as the audit's as-of state.
 */
export function foldLifecycleFacts(
  doc: LifecycleFactsDoc | null,
  events: Iterable<ProjectedEvent>,
): LifecycleFactsDoc | null {
  return foldOnOwnCopy(doc, events, { handles: HANDLED, empty: emptyFacts, ownCopy: copyOf, apply: applyEvent });
}

/** One handled event applied to `next`, a copy the caller owns. */
function applyEvent(next: LifecycleFactsDoc, event: ProjectedEvent): void {
  switch (event.type) {
    case 'CustomerRegistered':
      next.registeredAt = event.metadata.occurredAt;
      return;
    case 'CustomerErased':
      next.erased = true;
      return;
    case 'PurchaseRecorded':
      recordPurchaseOn(next, next, event.metadata.occurredAt);
      return;
    case 'PurchaseRefunded':
      next.refunds += 1;
      return;
    default:
      return;
  }
}

export const lifecycleFactsProjection: Projection<LifecycleFactsDoc> = {
  // The name it has always had: its checkpoint, its collections and the projections API know it by it.
  name: 'lifecycle-stage',
  version: 1,
  handles: LIFECYCLE_HANDLES,
  indexes: [{ fields: ['lastPurchaseAt'] }],
  evolve: evolveLifecycleFacts,
};
