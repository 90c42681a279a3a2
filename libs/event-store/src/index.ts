export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export * from './memory/memory-event-store';
export * from './sqlite/sqlite-event-store';
export * from './shared/event-store-diagnostics';
export * from './shared/resilience';
export * from './shared/stream-partition';
