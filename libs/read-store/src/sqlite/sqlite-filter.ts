import type { Doc, Filter, Scalar, SortKey } from '../read-store.port';

// Translates a validated filter into a WHERE clause over `doc` (JSON text). Paths are validated
// identifiers, so they are inlined (expression indexes only match literal paths); values are bound.

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export const jsonPath = (field: string): string => `'$.${field}'`;
/** The column holding an indexed field's value, kept beside the document (see SqliteReadStore). */
export const fieldColumn = (field: string): string => `"f:${field}"`;

/** Fields of a collection materialised as columns: comparisons and sorts on them use the column. */
export type Columns = ReadonlySet<string>;
const NO_COLUMNS: Columns = new Set();
let columns: Columns = NO_COLUMNS;
const extract = (field: string): string =>
  columns.has(field) ? fieldColumn(field) : `json_extract(doc, ${jsonPath(field)})`;
const withColumns = <T>(set: Columns | undefined, build: () => T): T => {
  const previous = columns;
  columns = set ?? NO_COLUMNS;
  try {
    return build();
  } finally {
    columns = previous;
  }
};
const jsonType = (field: string): string => `json_type(doc, ${jsonPath(field)})`;

function typeGuard(field: string, value: number | string): string {
  return typeof value === 'number' ? `${jsonType(field)} IN ('integer', 'real')` : `${jsonType(field)} = 'text'`;
}

function inValues(field: string, values: Scalar[]): SqlFragment {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (values.some((v) => v === null)) parts.push(`(${jsonType(field)} IS NULL OR ${jsonType(field)} = 'null')`);
  for (const bool of [true, false]) {
    if (values.includes(bool)) parts.push(`${jsonType(field)} = '${bool}'`);
  }
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const strings = values.filter((v): v is string => typeof v === 'string');
  for (const group of [numbers, strings]) {
    const first = group[0];
    if (first === undefined) continue;
    const comparison =
      group.length === 1 ? `${extract(field)} = ?` : `${extract(field)} IN (${group.map(() => '?').join(', ')})`;
    parts.push(`(${comparison} AND ${typeGuard(field, first)})`);
    params.push(...group);
  }
  return { sql: parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`, params };
}

const not = (fragment: SqlFragment): SqlFragment => ({
  sql: `NOT COALESCE(${fragment.sql}, 0)`,
  params: fragment.params,
});

export function filterToSql(filter: Filter, materialised?: Columns): SqlFragment {
  return withColumns(materialised, () => compileFilter(filter));
}

function compileFilter(filter: Filter): SqlFragment {
  if ('and' in filter || 'or' in filter) {
    const [op, parts] = 'and' in filter ? ['AND', filter.and] : ['OR', filter.or];
    const compiled = parts.map(compileFilter);
    return { sql: `(${compiled.map((c) => c.sql).join(` ${op} `)})`, params: compiled.flatMap((c) => c.params) };
  }
  const { field } = filter;
  if ('eq' in filter) return inValues(field, [filter.eq]);
  if ('ne' in filter) return not(inValues(field, [filter.ne]));
  if ('in' in filter) return inValues(field, filter.in);
  if ('nin' in filter) return not(inValues(field, filter.nin));
  if ('exists' in filter) return { sql: `${jsonType(field)} IS ${filter.exists ? 'NOT ' : ''}NULL`, params: [] };
  const bounds = filter as Record<string, number | string | undefined>;
  const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  const parts: string[] = [];
  const params: unknown[] = [];
  let sample: number | string | undefined;
  for (const [op, symbol] of Object.entries(ops)) {
    const bound = bounds[op];
    if (bound === undefined) continue;
    sample = bound;
    parts.push(`${extract(field)} ${symbol} ?`);
    params.push(bound);
  }
  if (sample === undefined) return { sql: '1', params: [] };
  parts.push(typeGuard(field, sample));
  return { sql: `(${parts.join(' AND ')})`, params };
}

/** ORDER BY on the sort keys (NULL/missing first ascending, as SQLite does), then id. */
export function sortToSql(sort: SortKey[], materialised?: Columns): string {
  return withColumns(materialised, () =>
    [...sort.map(({ field, direction }) => `${extract(field)} ${direction.toUpperCase()}`), 'id ASC'].join(', '),
  );
}

/**
 * Rows after a keyset cursor's key in `sortToSql`'s order (NULLs first ascending, last descending, then
 * id ascending): `(f1 after v1) OR (f1 = v1 AND f2 after v2) OR ... OR (all equal AND id > last id)`.
 */
export function afterKeySql(
  sort: SortKey[],
  key: (string | number | boolean | null)[],
  materialised?: Columns,
): { sql: string; params: unknown[] } {
  return withColumns(materialised, () => {
    const branches: string[] = [];
    const params: unknown[] = [];
    const equalSoFar: string[] = [];
    const equalParams: unknown[] = [];
    sort.forEach(({ field, direction }, i) => {
      const column = extract(field);
      const value = sqlValue(key[i]);
      const after =
        direction === 'asc'
          ? value === null
            ? { sql: `${column} IS NOT NULL`, params: [] }
            : { sql: `${column} > ?`, params: [value] }
          : value === null
            ? null // NULLs come last descending: nothing is after a NULL but equal ones
            : { sql: `(${column} < ? OR ${column} IS NULL)`, params: [value] };
      if (after) {
        branches.push([...equalSoFar, after.sql].join(' AND '));
        params.push(...equalParams, ...after.params);
      }
      equalSoFar.push(value === null ? `${column} IS NULL` : `${column} = ?`);
      if (value !== null) equalParams.push(value);
    });
    branches.push([...equalSoFar, 'id > ?'].join(' AND '));
    params.push(...equalParams, key[sort.length]);
    // The same bound once more as a plain range on the first key, which SQLite can seek in its index
    // (it does not for the OR chain alone, and every page would scan the collection).
    const first = sort[0];
    const firstValue = sqlValue(key[0]);
    if (first && firstValue !== null) {
      const column = extract(first.field);
      const bound = first.direction === 'asc' ? `${column} >= ?` : `(${column} <= ? OR ${column} IS NULL)`;
      return { sql: `${bound} AND (${branches.map((b) => `(${b})`).join(' OR ')})`, params: [firstValue, ...params] };
    }
    return { sql: `(${branches.map((b) => `(${b})`).join(' OR ')})`, params };
  });
}

const sqlValue = (value: string | number | boolean | null | undefined): string | number | null =>
  value === undefined || value === null ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;

export const indexExpression = (fields: string[], materialised?: Columns): string =>
  withColumns(materialised, () => fields.map(extract).join(', '));

/**
 * The value `json_extract(doc, '$.<field>')` would give, for a field's column: booleans as 0/1,
 * objects and arrays as JSON text, missing as NULL.
 */
export function columnValue(doc: Doc, field: string): string | number | null {
  let value: unknown = doc;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      return value === null ? null : JSON.stringify(value);
    default:
      return null;
  }
}
