import type { EventFilter, StoredEvent } from '../event-store.port';

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
