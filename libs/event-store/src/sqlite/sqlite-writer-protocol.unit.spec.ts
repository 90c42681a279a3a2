import fc from 'fast-check';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type { EventToAppend } from '../event-store.port';
import { GENESIS_HASH } from '../hash-chain';
import { encodeForAppend } from '../shared/stored-event-encoding';
import { fromWireError, fromWireJson, toWireError, toWireJson } from './sqlite-writer-protocol';

// Not 'prevHash': the store sets it, and a caller's `prevHash: undefined` only moves the key in the text.
const key = fc.oneof(
  fc.string().filter((k) => k !== 'prevHash'),
  fc.constantFrom('a', 'b', '10', '2', 'é', '\u{1F600}', 'hash'),
);
const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(-0),
  fc.constant(Number.NaN),
  fc.date({ noInvalidDate: true }),
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

/** What the writer thread stores for an event: handed over as JSON text, parsed back there, encoded. */
const viaThread = (streamId: string, revision: number, event: EventToAppend, prevHash: string) => {
  const [append] = fromWireJson(toWireJson([{ streamId, expected: 'any', events: [event] }]));
  expect(append).toMatchObject({ streamId, expected: 'any' });
  return encodeForAppend(streamId, revision, append!.events[0]!, prevHash);
};

describe('writer thread protocol', () => {
  it('the thread stores the same bytes and hash as a commit on the event loop, for any JSON-able event', () => {
    const metadata = fc
      .record({ eventId: fc.uuid() })
      .chain((base) => fc.dictionary(key, jsonish, { maxKeys: 6 }).map((extra) => ({ ...extra, ...base })));
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.nat(10_000),
        fc.string({ minLength: 1 }),
        fc.dictionary(key, jsonish, { maxKeys: 6 }),
        metadata,
        fc.oneof(
          fc.constant(GENESIS_HASH),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
        ),
        (streamId, revision, type, data, meta, prevHash) => {
          const event = { type, data, metadata: meta } as EventToAppend;
          expect(viaThread(streamId, revision, event, prevHash)).toEqual(
            encodeForAppend(streamId, revision, event, prevHash),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a class with toJSON and a Date travel as their JSON, so the thread hashes what is read back', () => {
    class Money {
      constructor(
        readonly amount: number,
        readonly currency: string,
      ) {}
      toJSON() {
        return `${this.amount} ${this.currency}`;
      }
    }
    const event: EventToAppend = {
      type: 'PurchaseRecorded',
      data: { total: new Money(12.5, 'CNY'), at: new Date('2026-03-01T10:00:00.000Z') },
      metadata: { eventId: 'e-1' },
    };
    const stored = viaThread('customer-1', 0, event, GENESIS_HASH);
    expect(JSON.parse(stored.dataJson)).toEqual({ total: '12.5 CNY', at: '2026-03-01T10:00:00.000Z' });
    expect(stored).toEqual(encodeForAppend('customer-1', 0, event, GENESIS_HASH));
  });

  it('errors come back as the classes the adapter throws, with their fields; others keep name, message and code', () => {
    const wrong = fromWireError(toWireError(new WrongExpectedRevisionError('customer-1', 'no_stream', 4)));
    expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
    expect(wrong).toMatchObject({ streamId: 'customer-1', expectedRevision: 'no_stream', actualRevision: 4 });
    const duplicate = fromWireError(toWireError(new DuplicateEventIdError('customer-2', 'e-9')));
    expect(duplicate).toBeInstanceOf(DuplicateEventIdError);
    expect(duplicate).toMatchObject({
      streamId: 'customer-2',
      eventId: 'e-9',
      message: expect.stringContaining('e-9'),
    });
    const full = Object.assign(new Error('database or disk is full'), { name: 'SqliteError', code: 'SQLITE_FULL' });
    expect(fromWireError(toWireError(full))).toMatchObject({
      name: 'SqliteError',
      message: 'database or disk is full',
      code: 'SQLITE_FULL',
    });
    expect(fromWireError(toWireError('plain text thrown'))).toMatchObject({ message: 'plain text thrown' });
  });
});
