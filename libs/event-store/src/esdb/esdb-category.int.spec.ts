import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { collect, events } from '../testing/event-store.contract';
import { EsdbCategoryReader } from './esdb-category';
import { EsdbEventStore } from './esdb-event-store';
import { esdbSettings } from './esdb-settings';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describe('EventStoreDB: streams listed through $ce-<category>', () => {
    const settings = esdbSettings({
      connectionString,
      username: process.env.EVENTSTORE_USERNAME,
      password: process.env.EVENTSTORE_PASSWORD,
      caFile: process.env.EVENTSTORE_CA_FILE,
      readNodePreference: process.env.EVENTSTORE_READ_NODE_PREFERENCE,
    });
    let store: EsdbEventStore;
    let client: EventStoreDBClient;
    beforeAll(() => {
      store = new EsdbEventStore(settings);
      client = EventStoreDBClient.connectionString(settings.readConnectionString ?? settings.connectionString);
    });
    afterAll(async () => {
      await store.close();
      await client.dispose();
    });

    it('given streams of a fresh category, when listed, then each is named once from the category stream, and a rebuild reads them stream by stream', async () => {
      const category = `cat${randomUUID().slice(0, 8)}`;
      for (const id of ['a', 'b', 'c']) await store.appendToStream(`${category}-${id}`, events(2));
      const last = await store.appendToStream(`${category}-a`, events(2));

      // $by_category links asynchronously: the reader waits until the links reach the position asked for.
      const listed = await new EsdbCategoryReader(client, 2).list(`${category}-`, last.position);
      expect(listed).not.toBeNull();
      expect((await collect(listed!)).sort()).toEqual([`${category}-a`, `${category}-b`, `${category}-c`]);
      expect((await collect(store.listStreams(`${category}-`))).sort()).toEqual([
        `${category}-a`,
        `${category}-b`,
        `${category}-c`,
      ]);

      const read = await collect(store.readByStream({ prefix: `${category}-`, toPosition: last.position }));
      expect(read.filter((e) => e.streamId === `${category}-a`).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      expect(read).toHaveLength(8);
      for (const streamId of new Set(read.map((e) => e.streamId)))
        expect((await store.verifyStream(streamId)).ok).toBe(true);
    });

    it('given a prefix of no category with no stream, when listed, then there is no category stream to read', async () => {
      const head = await store.headPosition();
      expect(await new EsdbCategoryReader(client, 10).list(`none${randomUUID().slice(0, 8)}-`, head)).toBeNull();
    });
  });
} else {
  // Written straight to stdout: Jest drops console output of a fully skipped file when several files run.
  process.stdout.write(
    'skipped: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING to run the $ce-<category> listing tests)\n',
  );
  describe.skip('EventStoreDB: streams listed through $ce-<category> (skipped: no EventStoreDB)', () => {
    it('needs EVENTSTORE_CONNECTION_STRING', () => undefined);
  });
}
