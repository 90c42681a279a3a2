import fc from 'fast-check';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { fold, projected, registered, customerHistory } from '@rapport/testing';
import { asOfTimes, customerValueAsOf } from './customer-value-as-of';
import { evolveCustomerValue, type CustomerValueDoc } from './customer-value.projection';

const HOUR = 3_600_000;
const BASE = Date.UTC(2024, 0, 1);
const at = (hours: number): string => new Date(BASE + hours * HOUR).toISOString();

/** The history with each event recorded some hours after it occurred (late arrivals included). */
const bitemporalHistory = fc
  .tuple(customerHistory('c1', 60), fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 60, maxLength: 60 }))
  .map(
    ([events, lags]) =>
      events.map((event, i) => ({
        ...event,
        metadata: {
          ...event.metadata,
          recordedAt: new Date(Date.parse(event.metadata.occurredAt) + (lags[i] as number) * HOUR).toISOString(),
        },
      })) as ProjectedEvent[],
  );

const build = (events: ProjectedEvent[]) => fold<CustomerValueDoc>(evolveCustomerValue, events);

describe('customerValueAsOf', () => {
  it('equals the document built from only the events that occurred by T and were recorded by K', () => {
    fc.assert(
      fc.property(
        bitemporalHistory,
        fc.integer({ min: -10, max: 420 * 24 }),
        fc.option(fc.integer({ min: 0, max: 500 * 24 })),
        (events, t, k) => {
          const asOf = at(t);
          const knownAt = k === null ? undefined : at(k);
          const cut = events.filter(
            (e) =>
              Date.parse(e.metadata.occurredAt) <= Date.parse(asOf) &&
              (knownAt === undefined || Date.parse(e.metadata.recordedAt) <= Date.parse(knownAt)),
          );
          const full = build(events);
          const expected = build(cut);
          const actual = full === null ? null : customerValueAsOf(full, asOfTimes(asOf, knownAt));
          // A cut store holding only unhandled events has an empty document; the as-of view has none.
          if (expected === null || expected.facts.length === 0) expect(actual).toBeNull();
          else expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  const purchase = (hours: number, total: number) =>
    projected('PurchaseRecorded', at(hours), {
      customerId: 'c1',
      orderId: `o${hours}`,
      lines: [],
      total,
      currency: 'EUR',
    });

  it('returns the document itself when everything had occurred and been recorded', () => {
    const doc = build([registered('c1', at(0)), purchase(5, 10), purchase(50, 20)]) as CustomerValueDoc;
    expect(customerValueAsOf(doc, asOfTimes(at(100)))).toBe(doc);
  });

  it('knows nothing of a customer before its first fact, and only the purchases made by T', () => {
    const doc = build([registered('c1', at(0)), purchase(5, 10), purchase(50, 20)]) as CustomerValueDoc;
    expect(customerValueAsOf(doc, asOfTimes(at(-1)))).toBeNull();
    expect(customerValueAsOf(doc, asOfTimes(at(10)))).toMatchObject({
      orders: 1,
      netRevenue: 10,
      lastPurchaseAt: at(5),
    });
  });
});
