import { MemoryEventStore } from '@rapport/event-store';
import {
  ProjectionRunner,
  type ProjectedEvent,
  type Projection,
  type ProjectionRunnerOptions,
} from '@rapport/projection-engine';
import { passThroughDecoder } from '@rapport/projection-engine/testing/history';
import type { Doc, ReadStore } from '@rapport/read-store';
import { simulatedHistory } from '@rapport/testing/generators';
import { READ_MODEL_PROJECTIONS } from './read-models';

// The replay-twice suite over every read model the registry lists, run on each read store: a simulated
// year of a population (every event type) delivered twice, as after a crash before the checkpoint, must
// leave the read model of a single pass.

export interface History {
  store: MemoryEventStore;
  events: ProjectedEvent[];
  head: number;
}

let recorded: Promise<History> | null = null;

/** The simulated history appended to an event store once per test file, read back as the runner decodes it. */
export function history(): Promise<History> {
  recorded ??= (async () => {
    const store = new MemoryEventStore();
    const revisions = new Map<string, number>();
    const simulated = simulatedHistory({ customers: 40, days: 365, seed: 'replay-twice', followUpRate: 0.5 });
    for (const { streamId, event } of simulated) {
      const revision = revisions.get(streamId);
      const { type, data, metadata } = event;
      await store.appendToStream(streamId, [{ type, data: { ...data }, metadata: { ...metadata } }], {
        expectedRevision: revision ?? 'no_stream',
      });
      revisions.set(streamId, (revision ?? -1) + 1);
    }
    const events: ProjectedEvent[] = [];
    for await (const stored of store.readAll()) {
      const event = await passThroughDecoder(stored);
      if (event) events.push(event);
    }
    return { store, events, head: events[events.length - 1]!.position };
  })();
  return recorded;
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

/** The pure fold as the runner routes it: handled events only, to the documents their keys name. */
export function foldAll(projection: Projection, events: ProjectedEvent[]): Map<string, Doc> {
  const docs = new Map<string, Doc | null>();
  for (const event of events) {
    if (!projection.handles.includes(event.type)) continue;
    const keys = projection.keyOf ? [projection.keyOf(event)].flat() : [event.data.customerId];
    for (const key of keys) docs.set(key, deepFreeze(projection.evolve(docs.get(key) ?? null, deepFreeze(event))));
  }
  return new Map([...docs].filter((entry): entry is [string, Doc] => entry[1] !== null));
}

const byId = (docs: Iterable<Doc>): Doc[] => [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Runs the projection from its checkpoint to the head, then reads its live collection. */
async function runToHead(
  projection: Projection,
  reads: ReadStore,
  options: Partial<ProjectionRunnerOptions> = {},
): Promise<{ docs: Doc[]; collection: string }> {
  const { store, head } = await history();
  const runner = new ProjectionRunner({
    eventStore: store,
    readStore: reads,
    decoder: passThroughDecoder,
    projections: [projection],
    batchSize: 64,
    ...options,
  });
  await runner.start();
  expect(await runner.waitFor(projection.name, head, 20_000)).toBe(true);
  const collection = runner.liveCollection(projection.name);
  expect(await runner.parked(projection.name)).toEqual([]);
  await runner.stop();
  const docs: Doc[] = [];
  for await (const doc of reads.scan(collection)) docs.push(doc);
  return { docs, collection };
}

/** Every registered projection, twice delivered, on the read store `open` gives (a new, empty one per test). */
export function replayTwiceSuite(storeName: string, open: () => Promise<ReadStore>): void {
  afterAll(async () => (await recorded)?.store.close());

  describe.each(READ_MODEL_PROJECTIONS.map((p) => [`${p.name} v${p.version}`, p] as const))(
    `replayed twice on ${storeName}: %s`,
    (_name, projection) => {
      it('given the whole history re-delivered (checkpoint lost), then the read model is the one of a single pass', async () => {
        const { events } = await history();
        const reads = await open();
        const first = await runToHead(projection, reads);
        expect(first.docs).toEqual(byId(foldAll(projection, events).values()));
        // Again as a first start would (customer by customer), and in global order over the documents kept.
        for (const perCustomer of [true, false]) {
          await reads.deleteCheckpoint(first.collection);
          const again = await runToHead(projection, reads, { rebuild: { perCustomer } });
          expect(again.docs).toEqual(first.docs);
        }
        await reads.close();
      });

      it('given a crash after the documents were written but before the checkpoint, then the re-delivered events change nothing', async () => {
        const { events, head } = await history();
        const reads = await open();
        // In global order (no per-customer first build): the path a live engine replays on after a crash.
        const options = { rebuild: { perCustomer: false } };
        const first = await runToHead(projection, reads, options);
        for (const fraction of [0.5, 0.1]) {
          await reads.commit([], { name: first.collection, position: Math.floor(head * fraction) });
          const again = await runToHead(projection, reads, options);
          expect(again.docs).toEqual(first.docs);
        }
        expect(first.docs).toEqual(byId(foldAll(projection, events).values()));
        await reads.close();
      });
    },
  );
}
