import type { DomainEvent } from './event-metadata';
import {
  COMPLAINT_WAIT_EVENT_TYPES,
  COMPLAINT_WAIT_PERSONAL_DATA_FIELDS,
  type ComplaintWaitEvent,
} from './complaint-wait-events';
import { ALERT_EVENT_TYPES, ALERT_PERSONAL_DATA_FIELDS, type AlertEvent } from './alert-events';
import { FOLLOW_UP_EVENT_TYPES, FOLLOW_UP_PERSONAL_DATA_FIELDS, type FollowUpEvent } from './follow-up-events';

// Fields marked PD are personal data: encrypted in the stored event with the customer's key,
// read back as ERASED_TEXT once that key is destroyed.

export interface Demographics {
  ageBand?: string;
  gender?: string;
  incomeBand?: string;
}

export interface ContactDetails {
  name: string; // PD
  email?: string; // PD
  phone?: string; // PD
  address?: string; // PD
}

export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  ContactDetails & {
    customerId: string;
    acquisitionChannel: string;
    acquisitionCost: number;
    region: string;
    city: string;
    demographics: Demographics;
  }
>;

export type CustomerProfileUpdated = DomainEvent<
  'CustomerProfileUpdated',
  {
    customerId: string;
    changes: Partial<ContactDetails> & { region?: string; city?: string; demographics?: Demographics };
  }
>;

export type CustomerErased = DomainEvent<'CustomerErased', { customerId: string; reason: string }>;

export type CallDirection = 'inbound' | 'outbound';
export type CallOutcome = 'resolved' | 'follow_up' | 'no_answer' | 'escalated' | 'sale' | 'information';

export type CallLogged = DomainEvent<
  'CallLogged',
  {
    customerId: string;
    callId: string;
    direction: CallDirection;
    durationSeconds: number;
    agentId: string;
    topic: string;
    outcome: CallOutcome;
    notes?: string; // PD
  }
>;

export interface PurchaseLine {
  sku: string;
  category: string;
  quantity: number;
  unitPrice: number;
}

export type PurchaseRecorded = DomainEvent<
  'PurchaseRecorded',
  { customerId: string; orderId: string; lines: PurchaseLine[]; total: number; currency: string }
>;

export type PurchaseRefunded = DomainEvent<
  'PurchaseRefunded',
  { customerId: string; orderId: string; refundId: string; amount: number; currency: string; reason?: string /* PD */ }
>;

export type PromiseMade = DomainEvent<
  'PromiseMade',
  {
    customerId: string;
    promiseId: string;
    description: string; // PD
    dueAt: string;
    madeBy: string;
    withinPolicy: boolean;
  }
>;

export type PromiseKept = DomainEvent<
  'PromiseKept',
  { customerId: string; promiseId: string; keptBy: string; note?: string /* PD */ }
>;

export type PromiseRenegotiated = DomainEvent<
  'PromiseRenegotiated',
  { customerId: string; promiseId: string; previousDueAt: string; newDueAt: string; reason?: string /* PD */ }
>;

export type PromiseBroken = DomainEvent<
  'PromiseBroken',
  { customerId: string; promiseId: string; reason?: string /* PD */ }
>;

export type PromiseCancelled = DomainEvent<
  'PromiseCancelled',
  { customerId: string; promiseId: string; reason?: string /* PD */ }
>;

/** Recorded by the system's deadline watcher when a due date passes with the promise open. */
export type PromiseBecameOverdue = DomainEvent<
  'PromiseBecameOverdue',
  { customerId: string; promiseId: string; dueAt: string }
>;

export type ComplaintSeverity = 'low' | 'medium' | 'high' | 'critical';

export type ComplaintFiled = DomainEvent<
  'ComplaintFiled',
  {
    customerId: string;
    complaintId: string;
    category: string;
    severity: ComplaintSeverity;
    description: string; /* PD */
  }
>;

export type ComplaintAcknowledged = DomainEvent<
  'ComplaintAcknowledged',
  { customerId: string; complaintId: string; by: string; note?: string /* PD */ }
>;

export type ComplaintEscalated = DomainEvent<
  'ComplaintEscalated',
  { customerId: string; complaintId: string; to: string; reason?: string /* PD */ }
>;

export type ComplaintResolved = DomainEvent<
  'ComplaintResolved',
  { customerId: string; complaintId: string; by: string; resolution: string /* PD */ }
>;

export type ComplaintReopened = DomainEvent<
  'ComplaintReopened',
  { customerId: string; complaintId: string; reason?: string /* PD */ }
>;

/** An SLA step of a complaint: the first reply (acknowledgement), the next reply owed after the customer answered, the resolution. */
export type ComplaintSlaStep = 'acknowledgement' | 'nextReply' | 'resolution';

/** Recorded by the system when a step's deadline passes with the step not done. */
export type ComplaintSlaBreached = DomainEvent<
  'ComplaintSlaBreached',
  { customerId: string; complaintId: string; sla: ComplaintSlaStep; dueAt: string }
>;

export type SurveyKind = 'nps' | 'csat' | 'ces' | 'feedback';

export type SurveyResponded = DomainEvent<
  'SurveyResponded',
  { customerId: string; surveyId: string; kind: SurveyKind; score?: number; comment?: string /* PD */ }
>;

export type CustomerEvent =
  | CustomerRegistered
  | CustomerProfileUpdated
  | CustomerErased
  | CallLogged
  | PurchaseRecorded
  | PurchaseRefunded
  | PromiseMade
  | PromiseKept
  | PromiseRenegotiated
  | PromiseBroken
  | PromiseCancelled
  | PromiseBecameOverdue
  | ComplaintFiled
  | ComplaintAcknowledged
  | ComplaintEscalated
  | ComplaintResolved
  | ComplaintReopened
  | ComplaintSlaBreached
  | SurveyResponded
  | ComplaintWaitEvent
  | AlertEvent
  | FollowUpEvent;

export type CustomerEventType = CustomerEvent['type'];

export const CUSTOMER_EVENT_TYPES: readonly CustomerEventType[] = [
  'CustomerRegistered',
  'CustomerProfileUpdated',
  'CustomerErased',
  'CallLogged',
  'PurchaseRecorded',
  'PurchaseRefunded',
  'PromiseMade',
  'PromiseKept',
  'PromiseRenegotiated',
  'PromiseBroken',
  'PromiseCancelled',
  'PromiseBecameOverdue',
  'ComplaintFiled',
  'ComplaintAcknowledged',
  'ComplaintEscalated',
  'ComplaintResolved',
  'ComplaintReopened',
  'ComplaintSlaBreached',
  'SurveyResponded',
  ...COMPLAINT_WAIT_EVENT_TYPES,
  ...ALERT_EVENT_TYPES,
  ...FOLLOW_UP_EVENT_TYPES,
];

/** The event of one type, e.g. `EventOfType<'PromiseMade'>`. */
export type EventOfType<T extends CustomerEventType> = Extract<CustomerEvent, { type: T }>;

/** Personal-data paths per event type (dot paths into `data`): what the cipher encrypts. */
export const PERSONAL_DATA_FIELDS: Readonly<Record<CustomerEventType, readonly string[]>> = {
  CustomerRegistered: ['name', 'email', 'phone', 'address'],
  CustomerProfileUpdated: ['changes.name', 'changes.email', 'changes.phone', 'changes.address'],
  CustomerErased: [],
  CallLogged: ['notes'],
  PurchaseRecorded: [],
  PurchaseRefunded: ['reason'],
  PromiseMade: ['description'],
  PromiseKept: ['note'],
  PromiseRenegotiated: ['reason'],
  PromiseBroken: ['reason'],
  PromiseCancelled: ['reason'],
  PromiseBecameOverdue: [],
  ComplaintFiled: ['description'],
  ComplaintAcknowledged: ['note'],
  ComplaintEscalated: ['reason'],
  ComplaintResolved: ['resolution'],
  ComplaintReopened: ['reason'],
  ComplaintSlaBreached: [],
  SurveyResponded: ['comment'],
  ...COMPLAINT_WAIT_PERSONAL_DATA_FIELDS,
  ...ALERT_PERSONAL_DATA_FIELDS,
  ...FOLLOW_UP_PERSONAL_DATA_FIELDS,
};

/** What a personal-data field reads as once the customer's key is destroyed. */
export const ERASED_TEXT = '[erased]';

export const customerStreamId = (customerId: string): string => `customer-${customerId}`;
export const CUSTOMER_STREAM_PREFIX = 'customer-';
