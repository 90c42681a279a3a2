import type { CustomerEvent } from '../events/customer-events';
import { dictGet, dictSet, emptyDict, type Dict } from './persistent-dict';
import { toCents, type ActiveCustomer, type ComplaintState, type CustomerState, type PromiseState } from './customer-state';

export function initialState(): CustomerState {
  return { status: 'unknown' };
}

/** The state after a run of events (from a snapshot when given). */
export function rehydrate(events: Iterable<CustomerEvent>, from: CustomerState = initialState()): CustomerState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

/** The state after one more event. Pure: the given state is never changed. Unfitting events are ignored. */
export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
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
    };
  }
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'CustomerRegistered':
    case 'CustomerProfileUpdated':
      return state;
    case 'CustomerErased':
      return { status: 'erased', customerId: state.customerId, erasedAt: at };
    case 'CallLogged':
      return { ...state, callIds: dictSet(state.callIds, event.data.callId, true) };
    case 'PurchaseRecorded': {
      const order = { currency: event.data.currency, paidCents: toCents(event.data.total), refundedCents: 0, purchasedAt: at };
      return { ...state, orders: dictSet(state.orders, event.data.orderId, order) };
    }
    case 'PurchaseRefunded': {
      const refundIds = dictSet(state.refundIds, event.data.refundId, true as const);
      const order = dictGet(state.orders, event.data.orderId);
      if (!order) return { ...state, refundIds };
      const refunded = { ...order, refundedCents: order.refundedCents + toCents(event.data.amount) };
      return { ...state, refundIds, orders: dictSet(state.orders, event.data.orderId, refunded) };
    }
    case 'PromiseMade':
      return { ...state, promises: dictSet(state.promises, event.data.promiseId, { status: 'open', madeAt: at, dueAt: event.data.dueAt }) };
    case 'PromiseKept':
      return updatePromise(state, event.data.promiseId, () => ({ status: 'kept' }));
    case 'PromiseRenegotiated':
      return updatePromise(state, event.data.promiseId, () => ({ status: 'open', dueAt: event.data.newDueAt }));
    case 'PromiseBroken':
      return updatePromise(state, event.data.promiseId, () => ({ status: 'broken' }));
    case 'PromiseCancelled':
      return updatePromise(state, event.data.promiseId, () => ({ status: 'cancelled' }));
    case 'PromiseBecameOverdue':
      return updatePromise(state, event.data.promiseId, () => ({ status: 'overdue' }));
    case 'ComplaintFiled': {
      const complaint: ComplaintState = {
        status: 'open',
        filedAt: at,
        acknowledged: false,
        escalations: 0,
        slaBreached: { acknowledgement: false, resolution: false },
      };
      return { ...state, complaints: dictSet(state.complaints, event.data.complaintId, complaint) };
    }
    case 'ComplaintAcknowledged':
      return updateComplaint(state, event.data.complaintId, () => ({ acknowledged: true }));
    case 'ComplaintEscalated':
      return updateComplaint(state, event.data.complaintId, (c) => ({ escalations: c.escalations + 1 }));
    case 'ComplaintResolved':
      return updateComplaint(state, event.data.complaintId, () => ({ status: 'resolved' }));
    case 'ComplaintReopened':
      return updateComplaint(state, event.data.complaintId, (c) => ({ status: 'open', slaBreached: { ...c.slaBreached, resolution: false } }));
    case 'ComplaintSlaBreached':
      return updateComplaint(state, event.data.complaintId, (c) => ({ slaBreached: { ...c.slaBreached, [event.data.sla]: true } }));
    case 'SurveyResponded':
      return { ...state, surveyIds: dictSet(state.surveyIds, event.data.surveyId, true) };
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
      return state;
    }
  }
}

function update<T>(dict: Dict<T>, key: string, change: (entry: T) => Partial<T>): Dict<T> {
  const entry = dictGet(dict, key);
  return entry === undefined ? dict : dictSet(dict, key, { ...entry, ...change(entry) });
}

const updatePromise = (state: ActiveCustomer, id: string, change: (p: PromiseState) => Partial<PromiseState>): ActiveCustomer => ({
  ...state,
  promises: update(state.promises, id, change),
});

const updateComplaint = (state: ActiveCustomer, id: string, change: (c: ComplaintState) => Partial<ComplaintState>): ActiveCustomer => ({
  ...state,
  complaints: update(state.complaints, id, change),
});
