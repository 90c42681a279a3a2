export * from './domain-rules';
export * from './domain-error';
