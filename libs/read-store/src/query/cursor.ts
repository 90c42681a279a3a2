import { createHash } from 'node:crypto';
import { InvalidQueryError } from '../errors';
import type { Filter, Scalar, SortKey } from '../read-store.port';

// Keyset cursors: the sort values and id of the last document of a page, opaque (base64url JSON) and
// bound to the query that issued them, so a cursor from another filter or sort is refused rather than
// silently paging the wrong result. The next page is "after this key" in the sort order: no OFFSET to
// walk (deep pages cost what the first does) and no shift when documents are written between pages.

interface CursorBody {
  /** Sort values of the last document, then its id. */
  k: Scalar[];
  q: string;
}

export function queryFingerprint(collection: string, filter: Filter | undefined, sort: SortKey[]): string {
  return createHash('sha256')
    .update(JSON.stringify([collection, filter ?? null, sort]))
    .digest('base64url')
    .slice(0, 16);
}

/** The key of the last document of a page: its value for each sort field (as the adapter orders it), then its id. */
export function encodeCursor(key: Scalar[], fingerprint: string): string {
  return Buffer.from(JSON.stringify({ k: key, q: fingerprint } satisfies CursorBody)).toString('base64url');
}

const isScalar = (value: unknown): value is Scalar =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/**
 * The key a cursor stands for (`sort.length` values, then the id), or null without a cursor; throws
 * InvalidQueryError when it is malformed or from another query.
 */
export function decodeCursor(cursor: string | undefined, fingerprint: string, sort: SortKey[]): Scalar[] | null {
  if (cursor === undefined) return null;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('cursor', 'is not a cursor issued by this store');
  }
  const { k, q } = (body ?? {}) as Partial<CursorBody>;
  if (
    !Array.isArray(k) ||
    k.length !== sort.length + 1 ||
    !k.every(isScalar) ||
    typeof k[sort.length] !== 'string' ||
    typeof q !== 'string'
  ) {
    throw new InvalidQueryError('cursor', 'is not a cursor issued by this store');
  }
  if (q !== fingerprint) throw new InvalidQueryError('cursor', 'belongs to a different filter or sort');
  return k;
}
