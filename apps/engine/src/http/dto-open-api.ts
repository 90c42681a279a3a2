import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import {
  CLASS_VALIDATOR_KEYWORD,
  dtoJsonSchema,
  UnsupportedRuleError,
  type DtoClass,
  type JsonSchema,
} from './dto-json-schema';

type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

// JSON Schema keywords OpenAPI 3.0 reads as they are.
const DOCUMENTED = [
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minItems',
  'maxItems',
  'format',
];

/**
 * The rules each request DTO's schema in the OpenAPI document states, taken from the same
 * class-validator declarations the compiled validation runs (dtoJsonSchema), so the two cannot drift:
 * patterns, enums, bounds, lengths, sizes, integers. `@ApiProperty` keeps the descriptions and examples.
 */
export function documentValidationRules(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const target of validatedClasses()) {
    const documented = schemas[target.name];
    if (!documented || !('properties' in documented) || !documented.properties) continue;
    let derived: JsonSchema;
    try {
      derived = dtoJsonSchema(target);
    } catch (error) {
      if (error instanceof UnsupportedRuleError) continue;
      throw error;
    }
    const properties = derived['properties'] as Record<string, JsonSchema>;
    for (const [name, property] of Object.entries(documented.properties)) {
      const rules = properties[name];
      if (rules && !('$ref' in property)) Object.assign(property, documentedRules(rules));
    }
  }
  return document;
}

/** Classes with class-validator rules, each name once (a name two classes share is left as it is). */
function validatedClasses(): DtoClass[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> };
  const classes = [...storage.validationMetadatas.keys()].filter((k): k is DtoClass => typeof k === 'function');
  const names = classes.map((c) => c.name);
  return classes.filter((c) => names.indexOf(c.name) === names.lastIndexOf(c.name));
}

/** One property's rules as OpenAPI keywords (an optional property's `null` branch left out). */
function documentedRules(schema: JsonSchema): Schemas[string] {
  const out: Record<string, unknown> = {};
  const parts = [schema];
  for (let part = parts.pop(); part !== undefined; part = parts.pop()) {
    parts.push(...((part['allOf'] ?? []) as JsonSchema[]), ...((part['anyOf'] ?? []) as JsonSchema[]));
    if (part['type'] === 'integer') out['type'] = 'integer';
    for (const keyword of DOCUMENTED) if (part[keyword] !== undefined) out[keyword] = part[keyword];
    const call = part[CLASS_VALIDATOR_KEYWORD] as { rule: string; constraints: unknown[] } | undefined;
    if (call?.rule === 'minLength' || call?.rule === 'maxLength') out[call.rule] = call.constraints[0];
  }
  return out;
}
