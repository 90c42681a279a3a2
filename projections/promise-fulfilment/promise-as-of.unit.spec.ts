import type { ProjectedEvent } from '@rapport/projection-engine';
import { evolvePromiseFulfilment, type PromiseFulfilmentDoc } from './promise-fulfilment.projection';
import { promisesAsOf, promiseStatusAt } from './promise-deadlines';
import { fold, projected } from '@rapport/testing';

const day = (d: number): string => new Date(Date.UTC(2024, 0, d)).toISOString();
const recorded = (event: ProjectedEvent, d: number): ProjectedEvent => ({
  ...event,
  metadata: { ...event.metadata, recordedAt: day(d) },
});

// Made on day 1, due day 5; renegotiated on day 3 to day 7 but recorded only on day 6; the watcher
// recorded it overdue on day 9 (dated at its due date, day 7); kept on day 10.
const events = [
  recorded(
    projected('PromiseMade', day(1), {
      customerId: 'c1',
      promiseId: 'p1',
      description: 'x',
      dueAt: day(5),
      madeBy: 'a',
      withinPolicy: true,
    }),
    1,
  ),
  recorded(
    projected('PromiseRenegotiated', day(3), {
      customerId: 'c1',
      promiseId: 'p1',
      previousDueAt: day(5),
      newDueAt: day(7),
      reason: 'r',
    } as never),
    6,
  ),
  recorded(
    projected('PromiseBecameOverdue', day(7), { customerId: 'c1', promiseId: 'p1', dueAt: day(7) }, 'system'),
    9,
  ),
  recorded(projected('PromiseKept', day(10), { customerId: 'c1', promiseId: 'p1', keptBy: 'a' }), 10),
];
const full = fold<PromiseFulfilmentDoc>(evolvePromiseFulfilment, events) as PromiseFulfilmentDoc;

describe('promisesAsOf', () => {
  it.each([
    // [as of day, known at day, status then]
    [0, 20, null],
    [2, 20, 'open'],
    [6, 20, 'due_soon'],
    [6, 5, 'overdue'], // the renegotiation was not known yet: the original due date (day 5) had passed
    [8, 20, 'overdue'],
    [8, 8, 'overdue'], // the watcher had not noticed yet, but the deadline had passed
    [11, 20, 'kept_late'],
    [11, 9, 'overdue'], // the keeping was recorded on day 10
  ] as const)('as of day %i known at day %i: %s', (asOf, knownAt, expected) => {
    const then = promisesAsOf(full, Date.parse(day(asOf)), Date.parse(day(knownAt))).promises[0];
    expect(then === undefined ? null : promiseStatusAt(then, Date.parse(day(asOf)), 48)).toBe(expected);
  });

  it('equals the document of a store holding only the events of then, field by field', () => {
    for (let asOf = 0; asOf <= 12; asOf += 1) {
      for (let knownAt = 0; knownAt <= 12; knownAt += 1) {
        const cut = events.filter((e) => e.metadata.occurredAt <= day(asOf) && e.metadata.recordedAt <= day(knownAt));
        const expected = fold<PromiseFulfilmentDoc>(evolvePromiseFulfilment, cut)?.promises ?? [];
        const actual = promisesAsOf(full, Date.parse(day(asOf)), Date.parse(day(knownAt))).promises;
        const at = Date.parse(day(asOf));
        expect(actual.map((p) => [p.dueAt, promiseStatusAt(p, at, 48), p.becameOverdueAt, p.closedAt])).toEqual(
          expected.map((p) => [p.dueAt, promiseStatusAt(p, at, 48), p.becameOverdueAt, p.closedAt]),
        );
      }
    }
  });
});
