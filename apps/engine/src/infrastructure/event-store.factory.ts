import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import { MemoryEventStore } from '@rapport/event-store';
import type { EngineConfig } from '../config/engine-config';

export const EVENT_STORE_FILE = 'events.sqlite';

/** The event store adapter the configuration names. */
export function createEventStore(config: EngineConfig): EventStore {
  switch (config.EVENT_STORE) {
    case 'sqlite': {
      const synchronous = config.SQLITE_SYNCHRONOUS === 'EXTRA' ? 'FULL' : config.SQLITE_SYNCHRONOUS;
      return new SqliteEventStore({ path: join(config.DATA_DIR, EVENT_STORE_FILE), synchronous });
    }
    case 'memory':
      return new MemoryEventStore();
    case 'esdb':
      throw new Error('EVENT_STORE=esdb: the EventStoreDB adapter is not available in this build');
  }
}
