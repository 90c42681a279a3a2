/** Server time for `recordedAt`; injected so tests can pin it. The domain never reads a clock. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
