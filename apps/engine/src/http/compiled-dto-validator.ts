import Ajv, { type Options, type ValidateFunction } from 'ajv';
import {
  IS_EMAIL,
  IS_ISO8601,
  isEmail,
  isISO8601,
  MAX_LENGTH,
  maxLength,
  MIN_LENGTH,
  minLength,
} from 'class-validator';
import { CLASS_VALIDATOR_KEYWORD, dtoJsonSchema, UnsupportedRuleError, type DtoClass } from './dto-json-schema';
import { namedRuleOf } from './named-rules';

// The class-validator functions a schema may call by name (see CLASS_VALIDATOR_KEYWORD).
const CALLABLE_RULES: Record<string, (value: unknown, constraint: never) => boolean> = {
  [IS_EMAIL]: isEmail,
  [IS_ISO8601]: isISO8601,
  [MIN_LENGTH]: minLength,
  [MAX_LENGTH]: maxLength,
};

/**
 * Set up to mean what class-validator means: no type coercion, no defaults, nothing removed; patterns
 * without the `u` flag, as validator.js runs them.
 */
function createAjv(): Ajv {
  const options: Options = {
    allErrors: false,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    unicodeRegExp: false,
    strictTypes: false,
    // The formats only document the field; the exact check is the class-validator call beside them.
    formats: { email: true, 'date-time': true },
    code: { optimize: true },
  };
  const ajv = new Ajv(options);
  ajv.addKeyword({
    keyword: CLASS_VALIDATOR_KEYWORD,
    schemaType: 'object',
    errors: false,
    compile: ({ rule, constraints }: { rule: string; constraints: [unknown] }) => {
      const check = CALLABLE_RULES[rule] ?? namedRuleOf(rule)?.check;
      if (!check) throw new UnsupportedRuleError(`no callable rule ${rule}`);
      const [constraint] = constraints as [never];
      return (value: unknown) => check(value, constraint);
    },
  });
  return ajv;
}

export type CompiledCheck = (value: unknown) => boolean;

const ajv = createAjv();
const compiled = new WeakMap<DtoClass, CompiledCheck | null>();

/**
 * The DTO's class-validator rules compiled once into one JSON Schema validator: true means class-validator
 * would accept `value` as it is (so the request needs neither class-transformer nor class-validator);
 * false means it must decide, and name the fields. Null for a DTO whose rules have no exact schema.
 */
export function compiledDtoCheck(target: DtoClass): CompiledCheck | null {
  let check = compiled.get(target);
  if (check === undefined) {
    check = compile(target);
    compiled.set(target, check);
  }
  return check;
}

function compile(target: DtoClass): CompiledCheck | null {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(dtoJsonSchema(target));
  } catch (error) {
    if (error instanceof UnsupportedRuleError) return null;
    throw error;
  }
  return (value) => validate(value);
}
