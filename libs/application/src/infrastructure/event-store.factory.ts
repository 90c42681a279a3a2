import { join } from 'node:path';
import { MemoryEventStore, SqliteEventStore, type EventStore } from '@rapport/event-store';
import { EsdbEventStore } from '@rapport/event-store/esdb/esdb-event-store';
import { esdbSettings } from '@rapport/event-store/esdb/esdb-settings';
import { esdbSettingsInput, type EngineConfig } from '../config/engine-config';

export const EVENT_STORE_FILE = 'events.sqlite';

/** The event store adapter the configuration names. */
export function createEventStore(config: EngineConfig): EventStore {
  switch (config.EVENT_STORE) {
    case 'sqlite': {
      // EXTRA is FULL plus a directory sync; the adapter's strongest setting is FULL.
      const synchronous = config.SQLITE_SYNCHRONOUS === 'EXTRA' ? 'FULL' : config.SQLITE_SYNCHRONOUS;
      return new SqliteEventStore({ path: join(config.DATA_DIR, EVENT_STORE_FILE), synchronous });
    }
    case 'memory':
      return new MemoryEventStore();
    case 'esdb':
      if (!config.EVENTSTORE_CONNECTION_STRING) throw new Error('EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING');
      // Validated at start-up (validateEngineConfig): credentials and CA merged in, bulk reads where preferred.
      return new EsdbEventStore(esdbSettings(esdbSettingsInput(config)));
  }
}
