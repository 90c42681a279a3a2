import { isDeepStrictEqual } from 'node:util';
import { MemoryReadStore } from '@rapport/read-store';
import { READ_MODEL_PROJECTIONS } from './read-models';
import { foldAll, history, replayTwiceSuite } from './read-models-idempotency.suite';

// Every read model the registry lists, in memory: the history feeds it every type it handles, its pure
// fold is deterministic and leaves its inputs alone, and a re-delivery through the runner changes nothing.

it('the registry names each projection once', () => {
  const names = READ_MODEL_PROJECTIONS.map((p) => p.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.length).toBeGreaterThanOrEqual(9);
});

describe.each(READ_MODEL_PROJECTIONS.map((p) => [`${p.name} v${p.version}`, p] as const))('%s', (_name, projection) => {
  it('the history holds every event type it handles', async () => {
    const { events } = await history();
    const seen = new Set(events.map((e) => e.type));
    expect(projection.handles.filter((type) => !seen.has(type))).toEqual([]);
  });

  it('folds the same history to the same documents, without mutating its inputs', async () => {
    const { events } = await history();
    const once = foldAll(projection, events);
    expect(once.size).toBeGreaterThan(0);
    expect(foldAll(projection, events)).toEqual(once);
  });
});

it('the history would show a double delivery: folding its second half again changes some read model', async () => {
  const { events } = await history();
  const again = [...events, ...events.slice(Math.floor(events.length / 2))];
  const doubled = READ_MODEL_PROJECTIONS.filter(
    (projection) => !isDeepStrictEqual(foldAll(projection, again), foldAll(projection, events)),
  );
  expect(doubled.length).toBeGreaterThan(0);
});

replayTwiceSuite('memory', async () => new MemoryReadStore());
