// The application layer: what the engine's HTTP edge and the CLI share (the write path, revealing
// personal data, the clock-driven watchers). Imports libraries only, never an app or HTTP.
export * from './clock';
export * from './command-handling/command-envelope';
export * from './command-handling/command-errors';
export * from './command-handling/command-handling.module';
export * from './command-handling/customer-command.service';
export * from './command-handling/customer-event-recorded.event';
export * from './command-handling/customer-stream-loader';
export * from './command-handling/event-ids';
export * from './command-handling/personal-data-protection';
export * from './command-handling/record-customer-command';
export * from './command-handling/snapshot-store';
export * from './command-handling/profile-change-check';
export * from './command-handling/record-customer-command.handler';
export * from './personal-data/personal-data-reader';
export * from './personal-data/sealed-data-revealer';
export * from './personal-data/sealed-field';
export * from './clock-decisions/clock-decision-recorder';
export * from './clock-decisions/deadline-rules';
export * from './clock-decisions/in-parallel';
export * from './config/engine-config';
export * from './config/engine-config.module';
export * from './config/worklist-config';
export * from './infrastructure/event-store.factory';
export * from './infrastructure/persistence.module';
export * from './metrics/import-totals';
