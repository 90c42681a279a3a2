import type { CustomerEventType, HealthBand } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { isoMs } from '../customer-value/iso-time';

// The facts a customer's health is scored from, each with the event id behind it, its business time (t)
// and its recording time (r) in epoch ms, so health can be asked as of any T and as known at any K.

interface FactBase {
  /** Event id: what a reason names. */
  id: string;
  /** occurredAt, epoch ms. */
  t: number;
  /** recordedAt, epoch ms. */
  r: number;
  /** Global position: the sentiment timeline names its moments by it. */
  p: number;
}

export type HealthFact = FactBase &
  (
    | { k: 'registered' }
    | { k: 'purchase'; amount: number }
    | { k: 'refund'; amount: number }
    | { k: 'contact'; agent: string }
    | {
        k: 'promise';
        step: 'made' | 'renegotiated' | 'kept' | 'broken' | 'cancelled' | 'overdue';
        ref: string;
        due?: number;
      }
    | { k: 'complaint'; step: 'filed' | 'acknowledged' | 'resolved' | 'reopened' | 'breached'; ref: string }
    | { k: 'survey'; kind: 'nps' | 'csat' | 'ces' | 'feedback'; score: number | null }
    | { k: 'erased' }
    | { k: 'band'; band: HealthBand; score: number }
  );

export interface CustomerHealthDoc extends Doc {
  customerId: string;
  /** In stream order. */
  facts: HealthFact[];
}

export const CUSTOMER_HEALTH_HANDLES: readonly CustomerEventType[] = [
  'CustomerRegistered',
  'CustomerErased',
  'CallLogged',
  'PurchaseRecorded',
  'PurchaseRefunded',
  'PromiseMade',
  'PromiseRenegotiated',
  'PromiseKept',
  'PromiseBroken',
  'PromiseCancelled',
  'PromiseBecameOverdue',
  'ComplaintFiled',
  'ComplaintAcknowledged',
  'ComplaintResolved',
  'ComplaintReopened',
  'ComplaintSlaBreached',
  'SurveyResponded',
  'CustomerHealthBandChanged',
];

export const emptyCustomerHealth = (customerId: string): CustomerHealthDoc => ({
  id: customerId,
  customerId,
  facts: [],
});

/** The fact one event contributes, or null for an event health does not read. */
export function healthFactOf(event: ProjectedEvent): HealthFact | null {
  const base: FactBase = {
    id: event.metadata.eventId,
    t: isoMs(event.metadata.occurredAt),
    r: isoMs(event.metadata.recordedAt),
    p: event.position,
  };
  switch (event.type) {
    case 'CustomerRegistered':
      return { ...base, k: 'registered' };
    case 'CustomerErased':
      return { ...base, k: 'erased' };
    case 'CallLogged':
      return { ...base, k: 'contact', agent: event.data.agentId };
    case 'PurchaseRecorded':
      return { ...base, k: 'purchase', amount: event.data.total };
    case 'PurchaseRefunded':
      return { ...base, k: 'refund', amount: event.data.amount };
    case 'PromiseMade':
      return { ...base, k: 'promise', step: 'made', ref: event.data.promiseId, due: isoMs(event.data.dueAt) };
    case 'PromiseRenegotiated':
      return {
        ...base,
        k: 'promise',
        step: 'renegotiated',
        ref: event.data.promiseId,
        due: isoMs(event.data.newDueAt),
      };
    case 'PromiseKept':
      return { ...base, k: 'promise', step: 'kept', ref: event.data.promiseId };
    case 'PromiseBroken':
      return { ...base, k: 'promise', step: 'broken', ref: event.data.promiseId };
    case 'PromiseCancelled':
      return { ...base, k: 'promise', step: 'cancelled', ref: event.data.promiseId };
    case 'PromiseBecameOverdue':
      return { ...base, k: 'promise', step: 'overdue', ref: event.data.promiseId };
    case 'ComplaintFiled':
      return { ...base, k: 'complaint', step: 'filed', ref: event.data.complaintId };
    case 'ComplaintAcknowledged':
      return { ...base, k: 'complaint', step: 'acknowledged', ref: event.data.complaintId };
    case 'ComplaintResolved':
      return { ...base, k: 'complaint', step: 'resolved', ref: event.data.complaintId };
    case 'ComplaintReopened':
      return { ...base, k: 'complaint', step: 'reopened', ref: event.data.complaintId };
    case 'ComplaintSlaBreached':
      return { ...base, k: 'complaint', step: 'breached', ref: event.data.complaintId };
    case 'SurveyResponded':
      return { ...base, k: 'survey', kind: event.data.kind, score: event.data.score ?? null };
    case 'CustomerHealthBandChanged':
      return { ...base, k: 'band', band: event.data.to, score: event.data.score };
    default:
      return null;
  }
}

/** Appends the event's fact; an event already folded (same id) changes nothing, so a replay is harmless. */
export function evolveCustomerHealth(
  current: CustomerHealthDoc | null,
  event: ProjectedEvent,
): CustomerHealthDoc | null {
  const fact = healthFactOf(event);
  if (fact === null) return current;
  const doc = current ?? emptyCustomerHealth(event.data.customerId);
  const last = doc.facts[doc.facts.length - 1];
  if (last !== undefined && last.p >= fact.p) return doc;
  return { ...doc, facts: [...doc.facts, fact] };
}

/** The band last recorded for the customer (a CustomerHealthBandChanged), with its business time. */
export function recordedBand(doc: CustomerHealthDoc): { band: HealthBand; atMs: number } | null {
  for (let i = doc.facts.length - 1; i >= 0; i -= 1) {
    const f = doc.facts[i]!;
    if (f.k === 'band') return { band: f.band, atMs: f.t };
  }
  return null;
}

export const customerHealthProjection: Projection<CustomerHealthDoc> = {
  name: 'customer-health',
  version: 1,
  handles: CUSTOMER_HEALTH_HANDLES,
  indexes: [],
  evolve: evolveCustomerHealth,
};
