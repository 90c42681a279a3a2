export * from './dict';
export * from './customer-state';
export { evolve, foldIntoOwned, initialState, rehydrate } from './customer-evolve';
export * from './customer-decide';
export * from './customer-decider';
export * from './customer-snapshot';
export { MAX_PURCHASE_LINES, validateCommandValues } from './customer-command-values';
export {
  CURRENCY_PATTERN,
  EMAIL_PATTERN,
  ID_PATTERN,
  ID_RULE,
  isFilledText,
  isIsoTime,
  isTextWithin,
  TEXT_LIMITS,
} from './command-values';
