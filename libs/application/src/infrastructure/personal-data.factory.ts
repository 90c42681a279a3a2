import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import {
  KeyDestroyedError,
  MemoryKeyStore,
  MongoKeyStore,
  PersonalDataCipher,
  SqliteKeyStore,
  type CipherableEvent,
  type KeyStore,
} from '@rapport/personal-data';
import type { CustomerEvent } from '@rapport/domain';
import type { MongoClient } from 'mongodb';
import type { PersonalDataProtection } from '../command-handling/personal-data-protection';
import type { EngineConfig } from '../config/engine-config';

export const KEY_STORE_FILE = 'keys.sqlite';

/** The key store adapter the configuration names; data keys are wrapped with the master key. */
export function createKeyStore(config: EngineConfig, masterKey: Buffer, mongo: MongoClient | null): KeyStore {
  switch (config.KEY_STORE) {
    case 'memory':
      return new MemoryKeyStore();
    case 'sqlite':
      return new SqliteKeyStore({ filename: join(config.DATA_DIR, KEY_STORE_FILE), masterKey });
    case 'mongodb':
      if (!mongo) throw new Error('KEY_STORE=mongodb needs MONGODB_URI');
      return new MongoKeyStore({ db: mongo.db(), masterKey });
  }
}

/** Encrypts personal-data fields with the customer's key; events without any skip the key lookup. */
export function createPersonalDataProtection(keyStore: KeyStore): PersonalDataProtection {
  const cipher = new PersonalDataCipher();
  return {
    async encrypt(customerId: string, event: CustomerEvent): Promise<CustomerEvent> {
      // Domain events are plain JSON; the cipher's structural type wants an index signature on data.
      const cipherable = event as unknown as CipherableEvent;
      if (!cipher.hasPersonalData(cipherable)) return event;
      return cipher.encrypt(cipherable, await keyStore.getOrCreateKey(customerId)) as unknown as CustomerEvent;
    },
    async requestDigest(customerId: string, request: string): Promise<string | null> {
      try {
        return createHmac('sha256', await keyStore.getOrCreateKey(customerId))
          .update(request)
          .digest('base64url');
      } catch (error) {
        if (error instanceof KeyDestroyedError) return null;
        throw error;
      }
    },
    destroyKey: (customerId: string) => keyStore.destroyKey(customerId),
  };
}
