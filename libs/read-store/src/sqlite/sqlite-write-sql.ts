import type { DocChange } from '../read-store.port';
import { fieldColumn, jsonPath } from './sqlite-filter';

/** The table holding a collection. */
export const tableOf = (collection: string): string => `"rs_${collection}"`;

/**
 * The upsert of one row (id, doc, position, field columns) from `values`: a forced one keeps the higher
 * position whatever was applied; a guarded one changes nothing at or below the applied position.
 */
function upsertSql(collection: string, fields: readonly string[], values: readonly string[], force: boolean): string {
  const table = tableOf(collection);
  const names = ['id', 'doc', 'position', ...fields.map(fieldColumn)];
  const copy = ['doc', ...fields.map(fieldColumn)].map((c) => `${c} = excluded.${c}`).join(', ');
  const guard = force ? '' : ` WHERE excluded.position > ${table}.position`;
  const position = force ? `max(${table}.position, excluded.position)` : 'excluded.position';
  return `INSERT INTO ${table} (${names.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT(id) DO UPDATE SET ${copy}, position = ${position}${guard}`;
}

/**
 * A bulk load's forced upsert, parameters (id, doc, position, ...field columns): the caller, who holds the
 * document, reads its fields (`columnValue`), which costs the loading thread no JSON parse in SQLite.
 */
export function bulkInsertSql(collection: string, fields: readonly string[], fresh = false): string {
  const values = Array.from({ length: 3 + fields.length }, () => '?');
  // Into a table the load created, nothing can conflict but the load's own rows: a plain insert (the
  // last of two writes of one id wins, as with the upsert), without the upsert's conflict clause.
  if (fresh)
    return `INSERT OR REPLACE INTO ${tableOf(collection)} (${['id', 'doc', 'position', ...fields.map(fieldColumn)].join(', ')}) VALUES (${values.join(', ')})`;
  return upsertSql(collection, fields, values, true);
}

/**
 * The bulk load's forced upsert of a serialised document, parameters @id, @doc, @position: SQLite fills the
 * field columns from the text (json_extract, which `columnValue` mirrors). Named parameters: @doc is read again.
 */
export function bulkInsertJsonSql(collection: string, fields: readonly string[]): string {
  const values = ['@id', '@doc', '@position', ...fields.map((field) => `json_extract(@doc, ${jsonPath(field)})`)];
  return upsertSql(collection, fields, values, true);
}

/**
 * The guarded (or forced) write of one change, parameters (id, doc | NULL, position, ...field
 * columns). A delete sets the doc and every field column to NULL.
 */
export function changeSql(change: DocChange, fields: readonly string[]): string {
  const values = Array.from({ length: 3 + fields.length }, () => '?');
  return upsertSql(change.collection, fields, values, change.force === true);
}
