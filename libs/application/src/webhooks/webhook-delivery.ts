import type { StoredEvent } from '@rapport/event-store';
import type { Doc, DocChange } from '@rapport/read-store';
import { WEBHOOK_DELIVERIES } from './webhook-subscription';
import type { SendOutcome } from './webhook-sender';

/** One try, as the delivery log keeps it. */
export interface AttemptRecord {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Attempts a log entry keeps (the latest ones); `attempts` still counts them all. */
export const KEPT_ATTEMPTS = 10;

/** The delivery log: one entry per subscription and event, updated as it is delivered, parked or replayed. */
export interface DeliveryRecord extends Doc {
  subscriptionId: string;
  /** The event id, sent as `webhook-id`: the same on every retry and replay. */
  webhookId: string;
  position: number;
  streamId: string;
  customerId: string;
  type: string;
  state: 'delivered' | 'parked';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  parkedAt: string | null;
  /** Why it is parked: attempts used up, or held behind an earlier parked event of the same customer. */
  parkedReason: string | null;
  replayed: boolean;
  history: AttemptRecord[];
}

export const DELIVERY_INDEXES = [
  { fields: ['subscriptionId', 'state', 'position'] },
  { fields: ['subscriptionId', 'customerId', 'state', 'position'] },
  { fields: ['subscriptionId', 'position'] },
];

export const deliveryId = (subscriptionId: string, webhookId: string): string => `${subscriptionId}:${webhookId}`;

export const attemptOf = (at: Date, outcome: SendOutcome): AttemptRecord => ({
  at: at.toISOString(),
  status: outcome.status,
  error: outcome.error,
  durationMs: Math.round(outcome.durationMs * 10) / 10,
});

/** A fresh log entry for an event (before any attempt). */
export function newRecord(subscriptionId: string, stored: StoredEvent, customerId: string): DeliveryRecord {
  return {
    id: deliveryId(subscriptionId, stored.metadata.eventId),
    subscriptionId,
    webhookId: stored.metadata.eventId,
    position: stored.position,
    streamId: stored.streamId,
    customerId,
    type: stored.type,
    state: 'parked',
    attempts: 0,
    lastStatus: null,
    lastError: null,
    lastAttemptAt: null,
    deliveredAt: null,
    parkedAt: null,
    parkedReason: null,
    replayed: false,
    history: [],
  };
}

/** Adds attempts to an entry, keeping the latest few. */
export function withAttempts(record: DeliveryRecord, attempts: AttemptRecord[]): DeliveryRecord {
  const last = attempts[attempts.length - 1];
  if (!last) return record;
  return {
    ...record,
    attempts: record.attempts + attempts.length,
    lastStatus: last.status,
    lastError: last.error,
    lastAttemptAt: last.at,
    history: [...record.history, ...attempts].slice(-KEPT_ATTEMPTS),
  };
}

/** Log entries are written whatever position they hold (a replay rewrites an old event's entry). */
export const upsertRecord = (record: DeliveryRecord): DocChange => ({
  kind: 'upsert',
  collection: WEBHOOK_DELIVERIES,
  doc: record,
  position: record.position,
  force: true,
});
