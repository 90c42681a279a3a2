import type { CustomerEvent } from '../events/customer-events';
import type { FollowUpAssignee, FollowUpRule, FollowUpTouchpointType, HealthBand } from '../events/follow-up-events';

import type { Dict } from './dict';

/** Money is tracked in hundredths so sums and comparisons are exact. */
export const toCents = (amount: number): number => Math.round(amount * 100);

export interface OrderState {
  currency: string;
  paidCents: number;
  refundedCents: number;
  purchasedAt: string;
}

export const PROMISE_STATUSES = ['open', 'overdue', 'kept', 'broken', 'cancelled'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

export interface PromiseState {
  status: PromiseStatus;
  madeAt: string;
  dueAt: string;
}

export type ComplaintStatus = 'open' | 'resolved';

export interface ComplaintState {
  status: ComplaintStatus;
  filedAt: string;
  /** When its current period began (filing, or the latest reopening): its resolution deadline counts from it. */
  openedAt: string;
  acknowledged: boolean;
  /** A first response was given: an acknowledgement, a question to the customer, or the resolution. */
  firstReplied: boolean;
  /** The desk waits for the customer (SLA clocks paused). */
  awaitingCustomer: boolean;
  /** The customer answered and the desk has not replied since. */
  replyOwed: boolean;
  /** SLA breaches recorded since the complaint was last (re)opened (next reply: since the customer last answered). */
  slaBreached: { acknowledgement: boolean; nextReply: boolean; resolution: boolean };
}

export const FOLLOW_UP_STATUSES = ['open', 'completed', 'dismissed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export interface FollowUpState {
  rule: FollowUpRule;
  status: FollowUpStatus;
  scheduledAt: string;
  assignee: FollowUpAssignee;
}

/** A touchpoint a follow-up's completion may name, by event id. */
export interface TouchpointState {
  type: FollowUpTouchpointType;
  at: string;
}

export interface UnknownCustomer {
  status: 'unknown';
}

export interface ActiveCustomer {
  status: 'active';
  customerId: string;
  registeredAt: string;
  orders: Dict<OrderState>;
  refundIds: Dict<true>;
  callIds: Dict<true>;
  surveyIds: Dict<true>;
  promises: Dict<PromiseState>;
  complaints: Dict<ComplaintState>;
  followUps: Dict<FollowUpState>;
  touchpoints: Dict<TouchpointState>;
  /** The health band last recorded, and when it changed (business time). */
  health: { band: HealthBand; at: string } | null;
}

export interface ErasedCustomer {
  status: 'erased';
  customerId: string;
  erasedAt: string;
}

/** What the rules need to know about one customer, keyed on its status. */
export type CustomerState = UnknownCustomer | ActiveCustomer | ErasedCustomer;

/** An event as `decide` returns it; the application layer adds the metadata. */
export type DecidedEvent = CustomerEvent extends infer E
  ? E extends CustomerEvent
    ? Pick<E, 'type' | 'data'>
    : never
  : never;
