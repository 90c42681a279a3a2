export * from './read-store.port';
export * from './errors';
export * from './query/query-validator';
export * from './memory/memory-read-store';
