import type { CustomerCommand } from '../commands/customer-commands';
import { domainError, InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import { dictGet } from './dict';
import type { ActiveCustomer, ComplaintState, DecidedEvent } from './customer-state';

/** The complaint commands. */
export type ComplaintCommand = Extract<
  CustomerCommand,
  {
    type:
      | 'FileComplaint'
      | 'AcknowledgeComplaint'
      | 'EscalateComplaint'
      | 'ResolveComplaint'
      | 'ReopenComplaint'
      | 'RecordComplaintSlaBreach'
      | 'AwaitComplaintCustomer'
      | 'RecordComplaintCustomerResponse';
  }
>;

/**
 * The rules of an active customer's complaints and their SLA steps; `at` is the command's business time in milliseconds.
 */
export function decideComplaint(command: ComplaintCommand, state: ActiveCustomer, at: number): DecidedEvent[] {
  const { customerId } = command;
  switch (command.type) {
    case 'FileComplaint': {
      if (dictGet(state.complaints, command.complaintId)) {
        throw new RuleViolationError(
          'complaint.duplicate_id',
          `complaint ${command.complaintId} was already filed`,
          'complaintId',
        );
      }
      const { complaintId, category, severity, description } = command;
      return [{ type: 'ComplaintFiled', data: { customerId, complaintId, category, severity, description } }];
    }

    case 'AcknowledgeComplaint': {
      const complaint = openComplaint(state, command.complaintId, at);
      if (complaint.acknowledged) {
        throw new RuleViolationError(
          'complaint.already_acknowledged',
          `complaint ${command.complaintId} was already acknowledged`,
        );
      }
      const { complaintId, by, note } = command;
      return [{ type: 'ComplaintAcknowledged', data: compact({ customerId, complaintId, by, note }) }];
    }

    case 'EscalateComplaint': {
      openComplaint(state, command.complaintId, at);
      const { complaintId, to, reason } = command;
      return [{ type: 'ComplaintEscalated', data: compact({ customerId, complaintId, to, reason }) }];
    }

    case 'ResolveComplaint': {
      openComplaint(state, command.complaintId, at);
      const { complaintId, by, resolution } = command;
      return [{ type: 'ComplaintResolved', data: { customerId, complaintId, by, resolution } }];
    }

    case 'ReopenComplaint': {
      const complaint = existingComplaint(state, command.complaintId, at);
      if (complaint.status !== 'resolved') {
        throw new RuleViolationError('complaint.not_resolved', `complaint ${command.complaintId} is still open`);
      }
      return [
        {
          type: 'ComplaintReopened',
          data: compact({ customerId, complaintId: command.complaintId, reason: command.reason }),
        },
      ];
    }

    case 'RecordComplaintSlaBreach': {
      const { complaintId, sla, dueAt } = command;
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

    case 'AwaitComplaintCustomer': {
      const complaint = openComplaint(state, command.complaintId, at);
      if (complaint.awaitingCustomer) {
        throw new RuleViolationError(
          'complaint.already_awaiting_customer',
          `complaint ${command.complaintId} already waits for the customer`,
        );
      }
      const { complaintId, by, note } = command;
      return [{ type: 'ComplaintAwaitingCustomer', data: compact({ customerId, complaintId, by, note }) }];
    }

    case 'RecordComplaintCustomerResponse': {
      const complaint = openComplaint(state, command.complaintId, at);
      if (!complaint.awaitingCustomer) {
        throw new RuleViolationError(
          'complaint.not_awaiting_customer',
          `complaint ${command.complaintId} does not wait for the customer`,
        );
      }
      const { complaintId, note } = command;
      return [{ type: 'ComplaintCustomerResponded', data: compact({ customerId, complaintId, note }) }];
    }

    default: {
      const _exhaustive: never = command;
      throw domainError('value.invalid_enum', `unknown command type ${(_exhaustive as { type: string }).type}`, 'type');
    }
  }
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
