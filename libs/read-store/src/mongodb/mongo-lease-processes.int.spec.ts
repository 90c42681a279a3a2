import { leaseProcessSuite } from '../testing/lease-processes.suite';
import { mongoTestClient } from '../testing/mongo-test-client';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.log('skipped: no MongoDB (set MONGODB_URI, a replica set, to run the lease process suite on MongoDB)');
  describe.skip('leases shared by several processes: MongoDB (needs MONGODB_URI)', () => {
    it('runs the suite', () => undefined);
  });
} else {
  const dbNames: string[] = [];
  afterAll(async () => {
    const client = mongoTestClient(uri);
    await client.connect();
    for (const name of dbNames) await client.db(name).dropDatabase();
    await client.close();
  });
  leaseProcessSuite('MongoDB', (name) => {
    const db = `rapport_lease_${process.pid}_${name}`;
    dbNames.push(db);
    return `mongodb:${db}`;
  });
}
