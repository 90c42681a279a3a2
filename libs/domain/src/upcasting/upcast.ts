import { CUSTOMER_EVENT_TYPES, type CustomerEvent, type CustomerEventType } from '../events/customer-events';
import type { EventMetadata } from '../events/event-metadata';
import { CURRENT_SCHEMA_VERSIONS } from './schema-versions';
import { UPCASTERS, type Upcaster, type UpcastStep } from './upcasters';

/** An event as read from storage, in whatever schema version it was written. */
export interface StoredEventLike {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> & { eventId: string };
}

export class UpcastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpcastError';
  }
}

export function isCustomerEventType(type: string): type is CustomerEventType {
  return (CUSTOMER_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The event in its current shape. Events without a `schemaVersion` are version 1. The stored bytes
 * are untouched (the hash chain is over them); only this read-side copy is upgraded, data and
 * metadata (an upcaster may date the event: see UPCASTERS).
 */
export function upcast(stored: StoredEventLike): CustomerEvent {
  const { type } = stored;
  const steps = stepsFor(stored);
  if (steps.length === 0) return stored as unknown as CustomerEvent;
  let event: UpcastStep = { data: stored.data, metadata: stored.metadata };
  for (const step of steps) event = step(event);
  const metadata = { ...event.metadata, schemaVersion: CURRENT_SCHEMA_VERSIONS[type as CustomerEventType] };
  return { type, data: event.data, metadata: metadata as unknown as EventMetadata } as CustomerEvent;
}

/**
 * The business time the event is dated at once upcast, without decoding the rest of it: what an
 * as-of filter compares (a stored v1 deadline event's own `occurredAt` is the time it was noticed).
 */
export function upcastOccurredAt(stored: StoredEventLike): unknown {
  // Fast path, once per event of an as-of replay: an event in its current version is dated as stored.
  const current = (CURRENT_SCHEMA_VERSIONS as Readonly<Record<string, unknown>>)[stored.type];
  if (Object.hasOwn(CURRENT_SCHEMA_VERSIONS, stored.type) && (stored.metadata['schemaVersion'] ?? 1) === current) {
    return stored.metadata['occurredAt'];
  }
  const steps = stepsFor(stored);
  if (steps.length === 0) return stored.metadata['occurredAt'];
  let event: UpcastStep = { data: stored.data, metadata: stored.metadata };
  for (const step of steps) event = step(event);
  return event.metadata['occurredAt'];
}

const NO_STEPS: Upcaster[] = [];

/** The upcasters from the stored version to the current one (none when current). */
function stepsFor(stored: StoredEventLike): Upcaster[] {
  const { type } = stored;
  if (!isCustomerEventType(type)) throw new UpcastError(`unknown event type ${type}`);
  const current = CURRENT_SCHEMA_VERSIONS[type];
  const rawVersion = stored.metadata['schemaVersion'];
  const from = typeof rawVersion === 'number' ? rawVersion : 1;
  if (!Number.isInteger(from) || from < 1 || from > current) {
    throw new UpcastError(`${type} schema version ${String(rawVersion)} is not between 1 and ${current}`);
  }
  if (from === current) return NO_STEPS;
  const steps: Upcaster[] = [];
  for (let version = from; version < current; version++) {
    const step = UPCASTERS[type]?.[version];
    if (!step) throw new UpcastError(`no upcaster for ${type} from version ${version}`);
    steps.push(step);
  }
  return steps;
}
