import type { ReadModelSource } from '@rapport/projection-engine';
import type { CustomerValueDoc } from './customer-value.projection';

/** One customer's event-derived value facts (the scores of a run are joined above, `@rapport/analytics`). */
export interface CustomerValueFacts {
  customerId: string;
  region: string | null;
  erased: boolean;
  orders: number;
  grossRevenue: number;
  refunded: number;
  netRevenue: number;
  averageOrderValue: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  purchaseDays: number;
  meanInterPurchaseDays: number | null;
  frequency: number;
  monetary: number;
  acquisitionCost: number;
  historicalLifetimeValue: number;
}

/** One customer's value facts; null when the read model has not seen the customer. */
export async function valueFactsOf(
  { store, collection }: ReadModelSource,
  { customerId }: { customerId: string },
): Promise<CustomerValueFacts | null> {
  const doc = await store.get<CustomerValueDoc>(collection, customerId);
  if (doc === null) return null;
  return {
    customerId: doc.customerId,
    region: doc.region,
    erased: doc.erased,
    orders: doc.orders,
    grossRevenue: doc.grossRevenue,
    refunded: doc.refunded,
    netRevenue: doc.netRevenue,
    averageOrderValue: doc.averageOrderValue,
    firstPurchaseAt: doc.firstPurchaseAt,
    lastPurchaseAt: doc.lastPurchaseAt,
    purchaseDays: doc.purchaseDays,
    meanInterPurchaseDays: doc.meanInterPurchaseDays,
    frequency: doc.frequency,
    monetary: doc.monetary,
    acquisitionCost: doc.acquisitionCost,
    historicalLifetimeValue: doc.historicalLifetimeValue,
  };
}
