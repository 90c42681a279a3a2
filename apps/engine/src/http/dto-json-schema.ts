import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  getMetadataStorage,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_EMAIL,
  IS_IN,
  IS_INT,
  IS_ISO8601,
  IS_NUMBER,
  IS_OBJECT,
  IS_OPTIONAL,
  IS_POSITIVE,
  IS_STRING,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  MIN_LENGTH,
  ValidationTypes,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import { IS_SAFE_INTEGER } from '../touchpoints/shared/is-safe-integer';
import { MAY_BE_ABSENT, namedRuleOf } from './named-rules';

// class-transformer exports its metadata storage from its CommonJS build only.
const { defaultMetadataStorage: transformerStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerStorage;
};

export type JsonSchema = Record<string, unknown>;
export type DtoClass = abstract new (...args: never[]) => object;

/**
 * A rule the compiled validator checks by calling class-validator's own function (`{ rule, constraints }`):
 * where JSON Schema means something else. validator.js counts a string's length in code points less
 * variation selectors (JSON Schema: code points), and its e-mail and ISO-8601 grammars are its own.
 */
export const CLASS_VALIDATOR_KEYWORD = 'x-class-validator';

/** A DTO the schema cannot express exactly: it stays with class-validator alone. */
export class UnsupportedRuleError extends Error {
  override readonly name = 'UnsupportedRuleError';
}

const unsupported = (meta: ValidationMetadata, why: string): never => {
  throw new UnsupportedRuleError(`${(meta.target as { name?: string }).name}.${meta.propertyName}: ${why}`);
};

/** One class-validator rule as the JSON Schema accepting exactly the values it accepts. */
function ruleSchema(meta: ValidationMetadata): JsonSchema {
  const [first, second] = (meta.constraints ?? []) as unknown[];
  switch (meta.name) {
    case IS_STRING:
      return { type: 'string' };
    case MIN_LENGTH:
    case MAX_LENGTH:
      return { type: 'string', [CLASS_VALIDATOR_KEYWORD]: { rule: meta.name, constraints: [first] } };
    case MATCHES: {
      // validator.js matches with `String.prototype.match`; without flags that is the pattern's test.
      if (!(first instanceof RegExp) || first.flags !== '' || second !== undefined)
        return unsupported(meta, 'a pattern with flags');
      return { type: 'string', pattern: first.source };
    }
    case IS_IN: {
      const values = first as unknown[];
      if (values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
        return unsupported(meta, 'isIn over values JSON cannot compare by identity');
      return { enum: [...values] };
    }
    case IS_BOOLEAN:
      return { type: 'boolean' };
    case IS_NUMBER:
      // NaN and Infinity cannot come from JSON; decimal places have no JSON Schema rule.
      if ((first as { maxDecimalPlaces?: number } | undefined)?.maxDecimalPlaces !== undefined)
        return unsupported(meta, 'isNumber with maxDecimalPlaces');
      return { type: 'number' };
    case IS_INT:
      return { type: 'integer' };
    case IS_SAFE_INTEGER:
      return { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
    case MIN:
      return { type: 'number', minimum: first };
    case MAX:
      return { type: 'number', maximum: first };
    case IS_POSITIVE:
      return { type: 'number', exclusiveMinimum: 0 };
    case IS_ARRAY:
      return { type: 'array' };
    case ARRAY_MIN_SIZE:
      return { type: 'array', minItems: first };
    case ARRAY_MAX_SIZE:
      return { type: 'array', maxItems: first };
    case IS_OBJECT:
      return { type: 'object' };
    case IS_EMAIL:
      return { type: 'string', format: 'email', [CLASS_VALIDATOR_KEYWORD]: { rule: IS_EMAIL, constraints: [first] } };
    case IS_ISO8601:
      return {
        type: 'string',
        format: 'date-time',
        [CLASS_VALIDATOR_KEYWORD]: { rule: IS_ISO8601, constraints: [first] },
      };
    default: {
      // A rule that calls a domain predicate: the schema calls the same function.
      const named = namedRuleOf(meta.name);
      if (named)
        return {
          ...named.documented(first as never),
          [CLASS_VALIDATOR_KEYWORD]: { rule: meta.name, constraints: [first] },
        };
      return unsupported(meta, `no exact JSON Schema for ${meta.name ?? meta.type}`);
    }
  }
}

/** The class a `@ValidateNested()` property holds, from its `@Type()`. */
function nestedClass(meta: ValidationMetadata): DtoClass {
  const type = transformerStorage.findTypeMetadata(meta.target as DtoClass, meta.propertyName);
  const nested = type?.typeFunction() as DtoClass | undefined;
  if (typeof nested !== 'function' || type.options?.discriminator) return unsupported(meta, 'nested without a @Type');
  return nested;
}

/** class-transformer work the compiled path would skip: anything but `@Type` on a nested property. */
function refuseTransforms(target: DtoClass, properties: Iterable<string>, nested: Set<string>): void {
  if (transformerStorage.getStrategy(target) !== 'none' || transformerStorage.getExposedMetadatas(target).length > 0)
    throw new UnsupportedRuleError(`${target.name}: @Expose/@Exclude`);
  for (const property of properties) {
    const transforms = [1, 0].flatMap((direction) =>
      transformerStorage.findTransformMetadatas(target, property, direction),
    );
    if (transforms.length > 0 || transformerStorage.findExcludeMetadata(target, property))
      throw new UnsupportedRuleError(`${target.name}.${property}: @Transform/@Exclude`);
    if (!nested.has(property) && transformerStorage.findTypeMetadata(target, property))
      throw new UnsupportedRuleError(`${target.name}.${property}: @Type on a value that is not nested`);
  }
}

/** The rules of one property as one schema; `allOf` only where two rules set one keyword differently. */
function merged(parts: JsonSchema[]): JsonSchema {
  const schema: JsonSchema = {};
  for (const part of parts) {
    for (const [keyword, value] of Object.entries(part)) {
      const existing = schema[keyword];
      if (existing === undefined || existing === value) schema[keyword] = value;
      // An integer is a number: the narrower type holds both rules.
      else if (keyword === 'type' && [existing, value].every((t) => t === 'number' || t === 'integer'))
        schema[keyword] = 'integer';
      else return { allOf: parts };
    }
  }
  return schema;
}

function propertySchema(metas: ValidationMetadata[]): { schema: JsonSchema; optional: boolean; nested: boolean } {
  const parts: JsonSchema[] = [];
  let optional = false;
  let nullable = false;
  let nested = false;
  for (const meta of metas) {
    if (meta.always) unsupported(meta, '`always`');
    if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      if (meta.name !== IS_OPTIONAL && meta.name !== MAY_BE_ABSENT) unsupported(meta, '@ValidateIf');
      optional = true;
      nullable ||= meta.name === IS_OPTIONAL;
    } else if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      // class-validator walks into any array it finds here (an array for the object, arrays in the
      // list); the schema takes objects only, and leaves the rest to class-validator, which answers as before.
      nested = true;
      const child = dtoJsonSchema(nestedClass(meta));
      parts.push(meta.each ? { type: 'array', items: child } : child);
    } else if (meta.type === ValidationTypes.CUSTOM_VALIDATION) {
      // `each`: every element of an array must pass; a value that is no array must pass itself.
      const rule = ruleSchema(meta);
      parts.push(meta.each ? { if: { type: 'array' }, then: { items: rule }, else: rule } : rule);
    } else {
      unsupported(meta, `validation type ${meta.type}`);
    }
  }
  const rules = merged(parts);
  // @IsOptional: null and undefined skip every rule of the property; @MayBeAbsent: undefined only.
  return { schema: nullable ? { anyOf: [{ type: 'null' }, rules] } : rules, optional, nested };
}

/**
 * The JSON Schema accepting exactly the plain values class-validator accepts for `target` when the
 * engine validates a request (`whitelist`, `forbidNonWhitelisted`): every decorated property, no other;
 * a property is required unless `@IsOptional()`. Throws UnsupportedRuleError for a rule it cannot
 * express exactly, so such a DTO keeps class-validator alone.
 */
export function dtoJsonSchema(target: DtoClass): JsonSchema {
  const storage = getMetadataStorage();
  const byProperty = storage.groupByPropertyName(
    storage.getTargetValidationMetadatas(target as never, '', false, false, undefined),
  );
  const names = Object.keys(byProperty);
  if (names.length === 0) throw new UnsupportedRuleError(`${target.name}: no validation rules`);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const nested = new Set<string>();
  for (const name of names) {
    const metas = (byProperty[name] ?? []).filter((m) => m.type !== ValidationTypes.WHITELIST);
    if (metas.some((m) => m.type === ValidationTypes.IS_DEFINED)) throw new UnsupportedRuleError(`${name}: @IsDefined`);
    const property = propertySchema(metas);
    // A property with only `@Allow()` takes any value.
    properties[name] = property.schema;
    if (property.nested) nested.add(name);
    // Absent is refused by every value rule; class-validator lets it through a nested rule alone.
    if (!property.optional && metas.some((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)) required.push(name);
  }
  refuseTransforms(target, names, nested);
  return { type: 'object', properties, required, additionalProperties: false };
}
