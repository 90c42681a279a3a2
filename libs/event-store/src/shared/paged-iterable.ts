/**
 * An async iterable over pages fetched on demand: one page is held at a time, the next is fetched
 * only when the consumer has taken the last row of the current one. A plain iterator (rather than
 * an async generator) keeps the per-event cost low on million-event reads.
 */
export function pagedIterable<Row, T>(
  pageSize: number,
  maxCount: number | undefined,
  fetch: (limit: number) => Row[],
  map: (row: Row) => T,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let rows: Row[] = [];
      let index = 0;
      let remaining = maxCount ?? Infinity;
      let exhausted = false;
      const done = (): Promise<IteratorResult<T>> => Promise.resolve({ done: true, value: undefined });
      return {
        next(): Promise<IteratorResult<T>> {
          try {
            if (index >= rows.length) {
              if (exhausted || remaining <= 0) return done();
              const limit = Math.min(pageSize, remaining);
              rows = fetch(limit);
              index = 0;
              remaining -= rows.length;
              if (rows.length < limit) exhausted = true;
              if (rows.length === 0) return done();
            }
            return Promise.resolve({ done: false, value: map(rows[index++]!) });
          } catch (error) {
            exhausted = true;
            return Promise.reject(error);
          }
        },
        return(): Promise<IteratorResult<T>> {
          exhausted = true;
          rows = [];
          return done();
        },
      };
    },
  };
}
