import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectedEvent, SealedFieldOpener } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { AS_OF_READ_MODELS, READ_MODEL_LIST, READ_MODELS } from './read-models';
import { foldAll, history } from './read-models-idempotency.suite';

// The registry is the one list of read models: every folder holding a projection is in it, and what the
// as-of replay folds through it (fast folds, run by run) is what the runner's evolve builds.

const folders = readdirSync(__dirname, { withFileTypes: true }).filter((entry) => entry.isDirectory());
const withProjection = folders.filter((folder) =>
  readdirSync(join(__dirname, folder.name)).some((file) => file.endsWith('.projection.ts')),
);

describe('the read-model registry', () => {
  it.each(withProjection.map((folder) => folder.name))(
    'given the folder %s holds a projection, then its index exports a read model the registry lists',
    (folder) => {
      const exported: Record<string, unknown> = require(join(__dirname, folder));
      const models = Object.values(exported).filter((value) => READ_MODEL_LIST.includes(value as never));
      expect(models).toHaveLength(1);
    },
  );

  it('lists each read model once, under its projection name', () => {
    const names = READ_MODEL_LIST.map((model) => model.name);
    expect(new Set(names).size).toBe(names.length);
    expect(READ_MODEL_LIST.map((model) => model.projection.name)).toEqual(names);
    expect(READ_MODEL_LIST).toHaveLength(withProjection.length);
  });

  it('names each as-of read model once, as the as-of answer has always named them', () => {
    expect(AS_OF_READ_MODELS.map((model) => model.asOf.name)).toEqual([
      'profile',
      'value',
      'lifecycle',
      'promises',
      'sentiment',
      'complaints',
    ]);
  });
});

/** A stand-in for a reader: marks what it opened, so a test sees whether a reveal rule ran. */
const marking: SealedFieldOpener = { open: (value) => ({ ...value, opened: true }) };

describe.each(AS_OF_READ_MODELS.map((model) => [model.asOf.name, model] as const))(
  'the as-of replay of %s',
  (_name, model) => {
    it('given each customer of a simulated year replayed in runs, then it equals the projection folded event by event', async () => {
      const untouched: SealedFieldOpener = { open: (value) => value };
      const { events } = await history();
      const erased = new Set(events.filter((e) => e.type === 'CustomerErased').map((e) => e.data.customerId));
      const folded = foldAll(model.projection, events);
      const byCustomer = new Map<string, ProjectedEvent[]>();
      for (const event of events) {
        if (!model.projection.handles.includes(event.type)) continue;
        byCustomer.set(event.data.customerId, [...(byCustomer.get(event.data.customerId) ?? []), event]);
      }
      expect(byCustomer.size).toBeGreaterThan(10);
      for (const [customerId, own] of byCustomer) {
        const replay = model.replay(customerId);
        own.forEach((event, index) => {
          replay.apply(event);
          if (index % 7 === 6) replay.flush();
        });
        replay.flush();
        expect(replay.document()).toEqual(folded.get(customerId) ?? null);
        // A reader who opens nothing sees the document, bar an erased customer's personal fields.
        if (!erased.has(customerId)) expect(replay.revealed(untouched)).toEqual(replay.document());
      }
    });

    it('given its documents are shown to a reader, then only a model that keeps sealed fields opens them', async () => {
      const { events } = await history();
      const erased = new Set(events.filter((e) => e.type === 'CustomerErased').map((e) => e.data.customerId));
      const customerId = events.find((e) => e.type === 'PromiseMade' && !erased.has(e.data.customerId))!.data
        .customerId;
      const replay = model.replay(customerId);
      for (const event of events)
        if (event.data.customerId === customerId && model.projection.handles.includes(event.type)) replay.apply(event);
      replay.flush();
      const shown: Doc | null = replay.revealed(marking);
      const keepsSealed = [READ_MODELS.customerProfile.name, READ_MODELS.promiseFulfilment.name].includes(model.name);
      expect(shown?.['opened']).toBe(keepsSealed ? true : undefined);
    });
  },
);
