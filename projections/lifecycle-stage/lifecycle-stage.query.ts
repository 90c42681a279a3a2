import type { ReadStore } from '@rapport/read-store';
import type { AnalyticsCustomerDoc, LifecycleStage } from '../scoring/analytics-customer';
import { withCollections, type CollectionNames } from '../scoring/collections';
import type { StageTransition } from '../scoring/lifecycle-rules';
import type { LifecycleFactsDoc } from './lifecycle-stage.projection';

/** What `GET /customers/{id}/lifecycle` returns. */
export interface LifecycleView {
  customerId: string;
  registeredAt: string | null;
  orders: number;
  purchaseDays: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  meanInterPurchaseDays: number | null;
  /** As of the scoring run asked for (the current one by default); null until a run has scored this customer. */
  stage: LifecycleStage | null;
  stageSince: string | null;
  stageReason: string | null;
  transitions: StageTransition[];
}

export async function getLifecycle(store: ReadStore, customerId: string, names?: Partial<CollectionNames>): Promise<LifecycleView | null> {
  const collections = withCollections(names);
  const [facts, history] = await Promise.all([
    store.get<LifecycleFactsDoc>(collections.lifecycleStage, customerId),
    store.get<AnalyticsCustomerDoc>(collections.analyticsCustomers, customerId),
  ]);
  if (facts === null) return null;
  return {
    customerId: facts.customerId,
    registeredAt: facts.registeredAt,
    orders: facts.orders,
    purchaseDays: facts.purchaseDays,
    firstPurchaseAt: facts.firstPurchaseAt,
    lastPurchaseAt: facts.lastPurchaseAt,
    meanInterPurchaseDays: facts.meanInterPurchaseDays,
    stage: history?.stage ?? null,
    stageSince: history?.stageSince ?? null,
    stageReason: history?.stageReason ?? null,
    transitions: history?.stageTransitions ?? [],
  };
}
