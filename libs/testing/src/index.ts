export * from './given-when-then';
export * from './generators';
export * from './projection-given-when-then';
export * from './projected-events';
export * from './projected-history';
