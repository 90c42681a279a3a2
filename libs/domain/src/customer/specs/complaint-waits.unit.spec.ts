import { given } from '@rapport/testing';
import { command, complaintFiled, CUSTOMER, event, registered, T2, T3 } from './fixtures';

// Waiting for the customer on a complaint, and the next reply owed once the customer answers.
const data = { customerId: CUSTOMER, complaintId: 'k-1' };
const T4 = '2024-01-05T00:00:00.000Z';
const awaiting = (when = T2) => event(when, { type: 'ComplaintAwaitingCustomer', data: { ...data, by: 'agent-1' } });
const responded = (when = T3) => event(when, { type: 'ComplaintCustomerResponded', data });
const resolved = event(T3, { type: 'ComplaintResolved', data: { ...data, by: 'agent-1', resolution: 'refunded' } });

const wait = (fields: Record<string, unknown> = {}) =>
  command('AwaitComplaintCustomer', {
    occurredAt: T2,
    complaintId: 'k-1',
    by: 'agent-1',
    note: 'please send a photo',
    ...fields,
  });
const answer = (fields: Record<string, unknown> = {}) =>
  command('RecordComplaintCustomerResponse', { occurredAt: T3, complaintId: 'k-1', note: 'photo attached', ...fields });
const breach = (sla: 'acknowledgement' | 'nextReply' | 'resolution', dueAt = T3, noticedAt = T4) =>
  command('RecordComplaintSlaBreach', { occurredAt: dueAt, complaintId: 'k-1', sla, dueAt, noticedAt });

describe('waiting for the customer on a complaint', () => {
  it('given an open complaint, when the desk asks the customer, then it waits for the customer', () => {
    given([registered, complaintFiled()])
      .when(wait())
      .then([{ type: 'ComplaintAwaitingCustomer', data: { ...data, by: 'agent-1', note: 'please send a photo' } }]);
  });

  it('given a complaint already waiting, when the desk asks again, then it is refused', () => {
    given([registered, complaintFiled(), awaiting()])
      .when(wait())
      .thenThrows('complaint.already_awaiting_customer', { kind: 'conflict' });
  });

  it('given a resolved complaint, when the desk asks the customer, then it is refused', () => {
    given([registered, complaintFiled(), resolved])
      .when(wait({ occurredAt: T4 }))
      .thenThrows('complaint.not_open', { kind: 'conflict' });
  });

  it('given a waiting complaint, when the customer answers, then the answer is recorded', () => {
    given([registered, complaintFiled(), awaiting()])
      .when(answer())
      .then([{ type: 'ComplaintCustomerResponded', data: { ...data, note: 'photo attached' } }]);
  });

  it('given a complaint not waiting, when the customer answers, then it is refused', () => {
    given([registered, complaintFiled()])
      .when(answer())
      .thenThrows('complaint.not_awaiting_customer', { kind: 'conflict' });
    given([registered, complaintFiled(), awaiting(), responded()])
      .when(answer({ occurredAt: T4 }))
      .thenThrows('complaint.not_awaiting_customer');
  });

  it('given a waiting complaint, when it is resolved, then the wait ends with it', () => {
    given([registered, complaintFiled(), awaiting()])
      .when(command('ResolveComplaint', { occurredAt: T3, complaintId: 'k-1', by: 'agent-1', resolution: 'refunded' }))
      .then([{ type: 'ComplaintResolved', data: { ...data, by: 'agent-1', resolution: 'refunded' } }]);
  });

  it('rejects an empty complaint id or agent naming the field', () => {
    given([registered, complaintFiled()])
      .when(wait({ by: '' }))
      .thenThrows('value.required', { field: 'by' });
    given([registered, complaintFiled()])
      .when(answer({ complaintId: '' }))
      .thenThrows('value.required', { field: 'complaintId' });
  });
});

describe('SLA breaches with waits', () => {
  it('given the desk asked the customer (a first reply), when the watcher records a first-reply breach, then it is refused', () => {
    given([registered, complaintFiled(), awaiting()])
      .when(breach('acknowledgement', T2, T4))
      .thenThrows('complaint.sla_not_applicable');
  });

  it('given the customer answered, when the next-reply deadline passes, then its breach is recorded once', () => {
    given([registered, complaintFiled(), awaiting(), responded()])
      .when(breach('nextReply'))
      .then([{ type: 'ComplaintSlaBreached', data: { ...data, sla: 'nextReply', dueAt: T3 } }]);
    const recorded = event(T3, { type: 'ComplaintSlaBreached', data: { ...data, sla: 'nextReply', dueAt: T3 } });
    given([registered, complaintFiled(), awaiting(), responded(), recorded])
      .when(breach('nextReply'))
      .thenThrows('complaint.sla_not_applicable');
  });

  it('given no customer answer is waiting for a reply, when a next-reply breach is recorded, then it is refused', () => {
    given([registered, complaintFiled()]).when(breach('nextReply')).thenThrows('complaint.sla_not_applicable');
    // The desk replied (asked again) after the answer: nothing is owed.
    given([registered, complaintFiled(), awaiting(), responded(), awaiting(T3)])
      .when(breach('nextReply'))
      .thenThrows('complaint.sla_not_applicable');
  });
});
