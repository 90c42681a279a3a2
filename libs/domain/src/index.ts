export * from './events/event-metadata';
export * from './events/customer-events';
export * from './events/follow-up-events';
export * from './events/complaint-wait-events';
export * from './commands';
export * from './errors';
export * from './customer';
export * from './upcasting';
