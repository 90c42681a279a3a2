import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongoTestClient } from '@rapport/read-store/testing/mongo-test-client';
import { projectionWorkersSuite } from '../testing/projection-workers.suite';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.log('skipped: no MongoDB (set MONGODB_URI, a replica set, to run the projector worker suite on MongoDB)');
  describe.skip('projector workers sharing the projections: MongoDB (needs MONGODB_URI)', () => {
    it('runs the suite', () => undefined);
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-workers-mongo-'));
  const dbNames: string[] = [];
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const client = mongoTestClient(uri);
    await client.connect();
    for (const name of dbNames) await client.db(name).dropDatabase();
    await client.close();
  });
  // The event store stays a SQLite file: what is shared through MongoDB is the read models and the leases.
  projectionWorkersSuite('MongoDB read store', dir, (name) => {
    const db = `rapport_workers_${process.pid}_${name}`;
    dbNames.push(db);
    return `mongodb:${db}`;
  });
}
