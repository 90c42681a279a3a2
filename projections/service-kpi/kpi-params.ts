import { AnalystQueryError } from '@rapport/projection-engine';

// Reading the parameters the KPI, driver and cohort queries share; anything else is an AnalystQueryError naming it.

export const KPI_DIMENSIONS = ['region', 'city', 'channel', 'acquisitionChannel', 'tier', 'stage', 'agent'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

export function rejectUnknown(params: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(params).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new AnalystQueryError(unknown, 'unknown parameter');
}

/** An ISO-8601 time (or `YYYY-MM` when `month` is allowed) as ms, or undefined when absent. */
export function timeParam(params: Record<string, unknown>, field: string, month = false): number | undefined {
  const value = params[field];
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (month && /^\d{4}-\d{2}$/.test(value)) {
      const ms = Date.parse(`${value}-01T00:00:00.000Z`);
      if (!Number.isNaN(ms)) return ms;
    }
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  throw new AnalystQueryError(field, month ? 'must be an ISO-8601 time or YYYY-MM' : 'must be an ISO-8601 time');
}

export function intParam(
  params: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = params[field];
  if (value === undefined) return fallback;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AnalystQueryError(field, `must be an integer from ${min} to ${max}`);
  return n;
}

export function oneOf<T extends string>(
  params: Record<string, unknown>,
  field: string,
  values: readonly T[],
  fallback: T | undefined,
): T | undefined {
  const value = params[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw new AnalystQueryError(field, `must be one of ${values.join(', ')}`);
  return value as T;
}

export interface AsOfParams {
  asOfMs: number;
  knownAtMs: number | undefined;
}

/** `asOf` (default `nowMs`) and `knownAt`; an as-of in the future is clipped to now (nothing has occurred there yet). */
export function asOfParams(params: Record<string, unknown>, nowMs: number): AsOfParams {
  const asOf = timeParam(params, 'asOf') ?? nowMs;
  const knownAtMs = timeParam(params, 'knownAt');
  return { asOfMs: Math.min(asOf, nowMs), knownAtMs: knownAtMs === undefined ? undefined : Math.min(knownAtMs, nowMs) };
}
