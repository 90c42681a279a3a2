export * from './events/event-metadata';
export * from './events/customer-events';
