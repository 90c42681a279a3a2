import type { CustomerEventType, HealthBand } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { isoMs } from '../customer-value/iso-time';

// The facts a customer's health is scored from, each with the event id behind it, its business time (t)
// and its recording time (r) in epoch ms, so health can be asked as of any T and as known at any K.

/**
 * One fact. Every kind has the same keys (`x`, `y`, `z` mean what its kind says, null when unused), so
 * the facts of a whole population share one object shape and scoring reads them without megamorphic
 * lookups; the short keys keep the stored documents small.
 */
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

export type PromiseStep = 'made' | 'renegotiated' | 'kept' | 'broken' | 'cancelled' | 'overdue';
export type ComplaintStep = 'filed' | 'acknowledged' | 'resolved' | 'reopened' | 'breached';

export type HealthFact = FactBase &
  (
    | { k: 'registered'; x: null; y: null; z: null }
    | { k: 'erased'; x: null; y: null; z: null }
    /** x: amount. */
    | { k: 'purchase'; x: number; y: null; z: null }
    /** x: amount. */
    | { k: 'refund'; x: number; y: null; z: null }
    /** x: the agent of the call. */
    | { k: 'contact'; x: string; y: null; z: null }
    /** x: step, y: promise id, z: due date (made, renegotiated). */
    | { k: 'promise'; x: PromiseStep; y: string; z: number | null }
    /** x: step, y: complaint id. */
    | { k: 'complaint'; x: ComplaintStep; y: string; z: null }
    /** x: survey kind, y: score. */
    | { k: 'survey'; x: 'nps' | 'csat' | 'ces' | 'feedback'; y: number | null; z: null }
    /** x: band, y: score. */
    | { k: 'band'; x: HealthBand; y: number; z: null }
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
  const id = event.metadata.eventId;
  const t = isoMs(event.metadata.occurredAt);
  const r = isoMs(event.metadata.recordedAt);
  const p = event.position;
  // Keys in one order for every kind (one object shape).
  const fact = <F extends HealthFact>(k: F['k'], x: F['x'], y: F['y'] = null, z: F['z'] = null): HealthFact =>
    ({ k, id, t, r, p, x, y, z }) as HealthFact;
  switch (event.type) {
    case 'CustomerRegistered':
      return fact('registered', null);
    case 'CustomerErased':
      return fact('erased', null);
    case 'CallLogged':
      return fact('contact', event.data.agentId);
    case 'PurchaseRecorded':
      return fact('purchase', event.data.total);
    case 'PurchaseRefunded':
      return fact('refund', event.data.amount);
    case 'PromiseMade':
      return fact('promise', 'made', event.data.promiseId, isoMs(event.data.dueAt));
    case 'PromiseRenegotiated':
      return fact('promise', 'renegotiated', event.data.promiseId, isoMs(event.data.newDueAt));
    case 'PromiseKept':
      return fact('promise', 'kept', event.data.promiseId);
    case 'PromiseBroken':
      return fact('promise', 'broken', event.data.promiseId);
    case 'PromiseCancelled':
      return fact('promise', 'cancelled', event.data.promiseId);
    case 'PromiseBecameOverdue':
      return fact('promise', 'overdue', event.data.promiseId);
    case 'ComplaintFiled':
      return fact('complaint', 'filed', event.data.complaintId);
    case 'ComplaintAcknowledged':
      return fact('complaint', 'acknowledged', event.data.complaintId);
    case 'ComplaintResolved':
      return fact('complaint', 'resolved', event.data.complaintId);
    case 'ComplaintReopened':
      return fact('complaint', 'reopened', event.data.complaintId);
    case 'ComplaintSlaBreached':
      return fact('complaint', 'breached', event.data.complaintId);
    case 'SurveyResponded':
      return fact('survey', event.data.kind, event.data.score ?? null);
    case 'CustomerHealthBandChanged':
      return fact('band', event.data.to, event.data.score);
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
    if (f.k === 'band') return { band: f.x, atMs: f.t };
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
