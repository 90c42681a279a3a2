import type { ReadModelSource } from '@rapport/projection-engine';
import type { FindQuery, Page } from '@rapport/read-store';
import type { CustomerProfile } from './customer-profile.projection';

/** One customer's profile (null: the read model has not seen the customer). */
export function profileOf({ store, collection }: ReadModelSource, { customerId }: { customerId: string }) {
  return store.get<CustomerProfile>(collection, customerId);
}

/** Filter, sort and page with the read store's validated filter language. */
export function findProfiles({ store, collection }: ReadModelSource, query: FindQuery): Promise<Page<CustomerProfile>> {
  return store.find<CustomerProfile>(collection, query);
}

export function countProfiles({ store, collection }: ReadModelSource, query: Pick<FindQuery, 'filter'>) {
  return store.count(collection, query.filter);
}
