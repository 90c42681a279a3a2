import fc from 'fast-check';
import { fold, customerHistory, handledBy } from '@rapport/testing';
import {
  evolveLifecycleFacts,
  foldLifecycleFacts,
  lifecycleFactsProjection,
  type LifecycleFactsDoc,
} from './lifecycle-facts.projection';

const reduce = (events: Parameters<typeof fold>[1], start: LifecycleFactsDoc | null = null) =>
  fold<LifecycleFactsDoc>(evolveLifecycleFacts, events, start);

describe('foldLifecycleFacts', () => {
  it('equals folding evolve over the same events, from nothing or from a document it leaves unchanged', () => {
    fc.assert(
      fc.property(customerHistory(), customerHistory(), (first, more) => {
        for (const events of [first, handledBy(lifecycleFactsProjection.handles, first)]) {
          expect(foldLifecycleFacts(null, events)).toEqual(reduce(events));
        }
        const start = reduce(first);
        const before = structuredClone(start);
        expect(foldLifecycleFacts(start, more)).toEqual(reduce(more, start));
        expect(start).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('with no events, returns the document it is given', () => {
    const start = reduce(fc.sample(customerHistory(), 1)[0]!);
    expect(foldLifecycleFacts(start, [])).toBe(start);
    expect(foldLifecycleFacts(null, [])).toBeNull();
  });
});
