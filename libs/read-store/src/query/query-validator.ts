import { InvalidQueryError } from '../errors';
import type { Filter, Scalar, SortKey } from '../read-store.port';

/** Dot-separated identifiers; no `$`, no leading underscore (reserved for the adapters). */
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const RANGE_OPS = ['gt', 'gte', 'lt', 'lte'] as const;
const FIELD_OPS = ['eq', 'ne', 'in', 'nin', 'exists', ...RANGE_OPS] as const;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 50;
const MAX_DEPTH = 8;
const MAX_IN_VALUES = 1000;

/** A filter that passed validation: the only shape adapters translate. */
export type ValidFilter = Filter;

export interface ValidFindQuery {
  filter?: Filter;
  sort: SortKey[];
  limit: number;
  cursor?: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

const isScalar = (value: unknown): value is Scalar =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

export function validateFieldPath(field: unknown, path: string): string {
  if (typeof field !== 'string' || !FIELD_PATH.test(field) || field.length > 200) {
    throw new InvalidQueryError(
      path,
      `field must be a dot path of identifiers (${FIELD_PATH.source}), got ${JSON.stringify(field)}`,
    );
  }
  return field;
}

/**
 * Checks a filter against the language: `{and}`, `{or}`, or `{field, <op>}` with one of eq, ne, in,
 * nin, exists or a range (gt/gte/lt/lte, numbers or strings). Anything else throws InvalidQueryError.
 */
export function validateFilter(filter: unknown, path = 'filter', depth = 0): Filter {
  if (depth > MAX_DEPTH) throw new InvalidQueryError(path, `nesting deeper than ${MAX_DEPTH}`);
  if (!isPlainObject(filter)) throw new InvalidQueryError(path, 'must be an object');
  const keys = Object.keys(filter);
  if ('and' in filter || 'or' in filter) {
    const op = 'and' in filter ? 'and' : 'or';
    if (keys.length !== 1) throw new InvalidQueryError(path, `"${op}" must be the only key, got ${keys.join(', ')}`);
    const parts = filter[op];
    if (!Array.isArray(parts) || parts.length === 0)
      throw new InvalidQueryError(`${path}.${op}`, 'must be a non-empty array');
    return { [op]: parts.map((part, i) => validateFilter(part, `${path}.${op}[${i}]`, depth + 1)) } as Filter;
  }
  if (!('field' in filter))
    throw new InvalidQueryError(path, `must have "and", "or" or "field"; got ${keys.join(', ') || 'nothing'}`);
  const field = validateFieldPath(filter.field, `${path}.field`);
  const ops = keys.filter((k) => k !== 'field');
  for (const op of ops) {
    if (!(FIELD_OPS as readonly string[]).includes(op)) {
      throw new InvalidQueryError(`${path}.${op}`, `unknown operator; allowed: ${FIELD_OPS.join(', ')}`);
    }
  }
  if (ops.length === 0) throw new InvalidQueryError(path, `needs an operator: ${FIELD_OPS.join(', ')}`);
  const isRange = ops.every((op) => (RANGE_OPS as readonly string[]).includes(op));
  if (!isRange && ops.length !== 1)
    throw new InvalidQueryError(path, `one operator per condition, got ${ops.join(', ')}`);
  const op = ops[0] as (typeof FIELD_OPS)[number];
  if (isRange) {
    const range: Record<string, unknown> = { field };
    let kind: string | undefined;
    for (const r of ops) {
      const value = filter[r];
      const valid = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string';
      if (!valid) throw new InvalidQueryError(`${path}.${r}`, 'must be a finite number or a string');
      if (kind !== undefined && typeof value !== kind)
        throw new InvalidQueryError(`${path}.${r}`, 'range bounds must all be numbers or all strings');
      kind = typeof value;
      range[r] = value;
    }
    return range as Filter;
  }
  const value = filter[op];
  switch (op) {
    case 'eq':
    case 'ne':
      if (!isScalar(value))
        throw new InvalidQueryError(`${path}.${op}`, 'must be a string, finite number, boolean or null');
      return { field, [op]: value } as Filter;
    case 'in':
    case 'nin':
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) {
        throw new InvalidQueryError(`${path}.${op}`, `must be an array of 1 to ${MAX_IN_VALUES} values`);
      }
      value.forEach((v, i) => {
        if (!isScalar(v))
          throw new InvalidQueryError(`${path}.${op}[${i}]`, 'must be a string, finite number, boolean or null');
      });
      return { field, [op]: [...value] } as Filter;
    case 'exists':
      if (typeof value !== 'boolean') throw new InvalidQueryError(`${path}.exists`, 'must be true or false');
      return { field, exists: value };
    default:
      throw new InvalidQueryError(`${path}.${op}`, 'unknown operator');
  }
}

export function validateSort(sort: unknown, path = 'sort'): SortKey[] {
  if (sort === undefined) return [];
  if (!Array.isArray(sort)) throw new InvalidQueryError(path, 'must be an array of {field, direction}');
  if (sort.length > 4) throw new InvalidQueryError(path, 'at most 4 sort keys');
  return sort.map((key, i) => {
    if (!isPlainObject(key)) throw new InvalidQueryError(`${path}[${i}]`, 'must be {field, direction}');
    const extra = Object.keys(key).filter((k) => k !== 'field' && k !== 'direction');
    if (extra.length > 0)
      throw new InvalidQueryError(`${path}[${i}].${extra[0]}`, 'unknown key; allowed: field, direction');
    const field = validateFieldPath(key.field, `${path}[${i}].field`);
    const direction = key.direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc')
      throw new InvalidQueryError(`${path}[${i}].direction`, 'must be "asc" or "desc"');
    return { field, direction };
  });
}

/** Validates a whole find query; fills the default limit. */
export function validateFindQuery(query: unknown): ValidFindQuery {
  if (!isPlainObject(query)) throw new InvalidQueryError('query', 'must be an object');
  const extra = Object.keys(query).filter((k) => !['filter', 'sort', 'limit', 'cursor'].includes(k));
  if (extra.length > 0)
    throw new InvalidQueryError(extra[0] as string, 'unknown key; allowed: filter, sort, limit, cursor');
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidQueryError('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
  }
  if (query.cursor !== undefined && typeof query.cursor !== 'string')
    throw new InvalidQueryError('cursor', 'must be a string');
  return {
    ...(query.filter === undefined ? {} : { filter: validateFilter(query.filter) }),
    sort: validateSort(query.sort),
    limit,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  };
}
