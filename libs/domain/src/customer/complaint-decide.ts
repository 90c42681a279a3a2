import type { CommandOfType } from '../commands/customer-commands';
import { InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import { dictGet } from './dict';
import type { ActiveCustomer, ComplaintState, DecidedEvent } from './customer-state';

// An active customer's complaints and their SLA steps: acknowledged once, resolved only while open;
// `at` is the command's business time in milliseconds.

export function fileComplaint(command: CommandOfType<'FileComplaint'>, state: ActiveCustomer): DecidedEvent[] {
  const { customerId, complaintId, category, severity, description } = command;
  if (dictGet(state.complaints, complaintId)) {
    throw new RuleViolationError('complaint.duplicate_id', `complaint ${complaintId} was already filed`, 'complaintId');
  }
  return [{ type: 'ComplaintFiled', data: { customerId, complaintId, category, severity, description } }];
}

export function acknowledgeComplaint(
  command: CommandOfType<'AcknowledgeComplaint'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, by, note } = command;
  if (openComplaint(state, complaintId, at).acknowledged)
    throw new RuleViolationError('complaint.already_acknowledged', `complaint ${complaintId} was already acknowledged`);
  return [{ type: 'ComplaintAcknowledged', data: compact({ customerId, complaintId, by, note }) }];
}

export function escalateComplaint(
  command: CommandOfType<'EscalateComplaint'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, to, reason } = command;
  openComplaint(state, complaintId, at);
  return [{ type: 'ComplaintEscalated', data: compact({ customerId, complaintId, to, reason }) }];
}

export function resolveComplaint(
  command: CommandOfType<'ResolveComplaint'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, by, resolution } = command;
  openComplaint(state, complaintId, at);
  return [{ type: 'ComplaintResolved', data: { customerId, complaintId, by, resolution } }];
}

export function reopenComplaint(
  command: CommandOfType<'ReopenComplaint'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, reason } = command;
  if (existingComplaint(state, complaintId, at).status !== 'resolved')
    throw new RuleViolationError('complaint.not_resolved', `complaint ${complaintId} is still open`);
  return [{ type: 'ComplaintReopened', data: compact({ customerId, complaintId, reason }) }];
}

/** Recorded by the deadline watcher once per step still owed, dated at its deadline, after it passed. */
export function recordComplaintSlaBreach(
  command: CommandOfType<'RecordComplaintSlaBreach'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, sla, dueAt } = command;
  const complaint = existingComplaint(state, complaintId, at);
  const stepOwed =
    sla === 'resolution' ||
    (sla === 'acknowledgement' && !complaint.acknowledged && !complaint.firstReplied) ||
    (sla === 'nextReply' && complaint.replyOwed);
  const pending = complaint.status === 'open' && !complaint.slaBreached[sla] && stepOwed;
  if (!pending) {
    throw new RuleViolationError(
      'complaint.sla_not_applicable',
      `the ${sla} step of complaint ${complaintId} is not pending or its breach is already recorded`,
    );
  }
  if (at !== Date.parse(dueAt)) {
    throw new InvalidValueError(
      'complaint.sla_breach_not_at_deadline',
      'occurredAt',
      `the ${sla} breach occurs at its deadline ${dueAt}, not at ${command.occurredAt}`,
    );
  }
  // A resolution deadline of an earlier period (a watcher that read the complaint before a reopening).
  if (sla === 'resolution' && at < Date.parse(complaint.openedAt)) {
    throw new RuleViolationError(
      'complaint.sla_not_applicable',
      `the resolution deadline ${dueAt} is before complaint ${complaintId} was last (re)opened (${complaint.openedAt})`,
    );
  }
  if (Date.parse(command.noticedAt) <= at) {
    throw new RuleViolationError(
      'complaint.sla_not_yet_due',
      `the ${sla} deadline ${dueAt} has not passed at ${command.noticedAt}`,
    );
  }
  return [{ type: 'ComplaintSlaBreached', data: { customerId, complaintId, sla, dueAt } }];
}

export function awaitComplaintCustomer(
  command: CommandOfType<'AwaitComplaintCustomer'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, by, note } = command;
  if (openComplaint(state, complaintId, at).awaitingCustomer) {
    throw new RuleViolationError(
      'complaint.already_awaiting_customer',
      `complaint ${complaintId} already waits for the customer`,
    );
  }
  return [{ type: 'ComplaintAwaitingCustomer', data: compact({ customerId, complaintId, by, note }) }];
}

export function recordComplaintCustomerResponse(
  command: CommandOfType<'RecordComplaintCustomerResponse'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, complaintId, note } = command;
  if (!openComplaint(state, complaintId, at).awaitingCustomer) {
    throw new RuleViolationError(
      'complaint.not_awaiting_customer',
      `complaint ${complaintId} does not wait for the customer`,
    );
  }
  return [{ type: 'ComplaintCustomerResponded', data: compact({ customerId, complaintId, note }) }];
}

function existingComplaint(state: ActiveCustomer, complaintId: string, at: number): ComplaintState {
  const complaint = dictGet(state.complaints, complaintId);
  if (!complaint) {
    throw new NotFoundError(
      'complaint.unknown',
      `complaint ${complaintId} was never filed by customer ${state.customerId}`,
      'complaintId',
    );
  }
  if (at < Date.parse(complaint.filedAt)) {
    throw new InvalidValueError(
      'complaint.action_before_filed',
      'occurredAt',
      `complaint ${complaintId} was filed at ${complaint.filedAt}, after this`,
    );
  }
  return complaint;
}

function openComplaint(state: ActiveCustomer, complaintId: string, at: number): ComplaintState {
  const complaint = existingComplaint(state, complaintId, at);
  if (complaint.status !== 'open')
    throw new RuleViolationError('complaint.not_open', `complaint ${complaintId} is ${complaint.status}`);
  return complaint;
}
