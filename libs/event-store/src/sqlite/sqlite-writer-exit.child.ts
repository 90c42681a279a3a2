// Child process of sqlite-writer-thread.int.spec.ts: its last work is one append, awaited without
// closing the store; it must print the answer and then exit on its own.
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from './sqlite-event-store';

const path = process.argv[2];
if (!path) throw new Error('usage: sqlite-writer-exit.child.ts <path>');
const store = new SqliteEventStore({ path });
void store
  .appendToStream('exit-1', [{ type: 'ExitProbed', data: {}, metadata: { eventId: randomUUID() } }])
  .then((result) => process.stdout.write(`appended ${result.nextExpectedRevision}\n`));
