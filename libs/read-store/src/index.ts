export * from './read-store.port';
export * from './errors';
export * from './query/query-validator';
export * from './memory/memory-read-store';
export { openSharedBulkLoad, type SharedBulkLoadWriter } from './sqlite/sqlite-bulk-load-writer';
