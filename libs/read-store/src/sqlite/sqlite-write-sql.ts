import type { DocChange } from '../read-store.port';
import { fieldColumn, jsonPath } from './sqlite-filter';

/** The table holding a collection. */
export const tableOf = (collection: string): string => `"rs_${collection}"`;

/**
 * A bulk load's forced upsert, named parameters (id, doc, position): SQLite fills the field columns from the
 * document itself (json_extract, which `columnValue` mirrors), so the loading thread does that work.
 */
export function bulkInsertSql(collection: string, fields: readonly string[]): string {
  const table = tableOf(collection);
  const names = ['id', 'doc', 'position', ...fields.map(fieldColumn)];
  const values = ['@id', '@doc', '@position', ...fields.map((field) => `json_extract(@doc, ${jsonPath(field)})`)];
  const copy = ['doc', ...fields.map(fieldColumn)].map((c) => `${c} = excluded.${c}`).join(', ');
  return `INSERT INTO ${table} (${names.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT(id) DO UPDATE SET ${copy}, position = max(${table}.position, excluded.position)`;
}

/**
 * The guarded (or forced) write of one change, parameters (id, doc | NULL, position, ...field
 * columns). A delete sets the doc and every field column to NULL.
 */
export function changeSql(change: DocChange, fields: readonly string[]): string {
  const table = tableOf(change.collection);
  const names = ['id', 'doc', 'position', ...fields.map(fieldColumn)];
  const values = `(${names.map(() => '?').join(', ')})`;
  const copy = ['doc', ...fields.map(fieldColumn)].map((c) => `${c} = excluded.${c}`).join(', ');
  const guard = change.force ? '' : ` WHERE excluded.position > ${table}.position`;
  const position = change.force ? `max(${table}.position, excluded.position)` : 'excluded.position';
  return `INSERT INTO ${table} (${names.join(', ')}) VALUES ${values}
    ON CONFLICT(id) DO UPDATE SET ${copy}, position = ${position}${guard}`;
}
