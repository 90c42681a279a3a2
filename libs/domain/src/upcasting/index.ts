export * from './schema-versions';
export * from './upcasters';
export * from './upcast';
