// Child process of sqlite-durability.int.spec.ts: appends batches of 3 events from 8 concurrent
// writers (so group commit is exercised) and prints one line per acknowledged append, until killed.
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from './sqlite-event-store';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: sqlite-durability.child.ts <path>');
  const store = new SqliteEventStore({ path });
  const writers = 8;
  // The writer thread starts with the first append: the kill timer starts once appends flow.
  await store.appendToStream('warm-up', [{ type: 'WarmedUp', data: {}, metadata: { eventId: randomUUID() } }]);
  process.stdout.write('ready\n');
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const streamId = `durable-${writer}`;
      let revision = await store.streamRevision(streamId);
      for (;;) {
        const batch = randomUUID();
        const events = [0, 1, 2].map((part) => ({
          type: 'DurabilityProbed',
          data: { batch, part, payload: 'x'.repeat(200 + ((revision ?? 0) % 300)) },
          metadata: { eventId: randomUUID() },
        }));
        const result = await store.appendToStream(streamId, events, { expectedRevision: revision ?? 'no_stream' });
        revision = result.nextExpectedRevision;
        process.stdout.write(`ack ${streamId} ${revision} ${events.map((e) => e.metadata.eventId).join(',')}\n`);
      }
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
