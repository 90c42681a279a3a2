import type { Doc, IdRange } from '../read-store.port';

/** Runs a statement of the scan with its named parameters: its plucked rows, or undefined (no table). */
export type ScanQuery = (
  sql: string,
  params: { after: string; limit: number; before?: string },
) => string[] | undefined;

/**
 * The documents of `table` in id order, `batchSize` a page, within `range`. The stored id is the
 * document's id, so the parsed page gives the next cursor. A plain iterator (not an async generator):
 * scoring scans 100,000s of documents.
 */
export function scanPages<T extends Doc>(
  query: ScanQuery,
  table: string,
  batchSize: number,
  range: IdRange,
): AsyncIterable<T> {
  const upper = range.before === undefined ? '' : ' AND id < @before';
  const bounds = range.before === undefined ? {} : { before: range.before };
  const select = (op: '>' | '>='): string =>
    `SELECT doc FROM ${table} WHERE doc IS NOT NULL AND id ${op} @after${upper} ORDER BY id LIMIT @limit`;
  const page = (after: string, inclusive: boolean): T[] =>
    (query(select(inclusive ? '>=' : '>'), { ...bounds, after, limit: batchSize }) ?? []).map(
      (text) => JSON.parse(text) as T,
    );
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let docs: T[] = [];
      let index = 0;
      let after = range.from ?? '';
      let inclusive = range.from !== undefined; // the first page starts at `from` itself
      let exhausted = false;
      return {
        next: async (): Promise<IteratorResult<T>> => {
          if (index >= docs.length) {
            if (exhausted) return { done: true, value: undefined };
            docs = page(after, inclusive);
            inclusive = false;
            index = 0;
            if (docs.length < batchSize) exhausted = true;
            if (docs.length === 0) return { done: true, value: undefined };
            after = (docs[docs.length - 1] as T).id;
          }
          return { done: false, value: docs[index++] as T };
        },
        return: async (): Promise<IteratorResult<T>> => {
          exhausted = true;
          docs = [];
          return { done: true, value: undefined };
        },
      };
    },
  };
}
