import { CUSTOMER_EVENT_TYPES, type CustomerEvent, type CustomerEventType } from '../events/customer-events';
import type { EventMetadata } from '../events/event-metadata';
import { CURRENT_SCHEMA_VERSIONS } from './schema-versions';
import { UPCASTERS } from './upcasters';

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
 * are untouched (the hash chain is over them); only this read-side copy is upgraded.
 */
export function upcast(stored: StoredEventLike): CustomerEvent {
  const { type } = stored;
  if (!isCustomerEventType(type)) throw new UpcastError(`unknown event type ${type}`);
  const current = CURRENT_SCHEMA_VERSIONS[type];
  const rawVersion = stored.metadata['schemaVersion'];
  let version = typeof rawVersion === 'number' ? rawVersion : 1;
  if (!Number.isInteger(version) || version < 1 || version > current) {
    throw new UpcastError(`${type} schema version ${String(rawVersion)} is not between 1 and ${current}`);
  }
  if (version === current) return stored as unknown as CustomerEvent;
  let data = stored.data;
  for (; version < current; version++) {
    const step = UPCASTERS[type]?.[version];
    if (!step) throw new UpcastError(`no upcaster for ${type} from version ${version}`);
    data = step(data);
  }
  const metadata = { ...stored.metadata, schemaVersion: current } as unknown as EventMetadata;
  return { type, data, metadata } as CustomerEvent;
}
