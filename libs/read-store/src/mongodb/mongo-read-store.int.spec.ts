import { mongoTestClient } from '../testing/mongo-test-client';
import { readStoreContract } from '../testing/read-store.contract';
import { MongoReadStore } from './mongo-read-store';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.log('skipped: no MongoDB (set MONGODB_URI to run the MongoReadStore contract suite)');
  describe.skip('MongoReadStore (needs MONGODB_URI)', () => {
    it('runs the contract', () => undefined);
  });
} else {
  const client = mongoTestClient(uri);
  let n = 0;
  const dbNames: string[] = [];
  beforeAll(async () => client.connect());
  afterAll(async () => {
    for (const name of dbNames) await client.db(name).dropDatabase();
    await client.close();
  });
  readStoreContract('mongodb', async () => {
    const name = `rapport_rs_test_${process.pid}_${++n}`;
    dbNames.push(name);
    return new MongoReadStore(client.db(name));
  });
}
