import { createHash } from 'node:crypto';
import { InvalidQueryError } from '../errors';
import type { Filter, SortKey } from '../read-store.port';

// Offset cursors: opaque base64url JSON bound to the query that issued them, so a cursor from
// another filter or sort is rejected rather than silently paging the wrong result.

interface CursorBody {
  o: number;
  q: string;
}

export function queryFingerprint(collection: string, filter: Filter | undefined, sort: SortKey[]): string {
  return createHash('sha256').update(JSON.stringify([collection, filter ?? null, sort])).digest('base64url').slice(0, 16);
}

export function encodeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint } satisfies CursorBody)).toString('base64url');
}

/** The offset a cursor stands for; throws InvalidQueryError when it is malformed or from another query. */
export function decodeCursor(cursor: string | undefined, fingerprint: string): number {
  if (cursor === undefined) return 0;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('cursor', 'is not a cursor issued by this store');
  }
  const { o, q } = (body ?? {}) as Partial<CursorBody>;
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || typeof q !== 'string') {
    throw new InvalidQueryError('cursor', 'is not a cursor issued by this store');
  }
  if (q !== fingerprint) throw new InvalidQueryError('cursor', 'belongs to a different filter or sort');
  return o;
}
