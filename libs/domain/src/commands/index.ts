export * from './customer-commands';
export * from './follow-up-commands';
export * from './alert-commands';
