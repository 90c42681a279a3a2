import fc from 'fast-check';
import { fold, customerHistory } from '@rapport/testing';
import { evolveCustomerProfile, foldCustomerProfile, type CustomerProfile } from './customer-profile.projection';

const reduce = (events: Parameters<typeof fold>[1], start: CustomerProfile | null = null) =>
  fold<CustomerProfile>(evolveCustomerProfile, events, start);

describe('foldCustomerProfile', () => {
  it('equals folding evolve over the same events, from nothing or from a document it leaves unchanged', () => {
    fc.assert(
      fc.property(customerHistory(), customerHistory(), (first, more) => {
        expect(foldCustomerProfile(null, first)).toEqual(reduce(first));
        const start = reduce(first);
        const before = structuredClone(start);
        expect(foldCustomerProfile(start, more)).toEqual(reduce(more, start));
        expect(start).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('with no events, returns the document it is given', () => {
    const start = reduce(fc.sample(customerHistory(), 1)[0]!);
    expect(foldCustomerProfile(start, [])).toBe(start);
    expect(foldCustomerProfile(null, [])).toBeNull();
  });
});
