import type { Doc, Filter, Scalar, SortKey } from '../read-store.port';

// The filter language evaluated in JavaScript, with the semantics every adapter shares:
// `eq: null` matches null or missing; `ne`/`nin` match missing fields; ranges compare only values
// of the bound's type; `exists` is true for null too. Equality is on scalars, never element-wise.

export function valueAt(doc: unknown, field: string): unknown {
  let current: unknown = doc;
  for (const key of field.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function equals(value: unknown, expected: Scalar): boolean {
  if (expected === null) return value === null || value === undefined;
  return value === expected;
}

export function matchesFilter(doc: Doc, filter: Filter | undefined): boolean {
  if (filter === undefined) return true;
  if ('and' in filter) return filter.and.every((f) => matchesFilter(doc, f));
  if ('or' in filter) return filter.or.some((f) => matchesFilter(doc, f));
  const value = valueAt(doc, filter.field);
  if ('eq' in filter) return equals(value, filter.eq);
  if ('ne' in filter) return !equals(value, filter.ne);
  if ('in' in filter) return filter.in.some((v) => equals(value, v));
  if ('nin' in filter) return !filter.nin.some((v) => equals(value, v));
  if ('exists' in filter) return (value !== undefined) === filter.exists;
  const bounds = filter as { gt?: number | string; gte?: number | string; lt?: number | string; lte?: number | string };
  const inType = (bound: number | string | undefined): boolean => bound === undefined || typeof value === typeof bound;
  if (!inType(bounds.gt) || !inType(bounds.gte) || !inType(bounds.lt) || !inType(bounds.lte)) return false;
  const v = value as number | string;
  return (
    (bounds.gt === undefined || v > bounds.gt) &&
    (bounds.gte === undefined || v >= bounds.gte) &&
    (bounds.lt === undefined || v < bounds.lt) &&
    (bounds.lte === undefined || v <= bounds.lte)
  );
}

const typeRank = (value: unknown): number =>
  value === null || value === undefined
    ? 0
    : typeof value === 'number'
      ? 1
      : typeof value === 'string'
        ? 2
        : typeof value === 'boolean'
          ? 3
          : 4;

function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0 || ra === 4) return 0;
  const x = a as number | string | boolean;
  const y = b as number | string | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts by the keys (missing and null first when ascending), then by id ascending. */
export function compareDocs(sort: SortKey[]): (a: Doc, b: Doc) => number {
  return (a, b) => {
    for (const { field, direction } of sort) {
      const c = compareValues(valueAt(a, field), valueAt(b, field));
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
