import type { ReadModelSource } from '@rapport/projection-engine';
import type { CustomerHealthDoc } from './customer-health.projection';

/** One customer's health facts (null: the read model has not seen the customer). */
export function healthFactsOf({ store, collection }: ReadModelSource, { customerId }: { customerId: string }) {
  return store.get<CustomerHealthDoc>(collection, customerId);
}
