import type { CustomerEvent } from '../events/customer-events';
import { dictGet, dictOwnedCopy, dictSet, dictSetInPlace, emptyDict, type Dict } from './dict';
import {
  toCents,
  type ActiveCustomer,
  type ComplaintState,
  type CustomerState,
  type PromiseState,
} from './customer-state';
import { applyFollowUp, rememberTouchpoint } from '../follow-ups/follow-up-evolve';

export function initialState(): CustomerState {
  return { status: 'unknown' };
}

type SetEntry = <T>(dict: Dict<T>, key: string, value: T) => Dict<T>;

/** The state after one more event. Pure: the given state is never changed. Unfitting events are ignored. */
export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  return apply(state, event, dictSet);
}

/**
 * The state after a run of events (from a snapshot when given): equal to `events.reduce(evolve, from)`
 * (a property test holds it to that) but in one pass, writing into a private copy of the state.
 */
export function rehydrate(events: Iterable<CustomerEvent>, from: CustomerState = initialState()): CustomerState {
  return foldIntoOwned(ownedCopy(from), events);
}

/**
 * Folds into a state whose collections the caller owns and nobody else sees (a restored snapshot, the
 * command side's cached state), writing into them instead of copying: a customer with thousands of
 * orders costs each new event O(1), not a copy of every collection. The given state is spent.
 */
export function foldIntoOwned(owned: CustomerState, events: Iterable<CustomerEvent>): CustomerState {
  let state = owned;
  for (const event of events) state = apply(state, event, dictSetInPlace);
  return state;
}

function ownedCopy(state: CustomerState): CustomerState {
  if (state.status !== 'active') return state;
  return {
    ...state,
    orders: dictOwnedCopy(state.orders),
    refundIds: dictOwnedCopy(state.refundIds),
    callIds: dictOwnedCopy(state.callIds),
    surveyIds: dictOwnedCopy(state.surveyIds),
    promises: dictOwnedCopy(state.promises),
    complaints: dictOwnedCopy(state.complaints),
    followUps: dictOwnedCopy(state.followUps),
    touchpoints: dictOwnedCopy(state.touchpoints),
  };
}

/** One transition; `set` decides whether collections are copied (evolve) or written in place (rehydrate). */
function apply(state: CustomerState, event: CustomerEvent, set: SetEntry): CustomerState {
  if (state.status === 'erased') return state;
  if (state.status === 'unknown') {
    if (event.type !== 'CustomerRegistered') return state;
    return {
      status: 'active',
      customerId: event.data.customerId,
      registeredAt: event.metadata.occurredAt,
      orders: emptyDict(),
      refundIds: emptyDict(),
      callIds: emptyDict(),
      surveyIds: emptyDict(),
      promises: emptyDict(),
      complaints: emptyDict(),
      followUps: emptyDict(),
      touchpoints: emptyDict(),
      health: null,
    };
  }
  const next = applyToActive(state, event, set);
  return next.status === 'active' ? rememberTouchpoint(next, event, set) : next;
}

function applyToActive(state: ActiveCustomer, event: CustomerEvent, set: SetEntry): CustomerState {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'CustomerRegistered':
    case 'CustomerProfileUpdated':
      return state;
    case 'CustomerErased':
      return { status: 'erased', customerId: state.customerId, erasedAt: at };
    case 'CallLogged':
      return { ...state, callIds: set(state.callIds, event.data.callId, true) };
    case 'PurchaseRecorded': {
      const order = {
        currency: event.data.currency,
        paidCents: toCents(event.data.total),
        refundedCents: 0,
        purchasedAt: at,
      };
      return { ...state, orders: set(state.orders, event.data.orderId, order) };
    }
    case 'PurchaseRefunded': {
      const refundIds = set(state.refundIds, event.data.refundId, true as const);
      const order = dictGet(state.orders, event.data.orderId);
      if (!order) return { ...state, refundIds };
      const refunded = { ...order, refundedCents: order.refundedCents + toCents(event.data.amount) };
      return { ...state, refundIds, orders: set(state.orders, event.data.orderId, refunded) };
    }
    case 'PromiseMade':
      return {
        ...state,
        promises: set(state.promises, event.data.promiseId, { status: 'open', madeAt: at, dueAt: event.data.dueAt }),
      };
    case 'PromiseKept':
      return updatePromise(state, set, event.data.promiseId, () => ({ status: 'kept' }));
    case 'PromiseRenegotiated':
      return updatePromise(state, set, event.data.promiseId, () => ({ status: 'open', dueAt: event.data.newDueAt }));
    case 'PromiseBroken':
      return updatePromise(state, set, event.data.promiseId, () => ({ status: 'broken' }));
    case 'PromiseCancelled':
      return updatePromise(state, set, event.data.promiseId, () => ({ status: 'cancelled' }));
    case 'PromiseBecameOverdue':
      return updatePromise(state, set, event.data.promiseId, () => ({ status: 'overdue' }));
    case 'ComplaintFiled':
    case 'ComplaintAcknowledged':
    case 'ComplaintEscalated':
    case 'ComplaintResolved':
    case 'ComplaintReopened':
    case 'ComplaintAwaitingCustomer':
    case 'ComplaintCustomerResponded':
    case 'ComplaintSlaBreached':
      return applyComplaint(state, event, set);
    case 'SurveyResponded':
      return { ...state, surveyIds: set(state.surveyIds, event.data.surveyId, true) };
    case 'FollowUpScheduled':
    case 'FollowUpCompleted':
    case 'FollowUpDismissed':
    case 'FollowUpReassigned':
    case 'CustomerHealthBandChanged':
      return applyFollowUp(state, event, set);
    case 'LifecycleStageChanged':
    case 'SentimentDropped':
      return state; // alerts about read models: nothing the decider's rules depend on
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
      return state;
    }
  }
}

type ComplaintEvent = Extract<
  CustomerEvent,
  {
    type:
      | 'ComplaintFiled'
      | 'ComplaintAcknowledged'
      | 'ComplaintEscalated'
      | 'ComplaintResolved'
      | 'ComplaintReopened'
      | 'ComplaintAwaitingCustomer'
      | 'ComplaintCustomerResponded'
      | 'ComplaintSlaBreached';
  }
>;

/** A complaint's steps: what the SLA and state rules read (opened, acknowledged, replies owed, breaches). */
function applyComplaint(state: ActiveCustomer, event: ComplaintEvent, set: SetEntry): ActiveCustomer {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'ComplaintFiled': {
      const complaint: ComplaintState = {
        status: 'open',
        filedAt: at,
        openedAt: at,
        acknowledged: false,
        firstReplied: false,
        awaitingCustomer: false,
        replyOwed: false,
        slaBreached: { acknowledgement: false, nextReply: false, resolution: false },
      };
      return { ...state, complaints: set(state.complaints, event.data.complaintId, complaint) };
    }
    case 'ComplaintAcknowledged':
      return updateComplaint(state, set, event.data.complaintId, () => ({ acknowledged: true, firstReplied: true }));
    case 'ComplaintEscalated': // no rule depends on how often a complaint was escalated
      return state;
    case 'ComplaintResolved':
      return updateComplaint(state, set, event.data.complaintId, () => ({
        status: 'resolved',
        firstReplied: true,
        awaitingCustomer: false,
        replyOwed: false,
      }));
    case 'ComplaintReopened':
      return updateComplaint(state, set, event.data.complaintId, (c) => ({
        status: 'open',
        openedAt: at,
        slaBreached: { ...c.slaBreached, nextReply: false, resolution: false },
      }));
    case 'ComplaintAwaitingCustomer':
      return updateComplaint(state, set, event.data.complaintId, () => ({
        firstReplied: true,
        awaitingCustomer: true,
        replyOwed: false,
      }));
    case 'ComplaintCustomerResponded':
      return updateComplaint(state, set, event.data.complaintId, (c) => ({
        awaitingCustomer: false,
        replyOwed: true,
        slaBreached: { ...c.slaBreached, nextReply: false },
      }));
    case 'ComplaintSlaBreached':
      return updateComplaint(state, set, event.data.complaintId, (c) => ({
        slaBreached: { ...c.slaBreached, [event.data.sla]: true },
      }));
  }
}

/** Entries are replaced, never changed, so a shared entry is never altered. */
function update<T>(dict: Dict<T>, set: SetEntry, key: string, change: (entry: T) => Partial<T>): Dict<T> {
  const entry = dictGet(dict, key);
  return entry === undefined ? dict : set(dict, key, { ...entry, ...change(entry) });
}

const updatePromise = (
  state: ActiveCustomer,
  set: SetEntry,
  id: string,
  change: (p: PromiseState) => Partial<PromiseState>,
): ActiveCustomer => ({
  ...state,
  promises: update(state.promises, set, id, change),
});

const updateComplaint = (
  state: ActiveCustomer,
  set: SetEntry,
  id: string,
  change: (c: ComplaintState) => Partial<ComplaintState>,
): ActiveCustomer => ({
  ...state,
  complaints: update(state.complaints, set, id, change),
});
