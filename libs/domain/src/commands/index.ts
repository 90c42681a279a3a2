export * from './customer-commands';
export * from './follow-up-commands';
