// The EventStore contract, written once and run against every adapter (memory, SQLite, EventStoreDB).
// Tests never assume an empty store or consecutive positions: each uses fresh stream names and
// filters by its own prefix, so the suite also runs against a shared EventStoreDB server.
import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import { streamPartition } from '../shared/stream-partition';
import type { EventStore, EventToAppend, ExpectedRevision, StoredEvent, Subscription } from '../event-store.port';

export interface EventStoreHarness {
  store: EventStore;
  cleanup(): Promise<void>;
  /** Alters one byte of the stored data of `streamId@revision`; absent when storage cannot be altered. */
  tamper?(streamId: string, revision: number): Promise<void>;
}

export interface EventStoreContractOptions {
  /** The adapter refuses an event id already stored in another stream (SQLite, memory). */
  uniqueEventIdsAcrossStreams?: boolean;
}

export const event = (
  type: string,
  data: Record<string, unknown> = {},
  eventId: string = randomUUID(),
): EventToAppend => ({
  type,
  data,
  metadata: { eventId, occurredAt: '2024-01-01T00:00:00.000Z' },
});

export const events = (n: number, type = 'ThingHappened'): EventToAppend[] =>
  Array.from({ length: n }, (_, i) => event(type, { n: i, note: 'some stored text' }));

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Reads `n` events from an iterator, failing after `timeoutMs`. */
async function take(iterator: AsyncIterator<StoredEvent>, n: number, timeoutMs = 5000): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(remaining, 0)))),
    ]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error(`timed out after ${out.length} of ${n} events`);
    if (next.done) throw new Error(`subscription ended after ${out.length} of ${n} events`);
    out.push(next.value);
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<EventStoreHarness>,
  options: EventStoreContractOptions = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    let prefix: string;
    const stream = (label: string): string => `${prefix}${label}`;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      prefix = `t${randomUUID().slice(0, 8)}-`;
    });
    afterEach(async () => harness.cleanup());

    describe('append and expected revision', () => {
      it('appends to a new stream and reads back what was stored, with revisions from 0', async () => {
        const batch = [event('CustomerRegistered', { name: 'Ada' }), event('CallLogged', { minutes: 3 })];
        const result = await store.appendToStream(stream('a'), batch, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);
        const read = await collect(store.readStream(stream('a')));
        expect(read.map((e) => [e.streamId, e.revision, e.type, e.data])).toEqual([
          [stream('a'), 0, 'CustomerRegistered', { name: 'Ada' }],
          [stream('a'), 1, 'CallLogged', { minutes: 3 }],
        ]);
        expect(read[0]!.metadata).toMatchObject(batch[0]!.metadata);
        expect(read[1]!.position).toBe(result.position);
        expect(read[0]!.position).toBeLessThan(read[1]!.position);
        expect(read[0]!.position).toBeGreaterThan(0);
      });

      it.each<[string, ExpectedRevision, boolean]>([
        ['any', 'any', true],
        ['no_stream', 'no_stream', true],
        ['stream_exists', 'stream_exists', false],
        ['exact 0', 0, false],
      ])('on a missing stream, %s is %s', async (_label, expectedRevision, accepted) => {
        const attempt = store.appendToStream(stream('m'), events(1), { expectedRevision });
        if (accepted) {
          await expect(attempt).resolves.toMatchObject({ nextExpectedRevision: 0 });
        } else {
          const error = await rejection(attempt);
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamId: stream('m'), expectedRevision, actualRevision: null });
          expect(await store.streamRevision(stream('m'))).toBeNull();
        }
      });

      it.each<[string, ExpectedRevision, boolean]>([
        ['any', 'any', true],
        ['no_stream', 'no_stream', false],
        ['stream_exists', 'stream_exists', true],
        ['exact current (2)', 2, true],
        ['exact behind (1)', 1, false],
        ['exact ahead (5)', 5, false],
      ])('on a stream at revision 2, %s', async (_label, expectedRevision, accepted) => {
        await store.appendToStream(stream('e'), events(3), { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        const attempt = store.appendToStream(stream('e'), events(2), { expectedRevision });
        if (accepted) {
          await expect(attempt).resolves.toMatchObject({ nextExpectedRevision: 4 });
        } else {
          const error = await rejection(attempt);
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ expectedRevision, actualRevision: 2 });
          expect(await store.streamRevision(stream('e'))).toBe(2);
          expect(await store.headPosition()).toBe(head);
        }
      });

      it('defaults to any', async () => {
        await store.appendToStream(stream('d'), events(1));
        await expect(store.appendToStream(stream('d'), events(1))).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it.each<[string, () => [string, EventToAppend[], ExpectedRevision], string]>([
        ['an empty batch', () => ['x', [], 'any'], 'events'],
        ['an empty stream id', () => ['', events(1), 'any'], 'streamId'],
        [
          'a missing event id',
          () => ['x', [{ type: 'T', data: {}, metadata: {} as never }], 'any'],
          'events[0].metadata.eventId',
        ],
        ['an empty type', () => ['x', [event('')], 'any'], 'events[0].type'],
        [
          'duplicate ids in the batch',
          () => ['x', [event('T', {}, 'same'), event('T', {}, 'same')], 'any'],
          'events[1].metadata.eventId',
        ],
        ['a negative revision', () => ['x', events(1), -1], 'expectedRevision'],
      ])('rejects %s naming the field, storing nothing', async (_label, input, field) => {
        const [id, batch, expectedRevision] = input();
        const error = await rejection(store.appendToStream(id && stream(id), batch, { expectedRevision }));
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect(error).toMatchObject({ field });
        expect(await store.streamRevision(stream('x'))).toBeNull();
      });
    });

    describe('idempotency by event id', () => {
      it.each<[string, ExpectedRevision]>([
        ['no_stream', 'no_stream'],
        ['any', 'any'],
        ['stream_exists', 'stream_exists'],
      ])(
        're-appending the same batch with %s returns the original result and writes nothing',
        async (_l, expectedRevision) => {
          const batch = events(3);
          const first = await store.appendToStream(stream('i'), batch, { expectedRevision: 'no_stream' });
          const head = await store.headPosition();
          await expect(store.appendToStream(stream('i'), batch, { expectedRevision })).resolves.toEqual(first);
          expect(await store.streamRevision(stream('i'))).toBe(2);
          expect(await store.headPosition()).toBe(head);
        },
      );

      it('replays an earlier batch with its original exact revision after the stream moved on', async () => {
        await store.appendToStream(stream('r'), events(2));
        const middle = events(2);
        const original = await store.appendToStream(stream('r'), middle, { expectedRevision: 1 });
        await store.appendToStream(stream('r'), events(2), { expectedRevision: 3 });
        await expect(store.appendToStream(stream('r'), middle, { expectedRevision: 1 })).resolves.toEqual(original);
        await expect(store.appendToStream(stream('r'), middle, { expectedRevision: 'any' })).resolves.toEqual(original);
        expect(await store.streamRevision(stream('r'))).toBe(5);
      });

      it('a partially overlapping batch with any fails with DuplicateEventIdError and writes nothing', async () => {
        const batch = events(2);
        await store.appendToStream(stream('p'), batch);
        const overlapping = [batch[0]!, event('ThingHappened')];
        const error = await rejection(store.appendToStream(stream('p'), overlapping, { expectedRevision: 'any' }));
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: batch[0]!.metadata.eventId });
        const extending = [...batch, event('ThingHappened')];
        expect(await rejection(store.appendToStream(stream('p'), extending))).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.streamRevision(stream('p'))).toBe(1);
      });

      it('a partially overlapping batch with its original exact revision fails with WrongExpectedRevisionError', async () => {
        const batch = events(2);
        await store.appendToStream(stream('q'), batch, { expectedRevision: 'no_stream' });
        const error = await rejection(
          store.appendToStream(stream('q'), [batch[0]!, event('X')], { expectedRevision: 'no_stream' }),
        );
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ actualRevision: 1 });
        expect(await store.streamRevision(stream('q'))).toBe(1);
      });

      it('an already stored id at the head of a later batch (exact revision matches) fails and writes nothing', async () => {
        const batch = events(1);
        await store.appendToStream(stream('h'), batch);
        const error = await rejection(
          store.appendToStream(stream('h'), [event('X'), batch[0]!], { expectedRevision: 0 }),
        );
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.streamRevision(stream('h'))).toBe(0);
      });

      if (options.uniqueEventIdsAcrossStreams) {
        it('an id stored in another stream is refused', async () => {
          const batch = events(1);
          await store.appendToStream(stream('one'), batch);
          expect(await rejection(store.appendToStream(stream('two'), batch))).toBeInstanceOf(DuplicateEventIdError);
          expect(await store.streamRevision(stream('two'))).toBeNull();
        });
      }
    });

    describe('reads', () => {
      async function seed(): Promise<StoredEvent[]> {
        await store.appendToStream(stream('customer-1'), [event('CustomerRegistered'), event('CallLogged')]);
        await store.appendToStream(stream('order-1'), [event('PurchaseRecorded')]);
        await store.appendToStream(stream('customer-2'), [event('CustomerRegistered')]);
        await store.appendToStream(stream('customer-1'), [event('PurchaseRecorded')]);
        return collect(store.readAll({ filter: { streamPrefixes: [prefix] } }));
      }

      it('readAll returns every event in commit order with strictly increasing positions', async () => {
        const all = await seed();
        expect(all.map((e) => [e.streamId.slice(prefix.length), e.type])).toEqual([
          ['customer-1', 'CustomerRegistered'],
          ['customer-1', 'CallLogged'],
          ['order-1', 'PurchaseRecorded'],
          ['customer-2', 'CustomerRegistered'],
          ['customer-1', 'PurchaseRecorded'],
        ]);
        for (let i = 1; i < all.length; i++) expect(all[i]!.position).toBeGreaterThan(all[i - 1]!.position);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(all[4]!.position);
      });

      it('readAll backwards, from a position (inclusive) and with maxCount', async () => {
        const all = await seed();
        const filter = { streamPrefixes: [prefix] };
        const back = await collect(store.readAll({ direction: 'backwards', filter }));
        expect(back.map((e) => e.position)).toEqual(all.map((e) => e.position).reverse());
        const from = await collect(store.readAll({ fromPosition: all[2]!.position, filter }));
        expect(from.map((e) => e.position)).toEqual(all.slice(2).map((e) => e.position));
        const backFrom = await collect(
          store.readAll({ fromPosition: all[2]!.position, direction: 'backwards', maxCount: 2, filter }),
        );
        expect(backFrom.map((e) => e.position)).toEqual([all[2]!.position, all[1]!.position]);
        expect(await collect(store.readAll({ maxCount: 2, filter }))).toHaveLength(2);
      });

      it('readAll filters by stream prefix and by event type', async () => {
        await seed();
        const customers = await collect(store.readAll({ filter: { streamPrefixes: [stream('customer-')] } }));
        expect(customers.map((e) => e.streamId)).toEqual([
          stream('customer-1'),
          stream('customer-1'),
          stream('customer-2'),
          stream('customer-1'),
        ]);
        const several = await collect(
          store.readAll({ filter: { streamPrefixes: [stream('order-'), stream('customer-2')] } }),
        );
        expect(several.map((e) => e.streamId)).toEqual([stream('order-1'), stream('customer-2')]);
        const registered = await collect(
          store.readAll({ filter: { streamPrefixes: [prefix], eventTypes: ['CustomerRegistered', 'CallLogged'] } }),
        );
        expect(registered.map((e) => e.type)).toEqual(['CustomerRegistered', 'CallLogged', 'CustomerRegistered']);
        const both = await collect(
          store.readAll({ filter: { streamPrefixes: [stream('customer-1')], eventTypes: ['PurchaseRecorded'] } }),
        );
        expect(both.map((e) => [e.streamId, e.revision])).toEqual([[stream('customer-1'), 2]]);
      });

      it('readStream from a revision, backwards and with maxCount; an unknown stream yields nothing', async () => {
        await store.appendToStream(stream('s'), events(5));
        const revisions = async (o: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
          (await collect(store.readStream(stream('s'), o))).map((e) => e.revision);
        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await collect(store.readStream(stream('nothing')))).toEqual([]);
      });

      it('pages through more events than a page, forwards and backwards', async () => {
        const total = 1200;
        for (let i = 0; i < total; i += 200) await store.appendToStream(stream('big'), events(200));
        const forwards = await collect(store.readStream(stream('big')));
        expect(forwards.map((e) => e.revision)).toEqual(Array.from({ length: total }, (_, i) => i));
        const backwards = await collect(store.readStream(stream('big'), { direction: 'backwards', maxCount: 700 }));
        expect(backwards.map((e) => e.revision)).toEqual(Array.from({ length: 700 }, (_, i) => total - 1 - i));
        const all = await collect(store.readAll({ filter: { streamPrefixes: [prefix] }, maxCount: 1100 }));
        expect(all.map((e) => e.revision)).toEqual(Array.from({ length: 1100 }, (_, i) => i));
        const allBack = await collect(store.readAll({ direction: 'backwards', filter: { streamPrefixes: [prefix] } }));
        expect(allBack).toHaveLength(total);
      });

      it('streamRevision, headPosition and listStreams', async () => {
        expect(await store.streamRevision(stream('c-1'))).toBeNull();
        await store.appendToStream(stream('c-1'), events(3));
        await store.appendToStream(stream('c-2'), events(1));
        const last = await store.appendToStream(stream('o-1'), events(1));
        expect(await store.streamRevision(stream('c-1'))).toBe(2);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(last.position);
        expect((await collect(store.listStreams(stream('c-')))).sort()).toEqual([stream('c-1'), stream('c-2')]);
        expect((await collect(store.listStreams(prefix))).sort()).toEqual([
          stream('c-1'),
          stream('c-2'),
          stream('o-1'),
        ]);
      });
      it('readByStream pages through streams longer than a page, each whole and in order', async () => {
        for (let round = 0; round < 5; round++)
          for (const id of ['p-1', 'p-2', 'p-3']) await store.appendToStream(stream(id), events(30));
        const head = await store.headPosition();
        const read = await collect(store.readByStream({ prefix: stream('p-'), toPosition: head }));
        expect(read).toHaveLength(450);
        const order = [...new Set(read.map((e) => e.streamId))];
        expect(order.sort()).toEqual([stream('p-1'), stream('p-2'), stream('p-3')]);
        for (const id of new Set(read.map((e) => e.streamId))) {
          const mine = read.filter((e) => e.streamId === id);
          expect(mine.map((e) => e.revision)).toEqual(Array.from({ length: 150 }, (_, i) => i));
          // Contiguous: the stream's events sit together in the read.
          const first = read.indexOf(mine[0]!);
          expect(read.slice(first, first + 150)).toEqual(mine);
        }
      });

      it('readByStream: every stream under a prefix whole and in revision order, up to a position, resumable', async () => {
        await store.appendToStream(stream('c-2'), events(2));
        await store.appendToStream(stream('c-1'), events(2, 'Other'));
        await store.appendToStream(stream('c-2'), events(1));
        const upTo = await store.appendToStream(stream('c-1'), events(1));
        await store.appendToStream(stream('x-1'), events(1));
        await store.appendToStream(stream('c-3'), events(2));
        await store.appendToStream(stream('c-1'), events(1));
        const label = (e: StoredEvent): string => `${e.streamId.slice(prefix.length)}@${e.revision}`;
        const read = await collect(store.readByStream({ prefix: stream('c-'), toPosition: upTo.position }));
        const order = [...new Set(read.map((e) => e.streamId))];
        // Each stream is read whole before the next: grouping by stream keeps the sequence as it is.
        expect(read.map(label)).toEqual(order.flatMap((id) => read.filter((e) => e.streamId === id).map(label)));
        expect(read.map(label).sort()).toEqual(['c-1@0', 'c-1@1', 'c-1@2', 'c-2@0', 'c-2@1', 'c-2@2']);
        expect(read.every((e) => e.position <= upTo.position)).toBe(true);

        const typed = await collect(
          store.readByStream({ prefix: stream('c-'), toPosition: upTo.position, eventTypes: ['ThingHappened'] }),
        );
        expect(typed.map(label).sort()).toEqual(['c-1@2', 'c-2@0', 'c-2@1', 'c-2@2']);
        const rest = await collect(
          store.readByStream({ prefix: stream('c-'), toPosition: upTo.position, afterStream: order[0]! }),
        );
        expect(rest.map(label)).toEqual(read.filter((e) => e.streamId === order[1]).map(label));

        // Two partitions share the streams: together the whole read, each stream in exactly one.
        const parts = await Promise.all(
          [0, 1].map(async (index) =>
            collect(
              store.readByStream({ prefix: stream('c-'), toPosition: upTo.position, partition: { count: 2, index } }),
            ),
          ),
        );
        expect(parts.flat().map(label).sort()).toEqual(read.map(label).sort());
        for (const [index, part] of parts.entries())
          for (const e of part) expect(streamPartition(e.streamId, 2)).toBe(index);
      });
    });

    describe('subscribeToAll', () => {
      let subscription: Subscription | undefined;
      afterEach(async () => subscription?.close());

      it('catches up from a position (exclusive), then delivers new appends live, filtered', async () => {
        const first = await store.appendToStream(stream('a'), events(3));
        await store.appendToStream(stream('b'), events(2));
        const fromPosition = (await collect(store.readStream(stream('a'))))[0]!.position;
        subscription = store.subscribeToAll({ fromPosition, filter: { streamPrefixes: [stream('a')] } });
        const iterator = subscription[Symbol.asyncIterator]();
        const caughtUp = await take(iterator, 2);
        expect(caughtUp.map((e) => e.revision)).toEqual([1, 2]);
        expect(caughtUp[1]!.position).toBe(first.position);
        const started = Date.now();
        const live = take(iterator, 3);
        await store.appendToStream(stream('b'), events(1));
        await store.appendToStream(stream('a'), events(3));
        expect((await live).map((e) => [e.streamId, e.revision])).toEqual([
          [stream('a'), 3],
          [stream('a'), 4],
          [stream('a'), 5],
        ]);
        expect(Date.now() - started).toBeLessThan(1000);
      });

      it('filters by event type', async () => {
        subscription = store.subscribeToAll({
          fromPosition: await store.headPosition(),
          filter: { streamPrefixes: [prefix], eventTypes: ['PromiseMade'] },
        });
        const iterator = subscription[Symbol.asyncIterator]();
        const live = take(iterator, 2);
        await store.appendToStream(stream('x'), [event('CallLogged'), event('PromiseMade'), event('PromiseKept')]);
        await store.appendToStream(stream('y'), [event('PromiseMade')]);
        expect((await live).map((e) => [e.streamId, e.type])).toEqual([
          [stream('x'), 'PromiseMade'],
          [stream('y'), 'PromiseMade'],
        ]);
      });

      it('close ends an iteration that waits for events', async () => {
        subscription = store.subscribeToAll({
          fromPosition: await store.headPosition(),
          filter: { streamPrefixes: [prefix] },
        });
        const pending = subscription[Symbol.asyncIterator]().next();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await subscription.close();
        await expect(pending).resolves.toMatchObject({ done: true });
      });

      it('a slow consumer misses nothing and gets every event in order (it pulls as it goes)', async () => {
        subscription = store.subscribeToAll({
          fromPosition: await store.headPosition(),
          filter: { streamPrefixes: [prefix] },
        });
        const iterator = subscription[Symbol.asyncIterator]();
        const firstOne = take(iterator, 1);
        await store.appendToStream(stream('slow'), events(1));
        await firstOne;
        // The consumer pauses while many more events commit; it then reads them all, in order.
        for (let i = 0; i < 5; i++) await store.appendToStream(stream('slow'), events(200));
        const rest = await take(iterator, 1000);
        expect(rest.map((e) => e.revision)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      });
    });

    describe('concurrency', () => {
      it('many writers on one stream with exact revisions: exactly one wins each revision', async () => {
        const writers = 8;
        const target = 40;
        const wins = new Map<number, number>();
        let conflicts = 0;
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            for (;;) {
              const current = await store.streamRevision(stream('hot'));
              if (current !== null && current >= target - 1) return;
              const expectedRevision = current ?? 'no_stream';
              try {
                const result = await store.appendToStream(stream('hot'), [event('Wrote', { writer })], {
                  expectedRevision,
                });
                wins.set(result.nextExpectedRevision, (wins.get(result.nextExpectedRevision) ?? 0) + 1);
              } catch (error) {
                if (!(error instanceof WrongExpectedRevisionError)) throw error;
                conflicts += 1;
              }
            }
          }),
        );
        const stored = await collect(store.readStream(stream('hot')));
        expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: target }, (_, i) => i));
        expect([...wins.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: target }, (_, i) => i));
        expect([...wins.values()].every((n) => n === 1)).toBe(true);
        expect(conflicts).toBeGreaterThan(0);
        expect(await store.verifyStream(stream('hot'))).toMatchObject({ ok: true, events: target });
      });

      it('concurrent appends to distinct streams all succeed', async () => {
        const results = await Promise.all(
          Array.from({ length: 32 }, (_, i) =>
            store.appendToStream(stream(`c${i}`), events(2), { expectedRevision: 'no_stream' }),
          ),
        );
        expect(new Set(results.map((r) => r.position)).size).toBe(32);
        expect(results.every((r) => r.nextExpectedRevision === 1)).toBe(true);
      });
    });

    describe('hash chain', () => {
      it('verifyStream recomputes the chain and reports ok', async () => {
        await store.appendToStream(stream('v'), events(3));
        await store.appendToStream(stream('v'), events(2));
        const stored = await collect(store.readStream(stream('v')));
        expect(stored[0]!.metadata.prevHash).toBe('0'.repeat(64));
        expect(stored[1]!.metadata.prevHash).toBe(stored[0]!.metadata.hash);
        expect(await store.verifyStream(stream('v'))).toEqual({ ok: true, streamId: stream('v'), events: 5 });
        expect(await store.verifyStream(stream('none'))).toEqual({ ok: true, streamId: stream('none'), events: 0 });
      });

      it('names the revision whose stored bytes were altered', async () => {
        if (!harness.tamper) {
          console.log(`skipped tamper check on ${name}: its storage cannot be altered from a test`);
          return;
        }
        await store.appendToStream(stream('t'), events(5));
        await harness.tamper(stream('t'), 3);
        expect(await store.verifyStream(stream('t'))).toMatchObject({ ok: false, brokenAt: 3 });
      });
    });
  });
}

/** The index of a stored byte to alter in an event's data JSON: the first letter of its `note` text. */
export const byteToTamper = (json: string): number => {
  const at = json.indexOf('some stored text');
  if (at < 0) throw new Error('nothing to tamper with');
  return at;
};
