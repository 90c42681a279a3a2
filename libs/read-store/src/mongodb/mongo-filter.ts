import type { Filter as MongoFilter, Sort } from 'mongodb';
import type { Filter, Scalar, SortKey } from '../read-store.port';

// Builds a Mongo query only from the language's operators ($eq, $ne, $in, $nin, $exists, ranges,
// $and, $or) over validated field paths: nothing from the caller becomes an operator by itself.

export interface StoredShape {
  _id: string;
  _pos: number;
  /** Present (true) on live documents, absent on tombstones. */
  _live?: true;
  [field: string]: unknown;
}

export function filterToMongo(filter: Filter): MongoFilter<StoredShape> {
  if ('and' in filter) return { $and: filter.and.map(filterToMongo) };
  if ('or' in filter) return { $or: filter.or.map(filterToMongo) };
  const { field } = filter;
  if ('eq' in filter) return { [field]: { $eq: filter.eq } };
  if ('ne' in filter) return { [field]: { $ne: filter.ne } };
  if ('in' in filter) return { [field]: { $in: [...filter.in] } };
  if ('nin' in filter) return { [field]: { $nin: [...filter.nin] } };
  if ('exists' in filter) return { [field]: { $exists: filter.exists } };
  const bounds = filter as Record<string, number | string | undefined>;
  const range: Record<string, number | string> = {};
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const bound = bounds[op];
    if (bound !== undefined) range[`$${op}`] = bound;
  }
  return { [field]: range };
}

export function liveFilter(filter: Filter | undefined): MongoFilter<StoredShape> {
  return filter ? { $and: [{ _live: true }, filterToMongo(filter)] } : { _live: true };
}

export function sortToMongo(sort: SortKey[]): Sort {
  const spec: Record<string, 1 | -1> = {};
  for (const { field, direction } of sort) spec[field] = direction === 'asc' ? 1 : -1;
  spec._id = 1;
  return spec;
}

/** A sort value as a cursor keeps it: missing is null (MongoDB orders both first ascending). */
export const keyValue = (value: unknown): Scalar =>
  value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : (value as Scalar);

/**
 * Documents after a keyset cursor's key in `sortToMongo`'s order (null and missing first ascending,
 * last descending, then `_id` ascending), as one `$or` of "equal on the earlier keys, after on this one".
 */
export function afterKeyMongo(sort: SortKey[], key: Scalar[]): MongoFilter<StoredShape> {
  const branches: Record<string, unknown>[] = [];
  const equalSoFar: Record<string, unknown>[] = [];
  sort.forEach(({ field, direction }, i) => {
    const value = key[i] ?? null;
    const after =
      direction === 'asc'
        ? value === null
          ? { [field]: { $ne: null } }
          : { [field]: { $gt: value } }
        : value === null
          ? null
          : { $or: [{ [field]: { $lt: value } }, { [field]: null }] };
    if (after) branches.push({ $and: [...equalSoFar, after] });
    equalSoFar.push({ [field]: value === null ? null : { $eq: value } });
  });
  branches.push({ $and: [...equalSoFar, { _id: { $gt: key[sort.length] } }] });
  return { $or: branches } as MongoFilter<StoredShape>;
}
