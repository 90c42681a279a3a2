import type { CustomerEvent } from '../events/customer-events';
import { copyDict, emptyDict, toCents, type ActiveCustomer, type CustomerState } from './customer-state';

export function initialState(): CustomerState {
  return { status: 'unknown' };
}

/** The state after one more event. Pure: the given state is never changed. */
export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  return applyInPlace(shallowCopy(state), event);
}

/**
 * The state after a run of events, in one pass: equal to `events.reduce(evolve, from)` (a property
 * test holds it to that) but linear in the number of events, since the collections are copied once.
 */
export function rehydrate(events: Iterable<CustomerEvent>, from: CustomerState = initialState()): CustomerState {
  let state = shallowCopy(from);
  for (const event of events) state = applyInPlace(state, event);
  return state;
}

/** Copies the state and its collections one level deep; entries are replaced, never mutated. */
function shallowCopy(state: CustomerState): CustomerState {
  if (state.status !== 'active') return { ...state };
  return {
    ...state,
    orders: copyDict(state.orders),
    refundIds: copyDict(state.refundIds),
    callIds: copyDict(state.callIds),
    surveyIds: copyDict(state.surveyIds),
    promises: copyDict(state.promises),
    complaints: copyDict(state.complaints),
  };
}

/** Mutates a private copy (collections only; their entries are replaced). Unfitting events are ignored. */
function applyInPlace(state: CustomerState, event: CustomerEvent): CustomerState {
  if (state.status === 'erased') return state;
  if (state.status === 'unknown') {
    if (event.type !== 'CustomerRegistered') return state;
    const registered: ActiveCustomer = {
      status: 'active',
      customerId: event.data.customerId,
      registeredAt: event.metadata.occurredAt,
      orders: emptyDict(),
      refundIds: emptyDict(),
      callIds: emptyDict(),
      surveyIds: emptyDict(),
      promises: emptyDict(),
      complaints: emptyDict(),
    };
    return registered;
  }
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'CustomerRegistered':
    case 'CustomerProfileUpdated':
      return state;
    case 'CustomerErased':
      return { status: 'erased', customerId: state.customerId, erasedAt: at };
    case 'CallLogged':
      state.callIds[event.data.callId] = true;
      return state;
    case 'PurchaseRecorded':
      state.orders[event.data.orderId] = {
        currency: event.data.currency,
        paidCents: toCents(event.data.total),
        refundedCents: 0,
        purchasedAt: at,
      };
      return state;
    case 'PurchaseRefunded': {
      state.refundIds[event.data.refundId] = true;
      const order = state.orders[event.data.orderId];
      if (order) state.orders[event.data.orderId] = { ...order, refundedCents: order.refundedCents + toCents(event.data.amount) };
      return state;
    }
    case 'PromiseMade':
      state.promises[event.data.promiseId] = { status: 'open', madeAt: at, dueAt: event.data.dueAt };
      return state;
    case 'PromiseKept':
      return setPromise(state, event.data.promiseId, { status: 'kept' });
    case 'PromiseRenegotiated':
      return setPromise(state, event.data.promiseId, { status: 'open', dueAt: event.data.newDueAt });
    case 'PromiseBroken':
      return setPromise(state, event.data.promiseId, { status: 'broken' });
    case 'PromiseCancelled':
      return setPromise(state, event.data.promiseId, { status: 'cancelled' });
    case 'PromiseBecameOverdue':
      return setPromise(state, event.data.promiseId, { status: 'overdue' });
    case 'ComplaintFiled':
      state.complaints[event.data.complaintId] = {
        status: 'open',
        filedAt: at,
        acknowledged: false,
        escalations: 0,
        slaBreached: { acknowledgement: false, resolution: false },
      };
      return state;
    case 'ComplaintAcknowledged':
      return setComplaint(state, event.data.complaintId, () => ({ acknowledged: true }));
    case 'ComplaintEscalated':
      return setComplaint(state, event.data.complaintId, (c) => ({ escalations: c.escalations + 1 }));
    case 'ComplaintResolved':
      return setComplaint(state, event.data.complaintId, () => ({ status: 'resolved' }));
    case 'ComplaintReopened':
      return setComplaint(state, event.data.complaintId, (c) => ({
        status: 'open',
        slaBreached: { ...c.slaBreached, resolution: false },
      }));
    case 'ComplaintSlaBreached':
      return setComplaint(state, event.data.complaintId, (c) => ({
        slaBreached: { ...c.slaBreached, [event.data.sla]: true },
      }));
    case 'SurveyResponded':
      state.surveyIds[event.data.surveyId] = true;
      return state;
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
      return state;
    }
  }
}

function setPromise(state: ActiveCustomer, promiseId: string, change: Partial<ActiveCustomer['promises'][string]>): ActiveCustomer {
  const promise = state.promises[promiseId];
  if (promise) state.promises[promiseId] = { ...promise, ...change };
  return state;
}

type ComplaintChange = (complaint: ActiveCustomer['complaints'][string]) => Partial<ActiveCustomer['complaints'][string]>;

function setComplaint(state: ActiveCustomer, complaintId: string, change: ComplaintChange): ActiveCustomer {
  const complaint = state.complaints[complaintId];
  if (complaint) state.complaints[complaintId] = { ...complaint, ...change(complaint) };
  return state;
}
