// CDNOW_master (23,570 customers, 69,659 purchases) folded through the customer-value projection into a
// read store, for the back-test's int test and benchmark. Test and bench use only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectedEvent } from '@rapport/projection-engine';
import type { ReadStore } from '@rapport/read-store';
import {
  customerValueProjection,
  foldCustomerValue,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import { purchased, registered } from '@rapport/projections/scoring/test-events';

export const CDNOW_MASTER = join(__dirname, '../../../../../../shared/datasets/cdnow/CDNOW_master.txt');

export interface CdnowPurchase {
  customerId: string;
  /** UTC midnight of the purchase date. */
  at: string;
  amount: number;
}

export function readCdnowMaster(file = CDNOW_MASTER): CdnowPurchase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id, date, , dollars] = line.trim().split(/\s+/) as [string, string, string, string];
      return {
        customerId: id,
        at: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00.000Z`,
        amount: Number(dollars),
      };
    });
}

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
