import type { ReadModelSource } from '@rapport/projection-engine';
import type { LifecycleStage } from '../customer-vocabulary';
import type { LifecycleHistory, StageTransition } from './lifecycle-history';
import type { LifecycleFactsDoc } from './lifecycle-facts.projection';

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

/**
 * The lifecycle facts, with the stage history of a scoring run: `history`, derived again from the
 * customer's facts the way the run derived it (the run keeps only the stage). Null when the customer is
 * unknown; stage fields null when no run scored it.
 */
export async function lifecycleOf(
  { store, collection }: ReadModelSource,
  { customerId, history }: { customerId: string; history: LifecycleHistory | null },
): Promise<LifecycleView | null> {
  const facts = await store.get<LifecycleFactsDoc>(collection, customerId);
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
    stageSince: history?.since ?? null,
    stageReason: history?.reason ?? null,
    transitions: history?.transitions ?? [],
  };
}
