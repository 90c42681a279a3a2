import { MongoReadStore } from '../mongodb/mongo-read-store';
import type { ReadStore } from '../read-store.port';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { mongoTestClient } from './mongo-test-client';

/**
 * Opens the store a lease test process works on: `sqlite:<file>`, or `mongodb:<database>` on the
 * server of MONGODB_URI. `close` also closes the MongoDB client.
 */
export async function openLeaseTestStore(spec: string): Promise<{ store: ReadStore; close(): Promise<void> }> {
  const [kind, ...rest] = spec.split(':');
  const target = rest.join(':');
  if (kind === 'sqlite') {
    const store = new SqliteReadStore({ filename: target });
    return { store, close: () => store.close() };
  }
  if (kind === 'mongodb') {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('mongodb lease test store: MONGODB_URI is not set');
    const client = mongoTestClient(uri);
    await client.connect();
    const store = new MongoReadStore(client.db(target));
    return {
      store,
      close: async () => {
        await store.close();
        await client.close();
      },
    };
  }
  throw new Error(`unknown lease test store "${spec}" (sqlite:<file> or mongodb:<database>)`);
}
