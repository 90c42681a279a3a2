import type { FindQuery, Page, ReadStore } from '@rapport/read-store';
import type { CustomerProfile } from './customer-profile.projection';

/**
 * Reads the live customer-profile model. `collection` resolves the live collection per call (the
 * runner's `liveCollection` or `resolveLiveCollection`), so a rebuild's switch is picked up at once.
 */
export class CustomerProfileQuery {
  constructor(
    private readonly readStore: ReadStore,
    private readonly collection: () => string | Promise<string>,
  ) {}

  async byId(customerId: string): Promise<CustomerProfile | null> {
    return this.readStore.get<CustomerProfile>(await this.collection(), customerId);
  }

  /** Filter, sort and page with the read store's validated filter language. */
  async find(query: FindQuery): Promise<Page<CustomerProfile>> {
    return this.readStore.find<CustomerProfile>(await this.collection(), query);
  }

  async count(query: Pick<FindQuery, 'filter'> = {}): Promise<number> {
    return this.readStore.count(await this.collection(), query.filter);
  }
}
