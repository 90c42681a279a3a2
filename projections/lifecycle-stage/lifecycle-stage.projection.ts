import type { CustomerEventType } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { emptyPurchaseHistory, recordPurchase, type PurchaseHistory } from '../customer-value/purchase-history';

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
    case 'CustomerRegistered':
      return { ...doc, registeredAt: event.metadata.occurredAt };
    case 'CustomerErased':
      return { ...doc, erased: true };
    case 'PurchaseRecorded':
      return { ...doc, ...recordPurchase(doc, event.metadata.occurredAt) };
    case 'PurchaseRefunded':
      return { ...doc, refunds: doc.refunds + 1 };
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
