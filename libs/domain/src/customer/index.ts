export * from './dict';
export * from './customer-state';
export * from './customer-evolve';
export * from './customer-decide';
export * from './customer-decider';
export { validateCommandValues } from './command-rules';
