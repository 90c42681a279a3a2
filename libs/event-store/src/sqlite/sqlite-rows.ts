import type Database from 'better-sqlite3';
import type { EventFilter, ReadByStreamOptions, StoredEvent } from '../event-store.port';
import { streamPartition } from '../shared/stream-partition';

const STREAM_PARTITION_SQL = 'rapport_stream_partition';

/** Lets SQL ask for a stream's partition (streamPartition, the same as every adapter's). */
export function registerStreamPartition(db: Database.Database): void {
  db.function(STREAM_PARTITION_SQL, { deterministic: true }, (streamId, count) =>
    streamPartition(String(streamId), Number(count)),
  );
}

/** [position, stream_id, revision, type, data, metadata] */
export type EventRow = [number, string, number, string, string, string];

/** The WHERE clause (after a first condition) and its parameters for a filter. */
export function filterSql(filter: EventFilter | undefined): [string, string[]] {
  let where = '';
  const params: string[] = [];
  const prefixes = filter?.streamPrefixes ?? [];
  if (prefixes.length > 0) {
    where += ` AND (${prefixes.map(() => 'substr(stream_id, 1, length(?)) = ?').join(' OR ')})`;
    for (const prefix of prefixes) params.push(prefix, prefix);
  }
  const types = filter?.eventTypes ?? [];
  if (types.length > 0) {
    where += ` AND type IN (${types.map(() => '?').join(', ')})`;
    params.push(...types);
  }
  return [where, params];
}

/** A row as a stored event. */
export function toStored(row: EventRow): StoredEvent {
  return {
    position: row[0],
    streamId: row[1],
    revision: row[2],
    type: row[3],
    data: JSON.parse(row[4]) as StoredEvent['data'],
    metadata: JSON.parse(row[5]) as StoredEvent['metadata'],
  };
}

/**
 * One page of `readByStream`: rows after the cursor `(stream_id, revision)` (its first two
 * parameters, then `params`, then the limit), walked along the (stream_id, revision) index.
 */
export function byStreamSql(
  db: Database.Database,
  columns: string,
  options: ReadByStreamOptions,
): { sql: string; params: (string | number)[]; start: [string, number] } {
  const { prefix } = options;
  let where = 'stream_id >= ?';
  const params: (string | number)[] = [prefix];
  if (prefix !== '') {
    // The first id past every id with the prefix bounds the index range.
    where += ' AND stream_id < ?';
    params.push(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1));
  }
  where += ' AND position <= ?';
  params.push(options.toPosition);
  const types = options.eventTypes ?? [];
  if (types.length > 0) {
    where += ` AND type IN (${types.map(() => '?').join(', ')})`;
    params.push(...types);
  }
  if (options.partition) {
    registerStreamPartition(db);
    // Tested on the index entry, so the rows of other partitions are neither fetched nor parsed.
    where += ` AND ${STREAM_PARTITION_SQL}(stream_id, ?) = ?`;
    params.push(options.partition.count, options.partition.index);
  }
  const sql = `SELECT ${columns} FROM events INDEXED BY events_stream_revision
    WHERE (stream_id, revision) > (?, ?) AND ${where} ORDER BY stream_id, revision LIMIT ?`;
  const start: [string, number] =
    options.afterStream === undefined ? ['', -1] : [options.afterStream, Number.MAX_SAFE_INTEGER];
  return { sql, params, start };
}
