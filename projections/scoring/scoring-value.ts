import type { CustomerValueDoc } from '../customer-value/customer-value.projection';

const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * What a scoring run keeps of a customer-value document as of its time: the figures scoring, the tiers
 * and the CLV fit read; no facts, daily revenue only after `trendFrom` (the days valueTrend's two windows
 * reach), fields nobody reads at their empty value, and the repeated strings of a population (regions,
 * channels) shared. A run holds one for every customer, so every field not kept is memory saved.
 */
export function scoringValue(doc: CustomerValueDoc, trendFrom: number, shared: Map<string, string>): CustomerValueDoc {
  const share = (text: string | null): string | null => {
    if (text === null) return null;
    const known = shared.get(text);
    if (known !== undefined) return known;
    shared.set(text, text);
    return text;
  };
  const dailyRevenue = doc.dailyRevenue.filter(([day]) => day > trendFrom);
  return {
    id: doc.id,
    customerId: doc.id,
    registeredAt: doc.registeredAt,
    region: share(doc.region),
    city: null,
    acquisitionChannel: share(doc.acquisitionChannel),
    acquisitionCost: 0,
    erased: doc.erased,
    orders: doc.orders,
    firstPurchaseAt: doc.firstPurchaseAt,
    lastPurchaseAt: doc.lastPurchaseAt,
    purchaseDays: doc.purchaseDays,
    recentPurchaseDays: NONE,
    meanInterPurchaseDays: doc.meanInterPurchaseDays,
    grossRevenue: doc.grossRevenue,
    refunded: 0,
    netRevenue: doc.netRevenue,
    averageOrderValue: doc.averageOrderValue,
    firstDayRevenue: doc.firstDayRevenue,
    frequency: doc.frequency,
    monetary: doc.monetary,
    historicalLifetimeValue: doc.historicalLifetimeValue,
    dailyRevenue: dailyRevenue.length === 0 ? NONE : dailyRevenue,
    latestActivityDay: null,
    facts: NONE,
  };
}
