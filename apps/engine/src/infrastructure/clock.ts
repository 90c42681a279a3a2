// The clock is the application's (@rapport/application); re-exported for the engine's existing importers.
export { CLOCK, systemClock, type Clock } from '@rapport/application';
