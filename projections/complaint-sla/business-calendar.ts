// Business-hours calendars as service desks define them: opening hours per weekday in a fixed UTC
// offset (China has no daylight saving), holidays closed, make-up working days (调休) open. SLA time
// counts only inside opening hours and outside the complaint's pauses. Pure: times in, times out.
import { DAY_MS } from '@rapport/domain';

const MINUTE = 60_000;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessCalendarSpec {
  /** Minutes east of UTC of the desk's local time (480: China Standard Time). */
  utcOffsetMinutes: number;
  /** Opening hours per weekday: `09:00-18:00`, or several spans `09:00-12:00,13:30-18:00`; a missing day is closed. */
  hours: Partial<Record<Weekday, string>>;
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays?: string[];
  /** Local dates open although their weekday is closed (make-up working days), with `workdayHours`. */
  workdays?: string[];
  /** Hours of a make-up working day; default: Monday's. */
  workdayHours?: string;
}

export interface BusinessCalendar {
  offsetMs: number;
  /** Per weekday (0 = Monday): open spans in minutes from local midnight. */
  week: Array<Array<[number, number]>>;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  workdayHours: Array<[number, number]>;
}

/** Open all day, every day, in UTC: the wall clock. */
export const ALWAYS_OPEN: BusinessCalendar = {
  offsetMs: 0,
  week: WEEKDAYS.map(() => [[0, 1440]]),
  holidays: new Set(),
  workdays: new Set(),
  workdayHours: [[0, 1440]],
};

/** A calendar value out of range; `field` is the path below the calendar (`hours.mon`). */
export class CalendarSpecError extends Error {
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field} ${rule}`);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `09:00-12:00,13:00-18:00` as minute spans; throws CalendarSpecError naming `field`. */
export function parseSpans(text: unknown, field: string): Array<[number, number]> {
  if (typeof text !== 'string') throw new CalendarSpecError(field, 'must be a string such as 09:00-18:00');
  const spans: Array<[number, number]> = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
    const from = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    const to = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
    if (!m || Number(m[2]) > 59 || Number(m[4]) > 59 || from >= to || to > 1440)
      throw new CalendarSpecError(field, `"${part}" must be HH:MM-HH:MM with the start before the end, within the day`);
    if (spans.length > 0 && from < spans[spans.length - 1]![1])
      throw new CalendarSpecError(field, 'spans must be in order and not overlap');
    spans.push([from, to]);
  }
  return spans;
}

function dates(list: unknown, field: string): Set<string> {
  if (list === undefined) return new Set();
  if (!Array.isArray(list)) throw new CalendarSpecError(field, 'must be a list of YYYY-MM-DD dates');
  list.forEach((d, i) => {
    if (typeof d !== 'string' || !DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new CalendarSpecError(`${field}[${i}]`, 'must be a YYYY-MM-DD date');
  });
  return new Set(list as string[]);
}

/** Checks a spec and compiles it; throws CalendarSpecError naming the field. */
export function businessCalendar(spec: BusinessCalendarSpec): BusinessCalendar {
  const offset = spec.utcOffsetMinutes;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || Math.abs(offset) > 14 * 60)
    throw new CalendarSpecError('utcOffsetMinutes', 'must be a whole number of minutes from -840 to 840');
  if (typeof spec.hours !== 'object' || spec.hours === null)
    throw new CalendarSpecError('hours', 'must give opening hours per weekday (mon..sun)');
  const unknown = Object.keys(spec.hours).find((k) => !(WEEKDAYS as readonly string[]).includes(k));
  if (unknown !== undefined)
    throw new CalendarSpecError(`hours.${unknown}`, `is not a weekday (${WEEKDAYS.join(', ')})`);
  const week = WEEKDAYS.map((d) => (spec.hours[d] === undefined ? [] : parseSpans(spec.hours[d], `hours.${d}`)));
  if (week.every((spans) => spans.length === 0))
    throw new CalendarSpecError('hours', 'must open on at least one weekday');
  return {
    offsetMs: offset * MINUTE,
    week,
    holidays: dates(spec.holidays, 'holidays'),
    workdays: dates(spec.workdays, 'workdays'),
    workdayHours:
      spec.workdayHours === undefined
        ? week[0]!.length > 0
          ? week[0]!
          : [[540, 1080]]
        : parseSpans(spec.workdayHours, 'workdayHours'),
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');
function localDate(dayStartLocal: number): string {
  const d = new Date(dayStartLocal);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const spansByDay = new WeakMap<BusinessCalendar, Map<number, Array<[number, number]>>>();

/** Open spans of the local day starting at `dayLocal` (ms, local midnight as if UTC), in UTC ms; kept per calendar and day. */
function openSpans(cal: BusinessCalendar, dayLocal: number): Array<[number, number]> {
  let days = spansByDay.get(cal);
  if (days === undefined) spansByDay.set(cal, (days = new Map()));
  let spans = days.get(dayLocal);
  if (spans === undefined) {
    // A report reads the same few hundred days for every complaint; ten years of days is the bound.
    if (days.size > 4000) days.clear();
    days.set(dayLocal, (spans = daySpans(cal, dayLocal)));
  }
  return spans;
}

function daySpans(cal: BusinessCalendar, dayLocal: number): Array<[number, number]> {
  const weekday = (Math.floor(dayLocal / DAY_MS) + 3) % 7; // 1970-01-01 was a Thursday
  let spans = cal.week[(weekday + 7) % 7]!;
  if (cal.holidays.size > 0 || cal.workdays.size > 0) {
    const date = localDate(dayLocal);
    if (cal.holidays.has(date)) spans = [];
    else if (spans.length === 0 && cal.workdays.has(date)) spans = cal.workdayHours;
  }
  const start = dayLocal - cal.offsetMs;
  return spans.map(([a, b]) => [start + a * MINUTE, start + b * MINUTE]);
}

/** Pauses: ordered, non-overlapping [from, to) spans; `to` may be +∞ (still paused). */
export type Pauses = ReadonlyArray<readonly [number, number]>;

/** Calls `each` with the counted (open, unpaused) spans from `fromMs` on, until it returns false. */
function countedSpans(
  cal: BusinessCalendar,
  fromMs: number,
  pauses: Pauses,
  each: (a: number, b: number) => boolean,
): void {
  let dayLocal = Math.floor((fromMs + cal.offsetMs) / DAY_MS) * DAY_MS;
  let p = 0;
  // Ten years without an open hour cannot happen with a valid calendar; the bound keeps a bad one finite.
  for (let days = 0; days < 3660; days++, dayLocal += DAY_MS) {
    for (const [open, close] of openSpans(cal, dayLocal)) {
      let a = Math.max(open, fromMs);
      while (a < close) {
        while (p < pauses.length && pauses[p]![1] <= a) p++;
        const pause = pauses[p];
        if (pause !== undefined && pause[0] <= a) {
          if (pause[1] === Number.POSITIVE_INFINITY) return;
          a = pause[1];
          continue;
        }
        const b = pause !== undefined ? Math.min(close, pause[0]) : close;
        if (!each(a, b)) return;
        a = b;
      }
    }
  }
}

/** When `durationMs` of counted time has passed from `fromMs`; null when a pause never ends first. */
export function addBusinessTime(
  cal: BusinessCalendar,
  fromMs: number,
  durationMs: number,
  pauses: Pauses = [],
): number | null {
  let left = durationMs;
  let due: number | null = left <= 0 ? fromMs : null;
  if (due !== null) return due;
  countedSpans(cal, fromMs, pauses, (a, b) => {
    if (b - a >= left) {
      due = a + left;
      return false;
    }
    left -= b - a;
    return true;
  });
  return due;
}

/** Counted time (open hours, not paused) between `fromMs` and `toMs`. */
export function businessTimeBetween(cal: BusinessCalendar, fromMs: number, toMs: number, pauses: Pauses = []): number {
  if (toMs <= fromMs) return 0;
  let total = 0;
  countedSpans(cal, fromMs, pauses, (a, b) => {
    if (a >= toMs) return false;
    total += Math.min(b, toMs) - a;
    return b < toMs;
  });
  return total;
}
