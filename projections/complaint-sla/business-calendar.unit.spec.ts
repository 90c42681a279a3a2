import {
  addBusinessTime,
  ALWAYS_OPEN,
  businessCalendar,
  businessTimeBetween,
  CalendarSpecError,
} from './business-calendar';

const H = 3_600_000;
// Shanghai desk: 09:00-12:00 and 13:00-18:00 on weekdays (UTC+8), closed on National Day, open on a make-up Saturday.
const desk = businessCalendar({
  utcOffsetMinutes: 480,
  hours: {
    mon: '09:00-12:00,13:00-18:00',
    tue: '09:00-12:00,13:00-18:00',
    wed: '09:00-12:00,13:00-18:00',
    thu: '09:00-12:00,13:00-18:00',
    fri: '09:00-12:00,13:00-18:00',
  },
  holidays: ['2026-10-01'],
  workdays: ['2026-10-10'],
});
const local = (date: string, time: string) => Date.parse(`${date}T${time}:00+08:00`);

describe('business calendar', () => {
  it('given a complaint filed Friday 17:00 local with 4 business hours, then it is due Monday 12:00 (evening, weekend and lunch do not count)', () => {
    // 2026-03-06 is a Friday.
    expect(addBusinessTime(desk, local('2026-03-06', '17:00'), 4 * H)).toBe(local('2026-03-09', '12:00'));
    expect(addBusinessTime(desk, local('2026-03-06', '17:00'), 5 * H)).toBe(local('2026-03-09', '14:00'));
  });

  it('given a holiday, then it is skipped; given a make-up working Saturday, then it counts', () => {
    // Wednesday 2026-09-30 17:00 + 2 h: Thursday 10-01 is a holiday, so Friday 10-02 10:00.
    expect(addBusinessTime(desk, local('2026-09-30', '17:00'), 2 * H)).toBe(local('2026-10-02', '10:00'));
    // Friday 10-09 17:00 + 2 h: Saturday 10-10 is a make-up working day (Monday's hours).
    expect(addBusinessTime(desk, local('2026-10-09', '17:00'), 2 * H)).toBe(local('2026-10-10', '10:00'));
  });

  it('given a pause while waiting for the customer, then the pause does not count', () => {
    const from = local('2026-03-09', '09:00');
    const pause = [[local('2026-03-09', '10:00'), local('2026-03-09', '15:00')]] as const;
    // 09:00-10:00 counts (1 h), 10:00-15:00 is paused, 15:00-18:00 counts (3 h): 4 h at 18:00.
    expect(addBusinessTime(desk, from, 4 * H, pause)).toBe(local('2026-03-09', '18:00'));
    expect(businessTimeBetween(desk, from, local('2026-03-09', '18:00'), pause)).toBe(4 * H);
    // A pause that has not ended: no deadline yet.
    expect(addBusinessTime(desk, from, 4 * H, [[local('2026-03-09', '10:00'), Number.POSITIVE_INFINITY]])).toBeNull();
  });

  it('counts business time between two moments', () => {
    expect(businessTimeBetween(desk, local('2026-03-06', '17:00'), local('2026-03-09', '12:00'))).toBe(4 * H);
    expect(businessTimeBetween(ALWAYS_OPEN, 0, 5 * H)).toBe(5 * H);
    expect(addBusinessTime(ALWAYS_OPEN, Date.parse('2026-01-01T00:00:00Z'), 30 * H)).toBe(
      Date.parse('2026-01-02T06:00:00Z'),
    );
  });

  it('rejects a bad calendar naming the field', () => {
    const field = (spec: object) => {
      try {
        businessCalendar(spec as never);
        return null;
      } catch (e) {
        return e instanceof CalendarSpecError ? e.field : 'other';
      }
    };
    expect(field({ utcOffsetMinutes: 480, hours: { mon: '18:00-09:00' } })).toBe('hours.mon');
    expect(field({ utcOffsetMinutes: 480, hours: { funday: '09:00-18:00' } })).toBe('hours.funday');
    expect(field({ utcOffsetMinutes: 480, hours: {} })).toBe('hours');
    expect(field({ utcOffsetMinutes: 2000, hours: { mon: '09:00-18:00' } })).toBe('utcOffsetMinutes');
    expect(field({ utcOffsetMinutes: 0, hours: { mon: '09:00-18:00' }, holidays: ['10/01'] })).toBe('holidays[0]');
  });
});
