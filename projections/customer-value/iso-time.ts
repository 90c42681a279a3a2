// Reading and writing the ISO-8601 times every stored event carries, straight from their digits: as-of
// views parse two per fact of every customer, and the library's parser is most of that cost.
import { DAY_MS } from '@rapport/domain';

/** Value of `len` decimal digits at `at`, or −1 when one is not a digit. */
function digits(iso: string, at: number, len: number): number {
  let value = 0;
  for (let i = at; i < at + len; i += 1) {
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Date.parse of an ISO-8601 time, with the form toISOString writes (every stored event time) read
 * straight from its digits: parsing is most of the cost of a history, asked for every customer.
 */
export function isoMs(iso: string): number {
  const ms = canonicalIsoMs(iso);
  return Number.isNaN(ms) ? Date.parse(iso) : ms;
}

/** Whether `iso` has toISOString's shape (YYYY-MM-DDTHH:mm:ss.sssZ), its digits not checked. */
const hasCanonicalShape = (iso: string): boolean =>
  iso.length === 24 &&
  iso.charCodeAt(23) === 90 /* Z */ &&
  iso.charCodeAt(10) === 84 /* T */ &&
  iso[4] === '-' &&
  iso[7] === '-' &&
  iso[13] === ':' &&
  iso[16] === ':' &&
  iso[19] === '.';

/**
 * The time of `iso` when it is exactly what toISOString writes for it (so isoOf gives `iso` back), NaN
 * otherwise (another form, or a date that does not exist).
 */
export function canonicalIsoMs(iso: string): number {
  if (!hasCanonicalShape(iso)) return Number.NaN;
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 2);
  const d = digits(iso, 8, 2);
  const h = digits(iso, 11, 2);
  const min = digits(iso, 14, 2);
  const sec = digits(iso, 17, 2);
  const ms = digits(iso, 20, 3);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const monthDays = m === 2 && leap ? 29 : (MONTH_DAYS[m - 1] ?? 0);
  if (
    y < 0 ||
    m < 1 ||
    d < 1 ||
    d > monthDays ||
    h < 0 ||
    h > 23 ||
    min < 0 ||
    min > 59 ||
    sec < 0 ||
    sec > 59 ||
    ms < 0
  )
    return Number.NaN;
  // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const days = era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
  return days * DAY_MS + ((h * 60 + min) * 60 + sec) * 1000 + ms;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * new Date(ms).toISOString(), written from the civil date (H. Hinnant's civil_from_days): the
 * library's costs more than the rest of a transition.
 */
export function isoOf(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (!(y >= 0 && y <= 9999)) return new Date(ms).toISOString();
  let rest = ms - days * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  const year = y >= 1000 ? String(y) : String(y).padStart(4, '0');
  return `${year}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(min)}:${pad2(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
