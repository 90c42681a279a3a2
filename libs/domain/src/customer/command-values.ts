import { InvalidValueError } from '../errors/domain-error';

// Value checks a decider owns whatever the transport: the HTTP DTOs check shapes too, but an import
// or a saga reaching the decider directly must meet the same rules.

/**
 * How long each kind of text in a command may be, in characters: declared once, for the domain's value
 * checks, the HTTP validation and the OpenAPI document (the DTOs' @MaxLength read it).
 */
export const TEXT_LIMITS = {
  /** Free text: notes, descriptions, resolutions, reasons, addresses. */
  text: 10_000,
  /** Ids, names and keys that are not ids (SKUs, categories, topics, escalation targets). */
  id: 200,
  term: 200,
  name: 500,
  email: 320,
  phone: 50,
  /** Acquisition channel, region, city. */
  label: 100,
  erasureReason: 1_000,
  /** Age band, gender, income band. */
  demographic: 50,
} as const;

const MAX_ID = TEXT_LIMITS.id;
const MAX_TEXT = TEXT_LIMITS.text;

// The value rules below are the only ones: the HTTP DTOs' decorators call these predicates and read
// these patterns (apps/engine touchpoints/shared/value-rules.ts), so an import and a request meet one rule.

/** An ISO-8601 timestamp with a time zone, e.g. 2024-05-01T09:30:00Z (seconds and fraction optional). */
const ISO_TIME =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An ISO 4217 currency code: three capital letters. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** Whether `value` is an ISO-8601 timestamp with a time zone naming a day that exists. */
export function isIsoTime(value: unknown): value is string {
  const match = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Required text: a string holding more than white space. */
export const isFilledText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A string of at most `max` characters (UTF-16 code units, as JavaScript counts them). */
export const isTextWithin = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max;

export function requireText(field: string, value: unknown, max: number = MAX_TEXT): string {
  if (!isFilledText(value)) {
    throw new InvalidValueError('value.required', field, `${field} is required and must be a non-empty string`);
  }
  if (!isTextWithin(value, max))
    throw new InvalidValueError('value.too_long', field, `${field} is longer than ${max} characters`);
  return value;
}

/**
 * The one id rule, for every transport (HTTP paths and bodies, imports, jobs): 1-200 characters,
 * URL-safe, starting with a letter or digit, so every recorded id can be named in a URL.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:@-]{0,199}$/;
export const ID_RULE = '1-200 characters: letters, digits and . _ ~ : @ -, starting with a letter or digit';

export function requireId(field: string, value: unknown): string {
  const id = requireText(field, value, MAX_ID);
  if (!ID_PATTERN.test(id)) throw new InvalidValueError('value.invalid_id', field, `${field} must be ${ID_RULE}`);
  return id;
}

/** A name or key up to 200 characters that is not an id (a SKU, a team, a trigger key): any text. */
export const requireName = (field: string, value: unknown): string => requireText(field, value, MAX_ID);

/** Optional text: absent is fine, present must be a string within the length limit. */
export function optionalText(field: string, value: unknown, max: number = MAX_TEXT): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new InvalidValueError('value.required', field, `${field} must be a string`);
  if (!isTextWithin(value, max))
    throw new InvalidValueError('value.too_long', field, `${field} is longer than ${max} characters`);
}

/** Parses an ISO-8601 timestamp with a time zone; returns epoch milliseconds. */
export function requireTime(field: string, value: unknown): number {
  const ms = isIsoTime(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidValueError(
      'value.invalid_time',
      field,
      `${field} must be an ISO-8601 timestamp with a time zone, e.g. 2024-05-01T09:30:00Z`,
    );
  }
  return ms;
}

export function requireEnum<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidValueError('value.invalid_enum', field, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireNumber(
  field: string,
  value: unknown,
  rule: { min?: 'zero' | 'positive'; integer?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidValueError('value.not_a_number', field, `${field} must be a finite number`);
  }
  // A whole number JSON carries exactly: 2^53 + 1 would be stored as a number nobody gave.
  if (rule.integer && !Number.isSafeInteger(value)) {
    throw new InvalidValueError('value.not_an_integer', field, `${field} must be a whole number below 2^53`);
  }
  if (rule.min === 'zero' && value < 0)
    throw new InvalidValueError('value.negative', field, `${field} must not be negative`);
  if (rule.min === 'positive' && value <= 0)
    throw new InvalidValueError('value.not_positive', field, `${field} must be greater than zero`);
  return value;
}

export function optionalEmail(field: string, value: unknown): void {
  if (value === undefined) return;
  requireText(field, value, TEXT_LIMITS.email);
  if (!EMAIL_PATTERN.test(value as string))
    throw new InvalidValueError('value.invalid_email', field, `${field} must look like name@example.com`);
}

export function requireCurrency(field: string, value: unknown): string {
  if (typeof value !== 'string' || !CURRENCY_PATTERN.test(value)) {
    throw new InvalidValueError('currency.invalid', field, `${field} must be an ISO 4217 code such as EUR or CNY`);
  }
  return value;
}

export function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidValueError('value.required', field, `${field} must be true or false`);
  return value;
}
