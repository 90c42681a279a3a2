import { describeEventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('esdb', async () => {
    const store = new EsdbEventStore({ connectionString });
    // EventStoreDB's stored bytes cannot be altered from a client: the tamper check is skipped.
    return { store, cleanup: () => store.close() };
  });
} else {
  // Written straight to stdout: Jest drops console output of a fully skipped file when several files run.
  process.stdout.write(
    'skipped: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING to run the EventStoreDB contract suite)\n',
  );
  describe.skip('EventStore contract: esdb (skipped: no EventStoreDB)', () => {
    it('needs EVENTSTORE_CONNECTION_STRING', () => undefined);
  });
}
