export * from './customer-value.query';
export * from './customers.query';
export * from './customers-csv';
export * from './segments.query';
export * from './sentiment.query';
