// Day arithmetic on epoch milliseconds (UTC, as Date counts: every day 86,400 s), the one definition
// the read models, jobs and tests share.

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of a time in epoch milliseconds. */
export const epochDay = (ms: number): number => Math.floor(ms / DAY_MS);

/** Days from one time to another, fractional (negative when `toMs` is earlier). */
export const daysBetween = (fromMs: number, toMs: number): number => (toMs - fromMs) / DAY_MS;

/** The time `days` days after `ms` (before it when negative). */
export const addDays = (ms: number, days: number): number => ms + days * DAY_MS;
