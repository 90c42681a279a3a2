import { join } from 'node:path';
import { MemoryReadStore, type ReadStore } from '@rapport/read-store';
import { MongoReadStore } from '@rapport/read-store/mongodb';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import type { MongoClient } from 'mongodb';
import type { EngineConfig } from '../config/engine-config';

export const READ_STORE_FILE = 'read-models.sqlite';

/** The read store adapter the configuration names. */
export function createReadStore(config: EngineConfig, mongo: MongoClient | null): ReadStore {
  switch (config.READ_STORE) {
    case 'memory':
      return new MemoryReadStore();
    case 'sqlite':
      return new SqliteReadStore({ filename: join(config.DATA_DIR, READ_STORE_FILE) });
    case 'mongodb':
      if (!mongo) throw new Error('READ_STORE=mongodb needs MONGODB_URI');
      return new MongoReadStore(mongo.db());
  }
}
