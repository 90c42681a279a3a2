// CDNOW_master's purchases (`readCdnowMaster` in libs/testing) folded through the customer-value projection into a
// read store, for the back-test's int test and benchmark. Test and bench use only.
import type { ProjectedEvent } from '@rapport/projection-engine';
import type { ReadStore } from '@rapport/read-store';
import {
  customerValueProjection,
  foldCustomerValue,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import { purchased, registered } from '@rapport/testing';
import type { CdnowPurchase } from '@rapport/testing/fixtures/cdnow-master';

/** Registration at the first purchase, then every purchase in file order, folded per customer and stored. */
export async function storeCdnowCustomerValues(
  store: ReadStore,
  purchases: readonly CdnowPurchase[],
  collection = customerValueProjection.name,
): Promise<number> {
  const events = new Map<string, ProjectedEvent[]>();
  purchases.forEach((row, i) => {
    let list = events.get(row.customerId);
    if (!list)
      events.set(row.customerId, (list = [registered(row.customerId, row.at, { acquisitionCost: 0, region: 'US' })]));
    list.push(purchased(row.customerId, row.at, row.amount, `${row.customerId}-${i}`));
  });
  const docs = [...events.values()].map((list) => foldCustomerValue(null, list) as CustomerValueDoc);
  await store.ensureCollection({ name: collection, indexes: customerValueProjection.indexes });
  for (let i = 0; i < docs.length; i += 5000)
    await store.commit(
      docs.slice(i, i + 5000).map((doc) => ({ kind: 'upsert' as const, collection, doc, position: purchases.length })),
    );
  return docs.length;
}
