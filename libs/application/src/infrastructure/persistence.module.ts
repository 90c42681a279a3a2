import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { EVENT_STORE } from '@rapport/event-store';
import { KEY_STORE } from '@rapport/personal-data';
import { READ_STORE } from '@rapport/read-store';
import { PERSONAL_DATA_PROTECTION } from '../command-handling/personal-data-protection';
import { EngineConfig } from '../config/engine-config';
import { CLOCK, systemClock } from '../clock';
import { createEventStore } from './event-store.factory';
import { resolveMasterKey } from './master-key';
import { createKeyStore, createPersonalDataProtection } from './personal-data.factory';
import { PersistenceLifecycle } from './persistence-lifecycle';
import { createReadStore } from './read-store.factory';
import { connectMongo, MONGO_CLIENT } from './mongo-client.provider';

const MASTER_KEY = Symbol('MASTER_KEY');

/**
 * The composition root: the one place that knows which database is behind each port. Provides
 * EVENT_STORE, READ_STORE, KEY_STORE (and the personal-data protection built on it) from the
 * validated configuration, and closes them on shutdown.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: CLOCK, useValue: systemClock },
        {
          provide: MASTER_KEY,
          useFactory: (config: EngineConfig) =>
            resolveMasterKey(config.MASTER_KEY, config.DATA_DIR, new Logger('MasterKey')),
          inject: [EngineConfig],
        },
        { provide: EVENT_STORE, useFactory: createEventStore, inject: [EngineConfig] },
        { provide: MONGO_CLIENT, useFactory: connectMongo, inject: [EngineConfig] },
        { provide: READ_STORE, useFactory: createReadStore, inject: [EngineConfig, MONGO_CLIENT] },
        { provide: KEY_STORE, useFactory: createKeyStore, inject: [EngineConfig, MASTER_KEY, MONGO_CLIENT] },
        { provide: PERSONAL_DATA_PROTECTION, useFactory: createPersonalDataProtection, inject: [KEY_STORE] },
        PersistenceLifecycle,
      ],
      exports: [CLOCK, EVENT_STORE, READ_STORE, KEY_STORE, PERSONAL_DATA_PROTECTION],
    };
  }
}
