import { given } from '@rapport/testing';
import { command, complaintFiled, CUSTOMER, event, registered, T1, T2, T3 } from './fixtures';

const data = { customerId: CUSTOMER, complaintId: 'k-1' };
const acknowledged = event(T2, { type: 'ComplaintAcknowledged', data: { ...data, by: 'agent-1' } });
const resolved = event(T2, {
  type: 'ComplaintResolved',
  data: { ...data, by: 'agent-1', resolution: 'replaced the parcel' },
});
const reopened = event(T3, { type: 'ComplaintReopened', data });
// Dated at the deadline it records (business time), whenever the watcher noticed it.
const slaBreached = (sla: 'acknowledgement' | 'resolution') =>
  event(T2, { type: 'ComplaintSlaBreached', data: { ...data, sla, dueAt: T2 } });

const acknowledge = command('AcknowledgeComplaint', {
  occurredAt: T2,
  complaintId: 'k-1',
  by: 'agent-1',
  note: 'we are on it',
});
const escalate = command('EscalateComplaint', { occurredAt: T2, complaintId: 'k-1', to: 'supervisor' });
const resolve = command('ResolveComplaint', {
  occurredAt: T2,
  complaintId: 'k-1',
  by: 'agent-1',
  resolution: 'refunded',
});
const reopen = command('ReopenComplaint', { occurredAt: T3, complaintId: 'k-1', reason: 'still broken' });
const T4 = '2024-01-05T00:00:00.000Z';
/** The watcher's command: dated at the deadline, noticed at the watcher's clock. */
const breach = (sla: 'acknowledgement' | 'resolution', dueAt = T2, noticedAt = T3) =>
  command('RecordComplaintSlaBreach', { occurredAt: dueAt, complaintId: 'k-1', sla, dueAt, noticedAt });

describe('filing complaints', () => {
  const file = (fields: Record<string, unknown> = {}) =>
    command('FileComplaint', {
      complaintId: 'k-1',
      category: 'delivery',
      severity: 'critical',
      description: 'never arrived',
      ...fields,
    });

  it('files a complaint', () => {
    given([registered])
      .when(file())
      .then([
        {
          type: 'ComplaintFiled',
          data: { ...data, category: 'delivery', severity: 'critical', description: 'never arrived' },
        },
      ]);
  });

  it('refuses the same complaint id twice', () => {
    given([registered, complaintFiled()]).when(file()).thenThrows('complaint.duplicate_id', { kind: 'conflict' });
  });

  it.each([
    [{ severity: 'urgent' }, 'value.invalid_enum', 'severity'],
    [{ description: '' }, 'value.required', 'description'],
    [{ category: '' }, 'value.required', 'category'],
  ] as const)('rejects %p with %s naming %s', (fields, rule, field) => {
    given([registered]).when(file(fields)).thenThrows(rule, { kind: 'invalid', field });
  });
});

describe('handling complaints', () => {
  it('acknowledges an open complaint once', () => {
    given([registered, complaintFiled()])
      .when(acknowledge)
      .then([{ type: 'ComplaintAcknowledged', data: { ...data, by: 'agent-1', note: 'we are on it' } }]);
    given([registered, complaintFiled(), acknowledged])
      .when(acknowledge)
      .thenThrows('complaint.already_acknowledged', { kind: 'conflict' });
  });

  it('escalates an open complaint, more than once if need be', () => {
    given([registered, complaintFiled(), acknowledged])
      .when(escalate)
      .then([{ type: 'ComplaintEscalated', data: { ...data, to: 'supervisor' } }]);
    given([registered, complaintFiled(), event(T2, { type: 'ComplaintEscalated', data: { ...data, to: 'lead' } })])
      .when(escalate)
      .then([{ type: 'ComplaintEscalated', data: { ...data, to: 'supervisor' } }]);
  });

  it('resolves an open complaint, acknowledged or not', () => {
    given([registered, complaintFiled()])
      .when(resolve)
      .then([{ type: 'ComplaintResolved', data: { ...data, by: 'agent-1', resolution: 'refunded' } }]);
  });

  it.each([
    ['acknowledge', acknowledge],
    ['escalate', escalate],
    ['resolve', resolve],
  ] as const)('refuses to %s a resolved complaint', (_name, action) => {
    given([registered, complaintFiled(), resolved]).when(action).thenThrows('complaint.not_open', { kind: 'conflict' });
  });

  it('reopens a resolved complaint, which can then be resolved again', () => {
    given([registered, complaintFiled(), resolved])
      .when(reopen)
      .then([{ type: 'ComplaintReopened', data: { ...data, reason: 'still broken' } }]);
    given([registered, complaintFiled(), resolved, reopened])
      .when({ ...resolve, occurredAt: T3 })
      .then([expect.objectContaining({ type: 'ComplaintResolved' })]);
  });

  it('refuses to reopen an open complaint', () => {
    given([registered, complaintFiled()]).when(reopen).thenThrows('complaint.not_resolved', { kind: 'conflict' });
  });

  it.each([
    ['acknowledge', acknowledge],
    ['escalate', escalate],
    ['resolve', resolve],
    ['reopen', reopen],
    ['breach', breach('acknowledgement')],
  ] as const)('refuses to %s an unknown complaint (404)', (_name, action) => {
    given([registered]).when(action).thenThrows('complaint.unknown', { kind: 'not_found', field: 'complaintId' });
  });

  it('refuses to act on a complaint before it was filed', () => {
    given([registered, complaintFiled('k-1', T2)])
      .when({ ...acknowledge, occurredAt: T1 })
      .thenThrows('complaint.action_before_filed', { kind: 'invalid' });
  });

  it('requires a resolution text', () => {
    given([registered, complaintFiled()])
      .when({ ...resolve, resolution: '' })
      .thenThrows('value.required', { field: 'resolution' });
  });
});

describe('complaint SLA breaches (system)', () => {
  it('records a missed acknowledgement deadline', () => {
    given([registered, complaintFiled()])
      .when(breach('acknowledgement'))
      .then([{ type: 'ComplaintSlaBreached', data: { ...data, sla: 'acknowledgement', dueAt: T2 } }]);
  });

  it('records a missed resolution deadline, even when acknowledged', () => {
    given([registered, complaintFiled(), acknowledged])
      .when(breach('resolution'))
      .then([{ type: 'ComplaintSlaBreached', data: { ...data, sla: 'resolution', dueAt: T2 } }]);
  });

  it('refuses a breach the watcher notices before the deadline has passed', () => {
    given([registered, complaintFiled()])
      .when(breach('acknowledgement', T2, T2))
      .thenThrows('complaint.sla_not_yet_due', { kind: 'conflict' });
  });

  it('given a complaint filed T1 and due T2, when the watcher notices at T4 after an escalation at T3, then the breach is dated T2', () => {
    const escalated = event(T3, { type: 'ComplaintEscalated', data: { ...data, to: 'supervisor' } });
    given([registered, complaintFiled(), escalated])
      .when(breach('resolution', T2, T4))
      .then([{ type: 'ComplaintSlaBreached', data: { ...data, sla: 'resolution', dueAt: T2 } }]);
  });

  it('refuses a breach dated other than its deadline (such as the time the watcher noticed it)', () => {
    given([registered, complaintFiled()])
      .when({ ...breach('acknowledgement'), occurredAt: T3 })
      .thenThrows('complaint.sla_breach_not_at_deadline', { kind: 'invalid', field: 'occurredAt' });
  });

  it('refuses a noticedAt that is not a time', () => {
    given([registered, complaintFiled()])
      .when(breach('acknowledgement', T2, 'soon'))
      .thenThrows('value.invalid_time', { field: 'noticedAt' });
  });

  it('refuses an acknowledgement breach once acknowledged, and any breach twice or once resolved', () => {
    given([registered, complaintFiled(), acknowledged])
      .when(breach('acknowledgement'))
      .thenThrows('complaint.sla_not_applicable');
    given([registered, complaintFiled(), slaBreached('resolution')])
      .when(breach('resolution'))
      .thenThrows('complaint.sla_not_applicable');
    given([registered, complaintFiled(), resolved])
      .when(breach('resolution'))
      .thenThrows('complaint.sla_not_applicable');
  });

  it('a reopened complaint can breach its resolution SLA again', () => {
    given([registered, complaintFiled(), slaBreached('resolution'), resolved, reopened])
      .when(breach('resolution', T4, '2024-01-06T00:00:00.000Z'))
      .then([expect.objectContaining({ type: 'ComplaintSlaBreached' })]);
  });

  it("given a complaint resolved and reopened on T3, when a watcher that read it before proposes the first period's resolution deadline T2, then it is refused", () => {
    given([registered, complaintFiled(), resolved, reopened])
      .when(breach('resolution', T2, T4))
      .thenThrows('complaint.sla_not_applicable', { kind: 'conflict' });
  });

  it('rejects an unknown SLA', () => {
    given([registered, complaintFiled()])
      .when({ ...breach('resolution'), sla: 'lunch' as 'resolution' })
      .thenThrows('value.invalid_enum', { field: 'sla' });
  });
});
