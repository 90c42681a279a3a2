import type { DomainEvent } from './event-metadata';

// Waiting for the customer on a complaint: the desk replied and needs something from the customer
// (information, a photo, a confirmation). SLA clocks pause while it waits; when the customer answers,
// they run again and the desk owes its next reply. Fields marked PD are personal data.

/** The desk replied and now waits for the customer. Also a reply: it is a first response, and it answers an owed next reply. */
export type ComplaintAwaitingCustomer = DomainEvent<
  'ComplaintAwaitingCustomer',
  { customerId: string; complaintId: string; by: string; note?: string /* PD */ }
>;

/** The customer answered while the desk waited. */
export type ComplaintCustomerResponded = DomainEvent<
  'ComplaintCustomerResponded',
  { customerId: string; complaintId: string; note?: string /* PD */ }
>;

export type ComplaintWaitEvent = ComplaintAwaitingCustomer | ComplaintCustomerResponded;

export const COMPLAINT_WAIT_EVENT_TYPES = [
  'ComplaintAwaitingCustomer',
  'ComplaintCustomerResponded',
] as const satisfies readonly ComplaintWaitEvent['type'][];

export const COMPLAINT_WAIT_PERSONAL_DATA_FIELDS: Readonly<Record<ComplaintWaitEvent['type'], readonly string[]>> = {
  ComplaintAwaitingCustomer: ['note'],
  ComplaintCustomerResponded: ['note'],
};
