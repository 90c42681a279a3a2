import type { CustomerEventType } from '../events/customer-events';

type Data = Record<string, unknown>;
type Metadata = Record<string, unknown>;

/** An event on its way up the versions: its data, and its metadata (business time included). */
export interface UpcastStep {
  data: Data;
  metadata: Metadata;
}

/**
 * Turns version `from` into version `from + 1`. Pure; returns new objects and never changes its input
 * (the stored bytes, which the hash chain covers, are never rewritten).
 */
export type Upcaster = (event: Readonly<UpcastStep>) => UpcastStep;

/**
 * v1 of a system-recorded deadline event carried the time the watcher noticed it as `occurredAt`; from
 * v2 it is the deadline itself (`data.dueAt`). The noticing time stays in `recordedAt`.
 */
const datedAtDeadline: Upcaster = ({ data, metadata }) =>
  typeof data['dueAt'] === 'string' && Number.isFinite(Date.parse(data['dueAt']))
    ? { data, metadata: { ...metadata, occurredAt: data['dueAt'] } }
    : { data, metadata };

/**
 * One upcaster per schema change, keyed by event type and the version it upgrades from.
 * Add a step here and bump CURRENT_SCHEMA_VERSIONS together, and record it in docs/events.md.
 */
export const UPCASTERS: Partial<Record<CustomerEventType, Readonly<Record<number, Upcaster>>>> = {
  CallLogged: {
    // v1 recorded whole minutes; v2 records seconds.
    1: ({ data: { durationMinutes, ...rest }, metadata }) => ({
      data: { ...rest, durationSeconds: Math.round(Number(durationMinutes ?? 0) * 60) },
      metadata,
    }),
  },
  PromiseBecameOverdue: { 1: datedAtDeadline },
  ComplaintSlaBreached: { 1: datedAtDeadline },
};
