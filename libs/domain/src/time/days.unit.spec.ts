import { addDays, daysBetween, DAY_MS, epochDay } from './days';

describe('day arithmetic', () => {
  it('counts epoch days in UTC, flooring times before 1970 to the day they fall in', () => {
    expect(epochDay(Date.parse('1970-01-01T00:00:00Z'))).toBe(0);
    expect(epochDay(Date.parse('2026-03-01T23:59:59.999Z'))).toBe(epochDay(Date.parse('2026-03-01T00:00:00Z')));
    expect(epochDay(Date.parse('2024-03-01T00:00:00Z')) - epochDay(Date.parse('2024-02-28T12:00:00Z'))).toBe(2);
    expect(epochDay(Date.parse('1969-12-31T23:00:00Z'))).toBe(-1);
  });

  it('adds and measures days, fractions and negatives included', () => {
    const at = Date.parse('2026-12-03T15:00:00Z');
    expect(new Date(addDays(at, 30)).toISOString()).toBe('2027-01-02T15:00:00.000Z');
    expect(addDays(at, -0.5)).toBe(at - DAY_MS / 2);
    expect(daysBetween(at, addDays(at, 7.25))).toBe(7.25);
    expect(daysBetween(addDays(at, 2), at)).toBe(-2);
  });
});
