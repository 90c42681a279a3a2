import { MemoryEventStore } from '@rapport/event-store';
import type { CustomerEvent } from '@rapport/domain';
import { generatePopulation } from '@rapport/testing';
import type { EventBus } from '@nestjs/cqrs';
import { CustomerCommandService, CustomerStreamLoader } from '@rapport/application';
import { parseCdnow } from '../import/cdnow-parser';
import { BulkCommandRecorder } from './bulk-command-recorder';
import { runImport } from './import-runner';

const passThrough = {
  encrypt: async (_id: string, event: CustomerEvent) => event,
  requestDigest: async (_id: string, request: string) => request,
  destroyKey: async () => undefined,
};
const clock = { now: () => new Date('2025-01-01T00:00:00Z') };

function setUp() {
  const store = new MemoryEventStore();
  const published: unknown[] = [];
  const eventBus = { publishAll: (events: unknown[]) => published.push(...events) } as unknown as EventBus;
  const commands = new CustomerCommandService(store, new CustomerStreamLoader(store), passThrough, clock, eventBus);
  const recorder = new BulkCommandRecorder(commands);
  return { store, recorder, published };
}

async function allEvents(store: MemoryEventStore) {
  const events = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

const cdnow = [
  ' customer_id  date number_of_cds  dollar_value',
  ' 00001 19970101  1   11.77',
  ' 00001 19970105  2   20.00',
  ' 00002 19970112  1   12.00',
];

describe('runImport with the bulk recorder', () => {
  it('records registrations and purchases through the decider, one append per customer and batch', async () => {
    const { store, recorder } = setUp();
    const summary = await runImport(parseCdnow(cdnow), recorder);
    expect(summary).toMatchObject({ commands: 5, recorded: 5, events: 5, duplicates: 0, rejected: 0 });
    const events = await allEvents(store);
    expect(events.map((e) => [e.streamId, e.type])).toEqual([
      ['customer-00001', 'CustomerRegistered'],
      ['customer-00001', 'PurchaseRecorded'],
      ['customer-00001', 'PurchaseRecorded'],
      ['customer-00002', 'CustomerRegistered'],
      ['customer-00002', 'PurchaseRecorded'],
    ]);
    expect(events[0]!.metadata).toMatchObject({
      occurredAt: '1997-01-01T00:00:00.000Z',
      channel: 'import',
      recordedAt: '2025-01-01T00:00:00.000Z',
    });
  });

  it('stores nothing twice when the same file is imported again, even in other batch sizes', async () => {
    const { store, recorder } = setUp();
    await runImport(parseCdnow(cdnow), recorder);
    const again = await runImport(parseCdnow(cdnow), recorder, { batchSize: 1 });
    expect(again).toMatchObject({ recorded: 0, duplicates: 5, rejected: 0 });
    expect(await allEvents(store)).toHaveLength(5);
  });

  it('reports a command the decider refuses with its line and rule, and records the rest', async () => {
    const { store, recorder } = setUp();
    const lines = [...cdnow, ' 00003 19970301 1 5.00'];
    const items = (async function* () {
      yield* parseCdnow(lines);
      yield {
        line: 99,
        touchpoint: {
          command: {
            type: 'KeepPromise' as const,
            customerId: '00001',
            occurredAt: '1997-02-01T00:00:00Z',
            promiseId: 'nope',
            keptBy: 'a',
          },
          idempotencyKey: 'k',
        },
      };
    })();
    const summary = await runImport(items, recorder);
    expect(summary.problems).toEqual([{ line: 99, reason: expect.stringMatching(/^promise\.unknown|not found|nope/) }]);
    expect(summary.recorded).toBe(7);
    expect(await allEvents(store)).toHaveLength(7);
  });

  it('records a simulated population whole (every command accepted, in time order per customer)', async () => {
    const { store, recorder } = setUp();
    const { commands } = generatePopulation({ customers: 30, days: 120, seed: 3 });
    const items = (async function* () {
      let line = 0;
      for (const c of commands) yield { line: ++line, touchpoint: c };
    })();
    const summary = await runImport(items, recorder, { batchSize: 50 });
    expect(summary).toMatchObject({ commands: commands.length, recorded: commands.length, rejected: 0 });
    expect(await allEvents(store)).toHaveLength(summary.events);
  });
});
