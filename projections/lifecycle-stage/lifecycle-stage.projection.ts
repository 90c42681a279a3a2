import type { CustomerEventType } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
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

export const LIFECYCLE_HANDLES = ['CustomerRegistered', 'CustomerErased', 'PurchaseRecorded', 'PurchaseRefunded'] as const satisfies readonly CustomerEventType[];

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

export function evolveLifecycleFacts(current: LifecycleFactsDoc | null, event: ProjectedEvent): LifecycleFactsDoc | null {
  const doc: LifecycleFactsDoc = current ?? {
    id: event.data.customerId,
    customerId: event.data.customerId,
    registeredAt: null,
    refunds: 0,
    erased: false,
    ...emptyPurchaseHistory(),
  };
  switch (event.type) {
    case 'CustomerRegistered': {
      const next = copyOf(doc);
      next.registeredAt = event.metadata.occurredAt;
      return next;
    }
    case 'CustomerErased': {
      const next = copyOf(doc);
      next.erased = true;
      return next;
    }
    case 'PurchaseRecorded': {
      const next = copyOf(doc);
      recordPurchaseOn(next, doc, event.metadata.occurredAt);
      return next;
    }
    case 'PurchaseRefunded': {
      const next = copyOf(doc);
      next.refunds = doc.refunds + 1;
      return next;
    }
    default:
      return doc;
  }
}

export const lifecycleStageProjection: Projection<LifecycleFactsDoc> = {
  name: 'lifecycle-stage',
  version: 1,
  handles: LIFECYCLE_HANDLES,
  indexes: [{ fields: ['lastPurchaseAt'] }],
  evolve: evolveLifecycleFacts,
};
