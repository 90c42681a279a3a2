export * from './projection';
export * from './fold-on-own-copy';
export * from './runner/runner-options';
export * from './runner/projection-catalog';
export type { ParkedEvent } from './runner/batch-applier';
export type { ReplayResult } from './runner/parked-events';
export * from './runner/projection-runner';
