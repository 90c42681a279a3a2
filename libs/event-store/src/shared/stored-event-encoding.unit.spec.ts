import fc from 'fast-check';
import { canonicalJson, eventHash, GENESIS_HASH } from '../hash-chain';
import type { EventToAppend } from '../event-store.port';
import { canonicalJsonOf, encodeForAppend } from './stored-event-encoding';

/** What the store did before: stringify, parse back, hash the parsed event, add the hash. */
function reference(streamId: string, revision: number, event: EventToAppend, prevHash: string) {
  const dataJson = JSON.stringify(event.data);
  const data = JSON.parse(dataJson) as Record<string, unknown>;
  const metadata = JSON.parse(JSON.stringify({ ...event.metadata, prevHash })) as Record<string, unknown>;
  const hash = eventHash(prevHash, { streamId, revision, type: event.type, data, metadata });
  metadata.hash = hash;
  return { dataJson, metadataJson: JSON.stringify(metadata), hash };
}

const key = fc.oneof(fc.string(), fc.constantFrom('a', 'b', 'ä', '10', '2', 'é', '\u{1F600}', 'hash', 'toString'));
const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
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

describe('stored event encoding', () => {
  it('canonicalJsonOf equals canonicalJson of the JSON round trip', () => {
    fc.assert(
      fc.property(jsonish, (value) => {
        const json = JSON.stringify(value);
        const expected = json === undefined ? undefined : canonicalJson(JSON.parse(json));
        expect(canonicalJsonOf(value)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same stored bytes and hash as hashing the parsed event', () => {
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
          expect(encodeForAppend(streamId, revision, event, prevHash)).toEqual(
            reference(streamId, revision, event, prevHash),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps class instances, boxed values and caller-given hashes as the round trip does', () => {
    class Money {
      constructor(
        readonly amount: number,
        readonly currency: string,
      ) {}
    }
    const event: EventToAppend = {
      type: 'PurchaseRecorded',
      data: {
        total: new Money(12.5, 'CNY'),
        boxed: Object(3),
        at: new Date(0),
        skip: undefined,
        list: [undefined, () => 1],
      },
      metadata: { eventId: 'e1', hash: 'caller', occurredAt: new Date(1) },
    };
    expect(encodeForAppend('customer-1', 0, event, GENESIS_HASH)).toEqual(
      reference('customer-1', 0, event, GENESIS_HASH),
    );
    const { hash: _hash, ...withoutHash } = event.metadata;
    const plain = { ...event, metadata: withoutHash as EventToAppend['metadata'] };
    expect(encodeForAppend('customer-1', 3, plain, 'f'.repeat(64))).toEqual(
      reference('customer-1', 3, plain, 'f'.repeat(64)),
    );
  });
});
