// Calendar periods in UTC: months, and ISO weeks starting Monday 00:00.
import { DAY_MS } from '@rapport/domain';

export type PeriodKind = 'week' | 'month';

export interface Period {
  name: string;
  start: number;
  end: number;
}

export function periodStart(kind: PeriodKind, ms: number): number {
  const d = new Date(ms);
  if (kind === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

export function nextPeriodStart(kind: PeriodKind, start: number): number {
  if (kind === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** `2026-03` for a month, `2026-W09` for an ISO week (the year of its Thursday). */
export function periodName(kind: PeriodKind, start: number): string {
  const d = new Date(start);
  if (kind === 'month') return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const thursday = new Date(start + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The periods holding `fromMs` .. `toMs`, the first starting at or before `fromMs`. */
export function periodsBetween(kind: PeriodKind, fromMs: number, toMs: number): Period[] {
  const out: Period[] = [];
  for (let s = periodStart(kind, fromMs); s <= toMs; s = nextPeriodStart(kind, s))
    out.push({ name: periodName(kind, s), start: s, end: nextPeriodStart(kind, s) });
  return out;
}

/** The `count` periods ending with the one holding `ms`. */
export function lastPeriods(kind: PeriodKind, ms: number, count: number): Period[] {
  let s = periodStart(kind, ms);
  for (let i = 1; i < count; i++) s = periodStart(kind, s - 1);
  return periodsBetween(kind, s, ms);
}

/** Index of the period holding `t` (starts ascending, contiguous), or -1. */
export function periodIndex(starts: readonly number[], ends: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0 || t < starts[0]! || t >= ends[hi]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// Periods numbered from the epoch, read from a time with integer arithmetic (no Date): the KPI index
// numbers a million records a query.
const WEEK = 7 * DAY_MS;
/** 1970-01-05, a Monday: week 0 of the numbering. */
const MONDAY0 = 4 * DAY_MS;

/** Months since year 0 (y × 12 + m), or weeks since 1970-01-05, of the period holding `ms`. */
export function periodNumber(kind: PeriodKind, ms: number): number {
  if (kind === 'week') return Math.floor((ms - MONDAY0) / WEEK);
  // H. Hinnant's civil_from_days, year and month only.
  const z = Math.floor(ms / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 2 : mp - 10; // 0-based
  const y = yoe + era * 400 + (m <= 1 ? 1 : 0);
  return y * 12 + m;
}

/** Start (ms) of the period numbered `n`. */
export const periodNumberStart = (kind: PeriodKind, n: number): number =>
  kind === 'week' ? MONDAY0 + n * WEEK : Date.UTC(Math.floor(n / 12), ((n % 12) + 12) % 12, 1);
