import { applyDecorators } from '@nestjs/common';
import { CURRENCY_PATTERN, EMAIL_PATTERN, isFilledText, isIsoTime, isTextWithin } from '@rapport/domain';
import { IsOptional, IsString, Matches } from 'class-validator';
import { MayBeAbsent, namedRule } from '../../http/named-rules';
import { ID_MESSAGE, ID_PATTERN } from './id-pattern';

// The command DTOs' value rules, each the domain's own predicate or pattern: what HTTP refuses, an
// import refuses too (command-validation-agreement.unit.spec.ts walks every route to prove it).

/** Text holding more than white space (non-strings are IsString's to name). */
export const NotBlank = namedRule<void>(
  'notBlank',
  (value) => typeof value !== 'string' || isFilledText(value),
  () => 'must hold more than white space',
  () => ({ minLength: 1 }),
);

/** At most `max` characters, counted as the domain counts them (UTF-16 code units). */
export const MaxChars = namedRule<number>(
  'maxChars',
  (value, max) => typeof value !== 'string' || isTextWithin(value, max),
  (max) => `must be at most ${max} characters long`,
  (max) => ({ maxLength: max }),
);

/** An ISO-8601 timestamp with a time zone naming a day that exists. */
export const IsTime = namedRule<void>(
  'isTime',
  (value) => isIsoTime(value),
  () => 'must be an ISO-8601 timestamp with a time zone, e.g. 2026-11-20T09:30:00Z',
  () => ({ type: 'string', format: 'date-time' }),
);

/** Required text of at most `max` characters. */
export const Text = (max: number): PropertyDecorator => applyDecorators(IsString(), NotBlank(), MaxChars(max));

/** Text that may be left out (or empty) of at most `max` characters. */
export const OptionalText = (max: number): PropertyDecorator =>
  applyDecorators(MayBeAbsent(), IsString(), MaxChars(max));

/** The one id rule, in bodies and paths alike. */
export const Id = (): PropertyDecorator => Matches(ID_PATTERN, { message: ID_MESSAGE });

/** The domain's e-mail pattern (documented as an e-mail in OpenAPI). */
const IsEmailAddress = namedRule<void>(
  'email',
  (value) => typeof value === 'string' && EMAIL_PATTERN.test(value),
  () => 'must look like name@example.com',
  () => ({ type: 'string', format: 'email', pattern: EMAIL_PATTERN.source }),
);

export const Email = (max: number): PropertyDecorator => applyDecorators(IsEmailAddress(), MaxChars(max));

export const Currency = (): PropertyDecorator =>
  Matches(CURRENCY_PATTERN, { message: '$property must be an ISO 4217 code: three capital letters' });

export { MayBeAbsent };

/** A field the route fills in when it is absent or null (the calling key, the time of recording). */
export const Defaulted = (): PropertyDecorator => IsOptional();
