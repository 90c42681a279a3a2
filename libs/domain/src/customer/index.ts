export * from './dict';
export * from './customer-state';
export { evolve, foldIntoOwned, initialState, rehydrate } from './customer-evolve';
export * from './customer-decide';
export * from './customer-decider';
export * from './customer-snapshot';
export { validateCommandValues } from './customer-command-values';
export { ID_PATTERN, ID_RULE, TEXT_LIMITS } from './command-values';
