import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

/** Each store answers a cheap query; a failure marks it down with the error. */
@Injectable()
export class StoresHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async eventStoreUp(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('eventStore');
    try {
      return indicator.up({ headPosition: await this.eventStore.headPosition() });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  async readStoreUp(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('readStore');
    try {
      await this.readStore.getMeta('health');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
