export * from './prng';
export * from './population-config';
export * from './generated-command';
export * from './customer-journey';
export * from './population-generator';
export * from './comment-texts';
export * from './follow-up-behaviour';
export * from './simulated-history';
