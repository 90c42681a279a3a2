import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

/** No customer can have this id (ids start with a letter or digit): the look-up finds nothing and changes nothing. */
export const KEY_STORE_PROBE_ID = '~health-probe';

/** Each store answers a cheap query; a failure marks it down with the error. */
@Injectable()
export class StoresHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
  ) {}

  eventStoreUp(): Promise<HealthIndicatorResult> {
    return this.probe('eventStore', async () => ({ headPosition: await this.eventStore.headPosition() }));
  }

  readStoreUp(): Promise<HealthIndicatorResult> {
    return this.probe('readStore', async () => {
      await this.readStore.getMeta('health');
      return {};
    });
  }

  /** A read of a key that never exists: reaches the store (and its master-key unwrap path) without the port changing. */
  keyStoreUp(): Promise<HealthIndicatorResult> {
    return this.probe('keyStore', async () => {
      await this.keyStore.getKey(KEY_STORE_PROBE_ID);
      return {};
    });
  }

  private async probe(name: string, query: () => Promise<Record<string, unknown>>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(name);
    try {
      return indicator.up(await query());
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
