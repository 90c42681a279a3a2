import { getMetadataStorage, ValidateBy, ValidationTypes, type ValidationOptions } from 'class-validator';
import type { JsonSchema } from './dto-json-schema';

// class-validator exports the metadata class from its CommonJS build only.
const { ValidationMetadata } = require('class-validator/cjs/metadata/ValidationMetadata') as {
  ValidationMetadata: new (args: object) => never;
};

interface NamedRule {
  check: (value: unknown, constraint: never) => boolean;
  documented: (constraint: never) => JsonSchema;
}

const RULES = new Map<string, NamedRule>();

/**
 * A class-validator rule that calls one function (a domain predicate), so HTTP and the domain run the
 * same code. The compiled schema calls it by name (see CLASS_VALIDATOR_KEYWORD); `documented` is what
 * the OpenAPI document states of it and must follow from `check` (ajv applies it too).
 */
export function namedRule<C>(
  name: string,
  check: (value: unknown, constraint: C) => boolean,
  message: (constraint: C) => string,
  documented: (constraint: C) => JsonSchema,
): (constraint: C, options?: ValidationOptions) => PropertyDecorator {
  if (RULES.has(name)) throw new Error(`rule ${name} is declared twice`);
  RULES.set(name, { check, documented } as NamedRule);
  return (constraint, options) =>
    ValidateBy(
      {
        name,
        constraints: [constraint],
        validator: {
          validate: (value: unknown) => check(value, constraint),
          defaultMessage: () => `$property ${message(constraint)}`,
        },
      },
      options,
    );
}

export const namedRuleOf = (name: string | undefined): NamedRule | undefined =>
  name === undefined ? undefined : RULES.get(name);

export const MAY_BE_ABSENT = 'mayBeAbsent';

/**
 * Like `@IsOptional()`, for absence only: an absent property skips its rules, but `null` meets them
 * (and is refused), as the domain refuses a null where a value may be left out.
 */
export const MayBeAbsent =
  (options?: ValidationOptions): PropertyDecorator =>
  (target, propertyName) => {
    getMetadataStorage().addValidationMetadata(
      new ValidationMetadata({
        type: ValidationTypes.CONDITIONAL_VALIDATION,
        name: MAY_BE_ABSENT,
        target: target.constructor,
        propertyName,
        constraints: [(object: Record<string | symbol, unknown>) => object[propertyName] !== undefined],
        validationOptions: options,
      }),
    );
  };
