import { cdnowSampleTransactions, cdnowSummary, cdnowSummaryWithMonetary } from './cdnow-dataset.fixture';
import { InvalidClvInputError } from './clv-errors';
import { summarizePopulation, summarizePurchases } from './rfm-summary';

const day = (iso: string): Date => new Date(`${iso}T12:00:00Z`);
const weeks = { observationEnd: day('1997-09-30'), unit: 'weeks' as const };

describe('summarizePurchases', () => {
  it('merges same-day purchases, ignores those after the end and averages repeat days only', () => {
    const summary = summarizePurchases(
      [
        { at: day('2024-01-01'), amount: 100 }, // first purchase: not in the monetary value
        { at: new Date('2024-01-11T08:00:00Z'), amount: 10 },
        { at: new Date('2024-01-11T20:00:00Z'), amount: 20 }, // same day: one transaction of 30
        { at: day('2024-01-21'), amount: 50 },
        { at: day('2024-02-15'), amount: 999 }, // after the observation end
      ],
      { observationEnd: day('2024-01-31'), unit: 'days' },
    );
    expect(summary).toEqual({ frequency: 2, recency: 20, T: 30, monetaryValue: 40 });
  });

  it('gives a one-purchase customer frequency 0, recency 0 and monetary value 0', () => {
    expect(
      summarizePurchases([{ at: day('2024-01-01'), amount: 70 }], { observationEnd: day('2024-01-15'), unit: 'weeks' }),
    ).toEqual({
      frequency: 0,
      recency: 0,
      T: 2,
      monetaryValue: 0,
    });
  });

  it('returns null for a customer with no purchase up to the end, in any order of input', () => {
    expect(
      summarizePurchases([{ at: day('2024-02-01'), amount: 5 }], { observationEnd: day('2024-01-31'), unit: 'days' }),
    ).toBeNull();
    expect(summarizePurchases([], { observationEnd: day('2024-01-31'), unit: 'days' })).toBeNull();
  });

  it('decides "same day" in the shop time zone', () => {
    const purchases = [
      { at: new Date('2024-01-01T22:30:00Z'), amount: 1 },
      { at: new Date('2024-01-02T00:30:00Z'), amount: 1 },
    ];
    const end = new Date('2024-01-10T12:00:00Z');
    expect(summarizePurchases(purchases, { observationEnd: end, unit: 'days' })?.frequency).toBe(1);
    expect(summarizePurchases(purchases, { observationEnd: end, unit: 'days', utcOffsetMinutes: 120 })?.frequency).toBe(
      0,
    );
  });

  it('rejects bad input naming the field', () => {
    expect(() => summarizePurchases([{ at: new Date('nope'), amount: 1 }], weeks)).toThrow(InvalidClvInputError);
    expect(() => summarizePurchases([{ at: day('1997-01-01'), amount: Number.NaN }], weeks)).toThrow(
      /amount must be a finite number/,
    );
    expect(() => summarizePurchases([], { ...weeks, observationEnd: new Date(Number.NaN) })).toThrow(/observationEnd/);
  });
});

describe('summarizePopulation on CDNOW', () => {
  const computed = summarizePopulation(cdnowSampleTransactions(), weeks);

  it('matches cdnow_customers_summary.csv for every customer (recency and T rounded to 2 decimals there)', () => {
    const expected = cdnowSummary();
    expect(expected).toHaveLength(2357);
    expect(computed.size).toBe(expected.length);
    const mismatches = expected.filter((row) => {
      const mine = computed.get(row.id);
      return (
        !mine ||
        mine.frequency !== row.frequency ||
        Math.abs(mine.recency - row.recency) > 0.0051 ||
        Math.abs(mine.T - row.T) > 0.0051
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('matches the mean repeat spend (zbar) of cdnow_customers_summary_with_transactions.csv', () => {
    const mismatches = cdnowSummaryWithMonetary().filter(
      (row) => Math.abs((computed.get(row.id)?.monetaryValue ?? -1) - row.monetaryValue) > 0.0051,
    );
    expect(mismatches).toEqual([]);
  });

  it('rejects a purchase without customer id', () => {
    expect(() => summarizePopulation([{ customerId: '', at: day('1997-01-01'), amount: 1 }], weeks)).toThrow(
      /customerId must be a non-empty string/,
    );
  });
});
