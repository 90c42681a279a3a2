import type { ValueTier } from '@rapport/projections/customer-vocabulary';

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
  // Revenues in a typed array: the sort compares 100,000s of them without touching the documents.
  const revenue = Float64Array.from(customers, (c) => c.netRevenue);
  const order = customers.map((_, i) => i).filter((i) => (revenue[i] as number) > 0);
  order.sort((a, b) => {
    const byRevenue = (revenue[b] as number) - (revenue[a] as number);
    if (byRevenue !== 0) return byRevenue;
    const ia = (customers[a] as { id: string }).id;
    const ib = (customers[b] as { id: string }).id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  let before = 0;
  for (const i of order) {
    const share = before / total;
    tiers[i] = share < tierAShare ? 'A' : share < tierBShare ? 'B' : 'C';
    before += revenue[i] as number;
  }
  return tiers;
}
