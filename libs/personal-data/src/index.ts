export * from './key-store.port';
export * from './key-wrapper';
export * from './personal-data-cipher';
export * from './adapters/memory-key-store';
export * from './adapters/sqlite-key-store';
export * from './adapters/mongodb-key-store';
export * from './field-paths';
