import type { CustomerEvent } from '../events/customer-events';
import { emptyDict, type Dict } from './dict';
import { foldIntoOwned } from './customer-evolve';
import { FOLLOW_UP_RULES, FOLLOW_UP_TOUCHPOINT_TYPES, HEALTH_BANDS } from '../events/follow-up-events';
import {
  FOLLOW_UP_STATUSES,
  PROMISE_STATUSES,
  type FollowUpState,
  type TouchpointState,
  type ActiveCustomer,
  type ComplaintState,
  type CustomerState,
  type OrderState,
  type PromiseState,
} from './customer-state';

/**
 * Snapshot form of the decider state: one flat JSON array of columns (ids, codes, numbers, time
 * strings) instead of thousands of small keyed objects, so a persisted snapshot of a customer with
 * 10,000 events parses in about a millisecond. Times stay the exact strings of the events: they go
 * back into later events (`previousDueAt`), and re-formatting dates costs more than parsing them.
 *
 * Bump the version whenever the layout changes; a snapshot of another version is refused.
 */
// 3: follow-ups, touchpoint event ids and the health band.
export const CUSTOMER_SNAPSHOT_VERSION = 3;

/** A JSON-serialisable array; only `restoreCustomerState` reads it. */
export type EncodedCustomerState = readonly unknown[];

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}

const COMPLAINT_RESOLVED = 1;
const COMPLAINT_ACKNOWLEDGED = 2;
const COMPLAINT_ACK_SLA_BREACHED = 4;
const COMPLAINT_RESOLUTION_SLA_BREACHED = 8;
// Bits added without a version bump: a version 3 snapshot without them decodes to what it meant
// (nobody could be awaited, owe a next reply or breach one before these events existed; an acknowledged
// complaint is excluded from the first-reply step by its own bit).
const COMPLAINT_FIRST_REPLIED = 16;
const COMPLAINT_AWAITING_CUSTOMER = 32;
const COMPLAINT_REPLY_OWED = 64;
const COMPLAINT_NEXT_REPLY_SLA_BREACHED = 128;

/** Column positions of an active customer, after [version, status]. */
const enum At {
  CustomerId = 2,
  RegisteredAt,
  OrderIds,
  OrderCurrencies,
  OrderPaidCents,
  OrderRefundedCents,
  OrderPurchasedAt,
  RefundIds,
  CallIds,
  SurveyIds,
  PromiseIds,
  PromiseStatuses,
  PromiseMadeAt,
  PromiseDueAt,
  ComplaintIds,
  ComplaintFlags,
  ComplaintFiledAt,
  ComplaintOpenedAt,
  FollowUpIds,
  FollowUpRules,
  FollowUpStatuses,
  FollowUpScheduledAt,
  FollowUpAgents,
  FollowUpTeams,
  TouchpointIds,
  TouchpointTypes,
  TouchpointAt,
  HealthBand,
  HealthAt,
  Length,
}

export function encodeCustomerState(state: CustomerState): EncodedCustomerState {
  switch (state.status) {
    case 'unknown':
      return [CUSTOMER_SNAPSHOT_VERSION, 'unknown'];
    case 'erased':
      return [CUSTOMER_SNAPSHOT_VERSION, 'erased', state.customerId, state.erasedAt];
    case 'active':
      return encodeActive(state);
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

/** The state a snapshot holds, with `events` (those after it) folded in. Pure: `encoded` is only read. */
export function restoreCustomerState(encoded: unknown, events: Iterable<CustomerEvent> = []): CustomerState {
  return foldIntoOwned(decode(encoded), events);
}

function encodeActive(state: ActiveCustomer): EncodedCustomerState {
  const orders = Object.entries(state.orders);
  const promises = Object.entries(state.promises);
  const complaints = Object.entries(state.complaints);
  const encoded: unknown[] = [CUSTOMER_SNAPSHOT_VERSION, 'active', state.customerId, state.registeredAt];
  encoded[At.OrderIds] = orders.map(([id]) => id);
  encoded[At.OrderCurrencies] = orders.map(([, o]) => o.currency);
  encoded[At.OrderPaidCents] = orders.map(([, o]) => o.paidCents);
  encoded[At.OrderRefundedCents] = orders.map(([, o]) => o.refundedCents);
  encoded[At.OrderPurchasedAt] = orders.map(([, o]) => o.purchasedAt);
  encoded[At.RefundIds] = Object.keys(state.refundIds);
  encoded[At.CallIds] = Object.keys(state.callIds);
  encoded[At.SurveyIds] = Object.keys(state.surveyIds);
  encoded[At.PromiseIds] = promises.map(([id]) => id);
  encoded[At.PromiseStatuses] = promises.map(([, p]) => PROMISE_STATUSES.indexOf(p.status));
  encoded[At.PromiseMadeAt] = promises.map(([, p]) => p.madeAt);
  encoded[At.PromiseDueAt] = promises.map(([, p]) => p.dueAt);
  encoded[At.ComplaintIds] = complaints.map(([id]) => id);
  encoded[At.ComplaintFlags] = complaints.map(([, c]) => complaintFlags(c));
  encoded[At.ComplaintFiledAt] = complaints.map(([, c]) => c.filedAt);
  encoded[At.ComplaintOpenedAt] = complaints.map(([, c]) => c.openedAt);
  const followUps = Object.entries(state.followUps);
  const touchpoints = Object.entries(state.touchpoints);
  encoded[At.FollowUpIds] = followUps.map(([id]) => id);
  encoded[At.FollowUpRules] = followUps.map(([, f]) => FOLLOW_UP_RULES.indexOf(f.rule));
  encoded[At.FollowUpStatuses] = followUps.map(([, f]) => FOLLOW_UP_STATUSES.indexOf(f.status));
  encoded[At.FollowUpScheduledAt] = followUps.map(([, f]) => f.scheduledAt);
  encoded[At.FollowUpAgents] = followUps.map(([, f]) => f.assignee.agentId ?? null);
  encoded[At.FollowUpTeams] = followUps.map(([, f]) => f.assignee.team ?? null);
  encoded[At.TouchpointIds] = touchpoints.map(([id]) => id);
  encoded[At.TouchpointTypes] = touchpoints.map(([, t]) => FOLLOW_UP_TOUCHPOINT_TYPES.indexOf(t.type));
  encoded[At.TouchpointAt] = touchpoints.map(([, t]) => t.at);
  encoded[At.HealthBand] = state.health ? HEALTH_BANDS.indexOf(state.health.band) : null;
  encoded[At.HealthAt] = state.health?.at ?? null;
  return encoded;
}

const complaintFlags = (c: ComplaintState): number =>
  (c.status === 'resolved' ? COMPLAINT_RESOLVED : 0) |
  (c.acknowledged ? COMPLAINT_ACKNOWLEDGED : 0) |
  (c.slaBreached.acknowledgement ? COMPLAINT_ACK_SLA_BREACHED : 0) |
  (c.slaBreached.resolution ? COMPLAINT_RESOLUTION_SLA_BREACHED : 0) |
  (c.firstReplied ? COMPLAINT_FIRST_REPLIED : 0) |
  (c.awaitingCustomer ? COMPLAINT_AWAITING_CUSTOMER : 0) |
  (c.replyOwed ? COMPLAINT_REPLY_OWED : 0) |
  (c.slaBreached.nextReply ? COMPLAINT_NEXT_REPLY_SLA_BREACHED : 0);

/** A fresh state whose collections nobody else holds. */
function decode(encoded: unknown): CustomerState {
  if (!Array.isArray(encoded) || encoded[0] !== CUSTOMER_SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(`not a version ${CUSTOMER_SNAPSHOT_VERSION} customer snapshot`);
  }
  const status: unknown = encoded[1];
  if (status === 'unknown' && encoded.length === 2) return { status: 'unknown' };
  if (status === 'erased' && encoded.length === 4) {
    return { status: 'erased', customerId: text(encoded, 2), erasedAt: text(encoded, 3) };
  }
  if (status !== 'active' || encoded.length !== At.Length) {
    throw new SnapshotFormatError(`customer snapshot of status ${String(status)} has ${encoded.length} fields`);
  }
  return {
    status: 'active',
    customerId: text(encoded, At.CustomerId),
    registeredAt: text(encoded, At.RegisteredAt),
    orders: decodeOrders(encoded),
    refundIds: idSet(column(encoded, At.RefundIds)),
    callIds: idSet(column(encoded, At.CallIds)),
    surveyIds: idSet(column(encoded, At.SurveyIds)),
    promises: decodePromises(encoded),
    complaints: decodeComplaints(encoded),
    followUps: decodeFollowUps(encoded),
    touchpoints: decodeTouchpoints(encoded),
    health: decodeHealth(encoded),
  };
}

function decodeFollowUps(encoded: unknown[]): Dict<FollowUpState> {
  const [ids, rules, statuses, scheduledAt, agents, teams] = columns(encoded, At.FollowUpIds, 6) as Columns<6>;
  const followUps = emptyDict<FollowUpState>() as Record<string, FollowUpState>;
  for (let i = 0; i < ids.length; i++) {
    const rule = FOLLOW_UP_RULES[rules[i] as number];
    const status = FOLLOW_UP_STATUSES[statuses[i] as number];
    if (rule === undefined || status === undefined) {
      throw new SnapshotFormatError(`follow-up codes ${String(rules[i])}/${String(statuses[i])} are unknown`);
    }
    const assignee = Object.fromEntries(
      [['agentId', agents[i]] as const, ['team', teams[i]] as const].filter(([, v]) => typeof v === 'string'),
    );
    followUps[id(ids[i])] = { rule, status, scheduledAt: scheduledAt[i] as string, assignee };
  }
  return followUps;
}

function decodeTouchpoints(encoded: unknown[]): Dict<TouchpointState> {
  const [ids, types, at] = columns(encoded, At.TouchpointIds, 3) as Columns<3>;
  const touchpoints = emptyDict<TouchpointState>() as Record<string, TouchpointState>;
  for (let i = 0; i < ids.length; i++) {
    const type = FOLLOW_UP_TOUCHPOINT_TYPES[types[i] as number];
    if (type === undefined) throw new SnapshotFormatError(`touchpoint type code ${String(types[i])} is unknown`);
    touchpoints[id(ids[i])] = { type, at: at[i] as string };
  }
  return touchpoints;
}

function decodeHealth(encoded: unknown[]): ActiveCustomer['health'] {
  if (encoded[At.HealthBand] === null) return null;
  const band = HEALTH_BANDS[encoded[At.HealthBand] as number];
  if (band === undefined)
    throw new SnapshotFormatError(`health band code ${String(encoded[At.HealthBand])} is unknown`);
  return { band, at: text(encoded, At.HealthAt) };
}

function decodeOrders(encoded: unknown[]): Dict<OrderState> {
  const [ids, currencies, paid, refunded, purchasedAt] = columns(encoded, At.OrderIds, 5) as Columns<5>;
  const orders = emptyDict<OrderState>() as Record<string, OrderState>;
  for (let i = 0; i < ids.length; i++) {
    orders[id(ids[i])] = {
      currency: currencies[i] as string,
      paidCents: paid[i] as number,
      refundedCents: refunded[i] as number,
      purchasedAt: purchasedAt[i] as string,
    };
  }
  return orders;
}

function decodePromises(encoded: unknown[]): Dict<PromiseState> {
  const [ids, statuses, madeAt, dueAt] = columns(encoded, At.PromiseIds, 4) as Columns<4>;
  const promises = emptyDict<PromiseState>() as Record<string, PromiseState>;
  for (let i = 0; i < ids.length; i++) {
    const status = PROMISE_STATUSES[statuses[i] as number];
    if (status === undefined) throw new SnapshotFormatError(`promise status code ${String(statuses[i])} is unknown`);
    promises[id(ids[i])] = { status, madeAt: madeAt[i] as string, dueAt: dueAt[i] as string };
  }
  return promises;
}

function decodeComplaints(encoded: unknown[]): Dict<ComplaintState> {
  const [ids, flags, filedAt, openedAt] = columns(encoded, At.ComplaintIds, 4) as Columns<4>;
  const complaints = emptyDict<ComplaintState>() as Record<string, ComplaintState>;
  for (let i = 0; i < ids.length; i++) {
    const f = flags[i] as number;
    complaints[id(ids[i])] = {
      status: f & COMPLAINT_RESOLVED ? 'resolved' : 'open',
      filedAt: filedAt[i] as string,
      openedAt: openedAt[i] as string,
      acknowledged: (f & COMPLAINT_ACKNOWLEDGED) !== 0,
      firstReplied: (f & (COMPLAINT_FIRST_REPLIED | COMPLAINT_ACKNOWLEDGED | COMPLAINT_RESOLVED)) !== 0,
      awaitingCustomer: (f & COMPLAINT_AWAITING_CUSTOMER) !== 0,
      replyOwed: (f & COMPLAINT_REPLY_OWED) !== 0,
      slaBreached: {
        acknowledgement: (f & COMPLAINT_ACK_SLA_BREACHED) !== 0,
        nextReply: (f & COMPLAINT_NEXT_REPLY_SLA_BREACHED) !== 0,
        resolution: (f & COMPLAINT_RESOLUTION_SLA_BREACHED) !== 0,
      },
    };
  }
  return complaints;
}

function idSet(ids: unknown[]): Dict<true> {
  const set = emptyDict<true>() as Record<string, true>;
  for (const each of ids) set[id(each)] = true;
  return set;
}

function id(value: unknown): string {
  if (typeof value !== 'string') throw new SnapshotFormatError(`customer snapshot holds a non-text id`);
  return value;
}

function text(encoded: unknown[], at: number): string {
  const value = encoded[at];
  if (typeof value !== 'string') throw new SnapshotFormatError(`customer snapshot field ${at} is not text`);
  return value;
}

function column(encoded: unknown[], at: number): unknown[] {
  const value = encoded[at];
  if (!Array.isArray(value)) throw new SnapshotFormatError(`customer snapshot field ${at} is not a list`);
  return value as unknown[];
}

type Columns<N extends number, Found extends unknown[][] = []> = Found['length'] extends N
  ? Found
  : Columns<N, [...Found, unknown[]]>;

/** `count` columns from `first` on, all as long as the first (the ids). */
function columns(encoded: unknown[], first: number, count: number): unknown[][] {
  const found = Array.from({ length: count }, (_, i) => column(encoded, first + i));
  const length = found[0]?.length;
  if (found.some((c) => c.length !== length)) {
    throw new SnapshotFormatError(`customer snapshot columns ${first}..${first + count - 1} differ in length`);
  }
  return found;
}
