import { randomBytes } from 'node:crypto';
import { mongoTestClient } from '@rapport/read-store/testing/mongo-test-client';
import type { MongoClient } from 'mongodb';
import { keyStoreContract } from '../testing/key-store.contract';
import { MongoKeyStore } from './mongodb-key-store';

const uri = process.env['MONGODB_URI'];
if (!uri) console.log('skipped: no MongoDB (set MONGODB_URI to run the MongoKeyStore contract suite)');

(uri ? describe : describe.skip)('MongoKeyStore', () => {
  const masterKey = randomBytes(32);
  let client: MongoClient;
  const dbName = `rapport_keys_test_${process.pid}`;

  beforeAll(async () => {
    client = await mongoTestClient(uri as string).connect();
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  keyStoreContract(async () => {
    const make = () => new MongoKeyStore({ db: client.db(dbName), masterKey });
    return { store: make(), reopen: async () => make(), cleanup: async () => undefined };
  });

  it('stores keys wrapped, never in plaintext', async () => {
    const store = new MongoKeyStore({ db: client.db(dbName), masterKey });
    const key = await store.getOrCreateKey('plain-check');
    const doc = await client
      .db(dbName)
      .collection('personal_data_keys')
      .findOne({ _id: 'plain-check' as never });
    expect(JSON.stringify(doc)).not.toContain(key.toString('base64'));
    expect(Buffer.from(doc?.['wrappedKey'].buffer).includes(key)).toBe(false);
  });
});
