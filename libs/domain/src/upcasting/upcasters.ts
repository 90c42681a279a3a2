import type { CustomerEventType } from '../events/customer-events';

type Data = Record<string, unknown>;

/** Turns the data of version `from` into version `from + 1`. Pure. */
export type Upcaster = (data: Data) => Data;

/**
 * One upcaster per schema change, keyed by event type and the version it upgrades from.
 * Add a step here and bump CURRENT_SCHEMA_VERSIONS together, and record it in docs/events.md.
 */
export const UPCASTERS: Partial<Record<CustomerEventType, Readonly<Record<number, Upcaster>>>> = {
  CallLogged: {
    // v1 recorded whole minutes; v2 records seconds.
    1: ({ durationMinutes, ...rest }) => ({ ...rest, durationSeconds: Math.round(Number(durationMinutes ?? 0) * 60) }),
  },
};
