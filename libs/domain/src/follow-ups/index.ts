export * from './follow-up-decide';
export { validateFollowUpValues } from './follow-up-values';
