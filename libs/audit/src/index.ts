export * from './export-format';
export * from './signed-export';
export * from './verify-export';
export * from './signing-keys';
