import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { MongoClient } from 'mongodb';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import { MONGO_CLIENT } from './mongo-client.provider';

/** Closes the stores when the app shuts down (SIGTERM, app.close()), the event store last. */
@Injectable()
export class PersistenceLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger(PersistenceLifecycle.name);

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    @Inject(MONGO_CLIENT) private readonly mongo: MongoClient | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    for (const [name, close] of [
      ['read store', () => this.readStore.close()],
      ['key store', () => this.keyStore.close()],
      ['event store', () => this.eventStore.close()],
      ['MongoDB client', async () => this.mongo?.close()],
    ] as const) {
      try {
        await close();
      } catch (error) {
        this.logger.error(`closing the ${name} failed: ${(error as Error).message}`);
      }
    }
  }
}
