import type { ReadModelSource } from '@rapport/projection-engine';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import type { CustomerValueDoc } from './customer-value.projection';

/** What `GET /customers/{id}/value` returns: the event-derived facts and the latest population scores. */
export interface CustomerValueView {
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
  /** Null until the scoring job has run over this customer. */
  scores: Omit<AnalyticsCustomerDoc, 'id'> | null;
}

/** One customer's value facts with the scores of the scoring run whose customers `scoredIn` holds. */
export async function customerValueOf(
  { store, collection }: ReadModelSource,
  { customerId, scoredIn }: { customerId: string; scoredIn: string },
): Promise<CustomerValueView | null> {
  const [doc, scored] = await Promise.all([
    store.get<CustomerValueDoc>(collection, customerId),
    store.get<AnalyticsCustomerDoc>(scoredIn, customerId),
  ]);
  if (doc === null) return null;
  const { id: _id, ...scores } = scored ?? { id: '' };
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
    scores: scored === null ? null : (scores as Omit<AnalyticsCustomerDoc, 'id'>),
  };
}
