import type { CustomerEventType } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';

/**
 * One handled event reduced to what the service KPIs fold, with business time, recording time and the
 * event's channel first: the KPI fact table filters on both times, so "as of T, known at K" is exact.
 * No personal data (notes, comments, descriptions are left out).
 */
export type KpiFact =
  | [kind: 'registered', at: string, rec: string, channel: string, region: string, city: string, acquisition: string]
  | [kind: 'profile', at: string, rec: string, channel: string, region: string | null, city: string | null]
  | [kind: 'erased', at: string, rec: string, channel: string]
  | [kind: 'call', at: string, rec: string, channel: string, agentId: string]
  | [kind: 'purchase', at: string, rec: string, channel: string, orderId: string, total: number]
  | [kind: 'refund', at: string, rec: string, channel: string, orderId: string, amount: number]
  | [kind: 'survey', at: string, rec: string, channel: string, surveyKind: string, score: number | null]
  | [
      kind: 'complaintFiled',
      at: string,
      rec: string,
      channel: string,
      complaintId: string,
      severity: string,
      category: string,
    ]
  | [kind: 'complaintAcknowledged', at: string, rec: string, channel: string, complaintId: string, by: string]
  | [kind: 'complaintResolved', at: string, rec: string, channel: string, complaintId: string, by: string]
  | [kind: 'complaintReopened', at: string, rec: string, channel: string, complaintId: string]
  | [kind: 'complaintAwaiting', at: string, rec: string, channel: string, complaintId: string, by: string]
  | [kind: 'complaintBreached', at: string, rec: string, channel: string, complaintId: string, sla: string]
  | [kind: 'promiseMade', at: string, rec: string, channel: string, promiseId: string, dueAt: string, madeBy: string]
  | [kind: 'promiseKept', at: string, rec: string, channel: string, promiseId: string, by: string]
  | [kind: 'promiseRenegotiated', at: string, rec: string, channel: string, promiseId: string, newDueAt: string]
  | [kind: 'promiseBroken', at: string, rec: string, channel: string, promiseId: string]
  | [kind: 'promiseCancelled', at: string, rec: string, channel: string, promiseId: string]
  | [kind: 'promiseOverdue', at: string, rec: string, channel: string, promiseId: string];

export type KpiFactKind = KpiFact[0];

/** One customer's KPI facts in stream order. Aggregates are computed from them as of a time, never stored. */
export interface ServiceKpiDoc extends Doc {
  customerId: string;
  /** The highest event position folded: an event at or below it is already in `facts`. */
  position: number;
  facts: KpiFact[];
}

export const SERVICE_KPI_HANDLES = [
  'CustomerRegistered',
  'CustomerProfileUpdated',
  'CustomerErased',
  'CallLogged',
  'PurchaseRecorded',
  'PurchaseRefunded',
  'SurveyResponded',
  'ComplaintFiled',
  'ComplaintAcknowledged',
  'ComplaintResolved',
  'ComplaintReopened',
  'ComplaintSlaBreached',
  'ComplaintAwaitingCustomer',
  'PromiseMade',
  'PromiseKept',
  'PromiseRenegotiated',
  'PromiseBroken',
  'PromiseCancelled',
  'PromiseBecameOverdue',
] as const satisfies readonly CustomerEventType[];

/** The fact an event adds, or null for an event this read model does not fold. */
export function kpiFactOf(event: ProjectedEvent): KpiFact | null {
  const { occurredAt: at, recordedAt: rec, channel } = event.metadata;
  switch (event.type) {
    case 'CustomerRegistered':
      return ['registered', at, rec, channel, event.data.region, event.data.city, event.data.acquisitionChannel];
    case 'CustomerProfileUpdated': {
      const { region, city } = event.data.changes;
      if (region === undefined && city === undefined) return null;
      return ['profile', at, rec, channel, region ?? null, city ?? null];
    }
    case 'CustomerErased':
      return ['erased', at, rec, channel];
    case 'CallLogged':
      return ['call', at, rec, channel, event.data.agentId];
    case 'PurchaseRecorded':
      return ['purchase', at, rec, channel, event.data.orderId, event.data.total];
    case 'PurchaseRefunded':
      return ['refund', at, rec, channel, event.data.orderId, event.data.amount];
    case 'SurveyResponded':
      return ['survey', at, rec, channel, event.data.kind, event.data.score ?? null];
    case 'ComplaintFiled':
      return ['complaintFiled', at, rec, channel, event.data.complaintId, event.data.severity, event.data.category];
    case 'ComplaintAcknowledged':
      return ['complaintAcknowledged', at, rec, channel, event.data.complaintId, event.data.by];
    case 'ComplaintResolved':
      return ['complaintResolved', at, rec, channel, event.data.complaintId, event.data.by];
    case 'ComplaintReopened':
      return ['complaintReopened', at, rec, channel, event.data.complaintId];
    case 'ComplaintSlaBreached':
      return ['complaintBreached', at, rec, channel, event.data.complaintId, event.data.sla];
    case 'ComplaintAwaitingCustomer':
      return ['complaintAwaiting', at, rec, channel, event.data.complaintId, event.data.by];
    case 'PromiseMade':
      return ['promiseMade', at, rec, channel, event.data.promiseId, event.data.dueAt, event.data.madeBy];
    case 'PromiseKept':
      return ['promiseKept', at, rec, channel, event.data.promiseId, event.data.keptBy];
    case 'PromiseRenegotiated':
      return ['promiseRenegotiated', at, rec, channel, event.data.promiseId, event.data.newDueAt];
    case 'PromiseBroken':
      return ['promiseBroken', at, rec, channel, event.data.promiseId];
    case 'PromiseCancelled':
      return ['promiseCancelled', at, rec, channel, event.data.promiseId];
    case 'PromiseBecameOverdue':
      return ['promiseOverdue', at, rec, channel, event.data.promiseId];
    default:
      return null;
  }
}

/**
 * Appends the event's fact. Pure and idempotent: an event at or below the document's position was
 * folded already and changes nothing.
 */
export function evolveServiceKpi(current: ServiceKpiDoc | null, event: ProjectedEvent): ServiceKpiDoc | null {
  if (current !== null && event.position <= current.position) return current;
  const fact = kpiFactOf(event);
  if (fact === null) return current;
  const customerId = event.data.customerId;
  return {
    id: customerId,
    customerId,
    position: event.position,
    facts: [...(current?.facts ?? []), fact],
  };
}

export const serviceKpiProjection: Projection<ServiceKpiDoc> = {
  name: 'service-kpi',
  // 2: a question to the customer (ComplaintAwaitingCustomer) is a first response.
  // 3: indexed by `position`, so the engine reads only the documents changed since its fact table.
  version: 3,
  handles: SERVICE_KPI_HANDLES,
  indexes: [{ fields: ['position'] }],
  evolve: evolveServiceKpi,
};
