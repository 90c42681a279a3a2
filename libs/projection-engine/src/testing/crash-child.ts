// Child process of the crash test: projects the event store into a SQLite read store until
// caught up, then exits. The parent kills it with SIGKILL at random moments.
import { SqliteEventStore } from '@rapport/event-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { passThroughDecoder } from './history';

async function main(): Promise<void> {
  const [eventsFile, readsFile, batch, mode] = process.argv.slice(2);
  const eventStore = new SqliteEventStore({ path: eventsFile as string });
  const readStore = new SqliteReadStore({ filename: readsFile as string });
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    decoder: passThroughDecoder,
    projections: [customerProfileProjection],
    batchSize: Number(batch ?? 100),
    shadowFlushEvents: 400, // several durable steps per rebuild, so kills land between them
    onProgress: () => process.stdout.write('batch\n'), // the parent kills after a random number of these
  });
  if (mode === 'rebuild') {
    // Resumes the rebuild in progress, if any, else starts one; resolves after the switch.
    process.stdout.write('started\n');
    await runner.rebuild('customer-profile');
    await readStore.close();
    await eventStore.close();
    process.stdout.write('done\n');
    return;
  }
  const head = await eventStore.headPosition();
  await runner.start();
  process.stdout.write('started\n');
  if (!(await runner.waitFor('customer-profile', head, 60_000))) throw new Error('did not catch up');
  await runner.stop();
  await readStore.close();
  await eventStore.close();
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
