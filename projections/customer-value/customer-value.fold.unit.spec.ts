import fc from 'fast-check';
import { fold, customerHistory, handledBy } from '@rapport/testing';
import {
  customerValueProjection,
  evolveCustomerValue,
  foldCustomerValue,
  type CustomerValueDoc,
} from './customer-value.projection';

const reduce = (events: Parameters<typeof fold>[1], start: CustomerValueDoc | null = null) =>
  fold<CustomerValueDoc>(evolveCustomerValue, events, start);

describe('foldCustomerValue', () => {
  it('equals folding evolve over the same events, from nothing or from a document it leaves unchanged', () => {
    fc.assert(
      fc.property(customerHistory(), customerHistory(), (first, more) => {
        for (const events of [first, handledBy(customerValueProjection.handles, first)]) {
          expect(foldCustomerValue(null, events)).toEqual(reduce(events));
        }
        const start = reduce(first);
        const before = structuredClone(start);
        expect(foldCustomerValue(start, more)).toEqual(reduce(more, start));
        expect(start).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('folded a run at a time, gives the document folded at once', () => {
    fc.assert(
      fc.property(customerHistory('c1', 200), fc.integer({ min: 1, max: 50 }), (events, size) => {
        let doc: CustomerValueDoc | null = null;
        for (let i = 0; i < events.length; i += size) doc = foldCustomerValue(doc, events.slice(i, i + size));
        expect(doc).toEqual(reduce(events));
      }),
      { numRuns: 100 },
    );
  });

  it('with no events, returns the document it is given', () => {
    const start = reduce(fc.sample(customerHistory(), 1)[0]!);
    expect(foldCustomerValue(start, [])).toBe(start);
    expect(foldCustomerValue(null, [])).toBeNull();
  });
});
