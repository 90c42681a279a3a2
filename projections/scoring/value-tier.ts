import type { ValueTier } from './analytics-customer';

/**
 * The 80/20 value tiers. Customers in descending net revenue (ties by id): a customer is A while the
 * revenue of those before it is below tierAShare of the total positive net revenue, B while below
 * tierBShare, C after; customers without positive net revenue are C.
 */
export function valueTiers(
  customers: ReadonlyArray<{ id: string; netRevenue: number }>,
  tierAShare: number,
  tierBShare: number,
): ValueTier[] {
  const tiers: ValueTier[] = new Array<ValueTier>(customers.length).fill('C');
  let total = 0;
  for (const c of customers) if (c.netRevenue > 0) total += c.netRevenue;
  if (total <= 0) return tiers;
  const order = customers.map((_, i) => i).filter((i) => (customers[i] as { netRevenue: number }).netRevenue > 0);
  order.sort((a, b) => {
    const ca = customers[a] as { id: string; netRevenue: number };
    const cb = customers[b] as { id: string; netRevenue: number };
    return cb.netRevenue - ca.netRevenue || (ca.id < cb.id ? -1 : ca.id > cb.id ? 1 : 0);
  });
  let before = 0;
  for (const i of order) {
    const share = before / total;
    tiers[i] = share < tierAShare ? 'A' : share < tierBShare ? 'B' : 'C';
    before += (customers[i] as { netRevenue: number }).netRevenue;
  }
  return tiers;
}
