import { MemoryEventStore } from '@rapport/event-store';
import { MemoryReadStore, type Doc } from '@rapport/read-store';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import type { ProjectedEvent, Projection } from '../projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { passThroughDecoder, seedHistory } from './history';

/** Every projection of the product: add yours here and it gets the same checks. */
const PROJECTIONS: Projection[] = [customerProfileProjection as unknown as Projection];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

async function history(): Promise<{ store: MemoryEventStore; events: ProjectedEvent[] }> {
  const store = new MemoryEventStore();
  await seedHistory(store, 12, 25, 7);
  const events: ProjectedEvent[] = [];
  for await (const stored of store.readAll()) {
    const event = await passThroughDecoder(stored);
    if (event) events.push(event);
  }
  return { store, events };
}

function foldAll(projection: Projection, events: ProjectedEvent[]): Map<string, Doc> {
  const docs = new Map<string, Doc | null>();
  for (const event of events) {
    if (!projection.handles.includes(event.type)) continue;
    const keys = projection.keyOf ? [projection.keyOf(event)].flat() : [event.data.customerId];
    for (const key of keys) docs.set(key, deepFreeze(projection.evolve(docs.get(key) ?? null, deepFreeze(event))));
  }
  return new Map([...docs].filter((entry): entry is [string, Doc] => entry[1] !== null));
}

describe.each(PROJECTIONS.map((p) => [p.name, p] as const))('idempotency of %s', (_name, projection) => {
  it('folds the same history to the same documents, without mutating its inputs', async () => {
    const { events, store } = await history();
    const once = foldAll(projection, events);
    expect(once.size).toBeGreaterThan(0);
    expect(foldAll(projection, events)).toEqual(once);
    await store.close();
  });

  it('a history replayed twice through the engine gives the same read model as once', async () => {
    const { store, events } = await history();
    const reads = new MemoryReadStore();
    const head = events[events.length - 1]!.position;
    const run = async (): Promise<Doc[]> => {
      const runner = new ProjectionRunner({
        eventStore: store,
        readStore: reads,
        decoder: passThroughDecoder,
        projections: [projection],
        batchSize: 40,
      });
      await runner.start();
      expect(await runner.waitFor(projection.name, head)).toBe(true);
      const collection = runner.liveCollection(projection.name);
      await runner.stop();
      const docs: Doc[] = [];
      for await (const doc of reads.scan(collection)) docs.push(doc);
      return docs;
    };
    const first = await run();
    // Forget the checkpoint: the whole history is delivered again.
    await reads.deleteCheckpoint(`${projection.name}_v${projection.version}`);
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toEqual([...foldAll(projection, events).values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
    await store.close();
  });
});
