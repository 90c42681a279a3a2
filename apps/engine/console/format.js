// Locale-aware formatting of numbers, money, shares and times through the platform's Intl (no imports:
// unit-tested in Node). Business times are UTC instants: they are shown in UTC, so an auditor sees the
// same day the engine filed an event under, whatever the browser's zone.

const cache = new Map();
/** One formatter per (kind, locale, options): Intl constructors are slow, formatting is fast. */
function formatter(Kind, locale, options) {
  const key = `${Kind.name}|${locale}|${JSON.stringify(options)}`;
  let found = cache.get(key);
  if (!found) {
    found = new Kind(locale, options);
    cache.set(key, found);
  }
  return found;
}

function finite(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A number with the locale's grouping, `digits` decimals; a dash when there is none. */
export function formatNumber(locale, value, digits = 0) {
  if (!finite(value)) return '–';
  return formatter(Intl.NumberFormat, locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Money in `currency` (ISO 4217): no decimals from 1,000 up, the currency's own below. */
export function formatMoney(locale, value, currency) {
  if (!finite(value)) return '–';
  const options = { style: 'currency', currency, currencyDisplay: 'narrowSymbol' };
  if (Math.abs(value) >= 1000) Object.assign(options, { minimumFractionDigits: 0, maximumFractionDigits: 0 });
  return formatter(Intl.NumberFormat, locale, options).format(value);
}

/** A share 0..1 as a percentage with `digits` decimals. */
export function formatPercent(locale, share, digits = 1) {
  if (!finite(share)) return '–';
  return formatter(Intl.NumberFormat, locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}

/** A duration in hours, as hours below two days and days from there. */
export function formatHours(locale, hours) {
  if (!finite(hours)) return '–';
  const days = Math.abs(hours) >= 48;
  return formatter(Intl.NumberFormat, locale, { style: 'unit', unit: days ? 'day' : 'hour', unitDisplay: 'short', maximumFractionDigits: 1 }).format(days ? hours / 24 : hours);
}

function instant(value) {
  if (value === null || value === undefined || value === '') return null;
  const time = typeof value === 'number' ? value : Date.parse(String(value));
  return Number.isFinite(time) ? new Date(time) : null;
}

/** The UTC calendar day of an instant (ISO string or epoch ms). */
export function formatDate(locale, value) {
  const at = instant(value);
  return at ? formatter(Intl.DateTimeFormat, locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at) : '–';
}

/** Day and time (UTC, to the second when asked) of an instant. */
export function formatDateTime(locale, value, seconds = false) {
  const at = instant(value);
  if (!at) return '–';
  const options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC', timeZoneName: 'short' };
  if (seconds) options.second = '2-digit';
  return formatter(Intl.DateTimeFormat, locale, options).format(at);
}

/** A month (`2026-03` or an instant in it) as the locale names it. */
export function formatMonth(locale, value) {
  const at = instant(/^\d{4}-\d{2}$/.test(String(value)) ? `${value}-01T00:00:00Z` : value);
  return at ? formatter(Intl.DateTimeFormat, locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(at) : '–';
}

/** The short name of a weekday, 0 = Monday. */
export function formatWeekday(locale, index) {
  if (!Number.isInteger(index) || index < 0 || index > 6) return '–';
  return formatter(Intl.DateTimeFormat, locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}
