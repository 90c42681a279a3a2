import type { CustomerCommand } from '../commands/customer-commands';
import type { Demographics } from '../events/customer-events';
import { domainError, NotFoundError, RuleViolationError, InvalidValueError } from '../errors/domain-error';
import { validateCommandValues } from './command-rules';
import { decideFollowUp } from '../follow-ups/follow-up-decide';
import { decideAlert } from '../alerts/alert-decide';
import { dictGet } from './dict';
import {
  toCents,
  type ActiveCustomer,
  type ComplaintState,
  type CustomerState,
  type DecidedEvent,
  type PromiseState,
} from './customer-state';

/**
 * Decides what a command records for one customer, or throws a DomainError naming the broken rule.
 * Pure: business time comes in the command, everything else in the state.
 */
export function decide(command: CustomerCommand, state: CustomerState): DecidedEvent[] {
  validateCommandValues(command);
  const { customerId } = command;

  if (state.status === 'erased') {
    throw new RuleViolationError(
      'customer.erased',
      `customer ${customerId} was erased; nothing more is recorded for it`,
    );
  }
  if (command.type === 'RegisterCustomer') {
    if (state.status === 'active') {
      throw new RuleViolationError('customer.already_registered', `customer ${customerId} is already registered`);
    }
    const { name, email, phone, address, acquisitionChannel, acquisitionCost, region, city, demographics } = command;
    const data = { customerId, name, email, phone, address, acquisitionChannel, acquisitionCost, region, city };
    return [
      { type: 'CustomerRegistered', data: compact({ ...data, demographics: pickDemographics(demographics) ?? {} }) },
    ];
  }
  if (state.status === 'unknown') {
    throw new NotFoundError('customer.unknown', `customer ${customerId} is not registered`, 'customerId');
  }

  const at = Date.parse(command.occurredAt);
  if (at < Date.parse(state.registeredAt)) {
    throw new InvalidValueError(
      'touchpoint.before_registration',
      'occurredAt',
      `occurredAt ${command.occurredAt} is before customer ${customerId} was registered (${state.registeredAt})`,
    );
  }

  switch (command.type) {
    case 'UpdateCustomerProfile': {
      const { name, email, phone, address, region, city, demographics } = command.changes;
      const changes = compact({
        name,
        email,
        phone,
        address,
        region,
        city,
        demographics: pickDemographics(demographics),
      });
      return [{ type: 'CustomerProfileUpdated', data: { customerId, changes } }];
    }

    case 'EraseCustomer':
      return [{ type: 'CustomerErased', data: { customerId, reason: command.reason } }];

    case 'LogCall': {
      if (dictGet(state.callIds, command.callId))
        throw new RuleViolationError('call.duplicate_id', `call ${command.callId} is already logged`, 'callId');
      const { callId, direction, durationSeconds, agentId, topic, outcome, notes } = command;
      return [
        {
          type: 'CallLogged',
          data: compact({ customerId, callId, direction, durationSeconds, agentId, topic, outcome, notes }),
        },
      ];
    }

    case 'RecordPurchase': {
      if (dictGet(state.orders, command.orderId)) {
        throw new RuleViolationError('order.duplicate_id', `order ${command.orderId} is already recorded`, 'orderId');
      }
      const { orderId, lines, total, currency } = command;
      return [
        {
          type: 'PurchaseRecorded',
          data: {
            customerId,
            orderId,
            lines: lines.map(({ sku, category, quantity, unitPrice }) => ({ sku, category, quantity, unitPrice })),
            total,
            currency,
          },
        },
      ];
    }

    case 'RefundPurchase': {
      const order = dictGet(state.orders, command.orderId);
      if (!order)
        throw new NotFoundError(
          'order.unknown',
          `order ${command.orderId} is not recorded for customer ${customerId}`,
          'orderId',
        );
      if (dictGet(state.refundIds, command.refundId)) {
        throw new RuleViolationError(
          'refund.duplicate_id',
          `refund ${command.refundId} is already recorded`,
          'refundId',
        );
      }
      const currency = command.currency ?? order.currency;
      if (currency !== order.currency) {
        throw new RuleViolationError(
          'refund.currency_mismatch',
          `order ${command.orderId} was paid in ${order.currency}, not ${currency}`,
          'currency',
        );
      }
      if (at < Date.parse(order.purchasedAt)) {
        throw new InvalidValueError(
          'refund.before_purchase',
          'occurredAt',
          `the refund occurs before order ${command.orderId} was purchased`,
        );
      }
      const refundable = order.paidCents - order.refundedCents;
      if (toCents(command.amount) > refundable) {
        throw new RuleViolationError(
          'refund.exceeds_paid',
          `refund of ${command.amount} ${currency} exceeds what is left to refund on order ${command.orderId} (${refundable / 100})`,
          'amount',
        );
      }
      const { orderId, refundId, amount, reason } = command;
      return [{ type: 'PurchaseRefunded', data: compact({ customerId, orderId, refundId, amount, currency, reason }) }];
    }

    case 'MakePromise': {
      if (dictGet(state.promises, command.promiseId)) {
        throw new RuleViolationError(
          'promise.duplicate_id',
          `promise ${command.promiseId} was already made`,
          'promiseId',
        );
      }
      if (Date.parse(command.dueAt) < at) {
        throw new InvalidValueError(
          'promise.due_before_made',
          'dueAt',
          `dueAt ${command.dueAt} is before the promise is made (${command.occurredAt})`,
        );
      }
      const { promiseId, description, dueAt, madeBy, withinPolicy } = command;
      return [{ type: 'PromiseMade', data: { customerId, promiseId, description, dueAt, madeBy, withinPolicy } }];
    }

    case 'KeepPromise': {
      openPromise(state, command.promiseId, at);
      const { promiseId, keptBy, note } = command;
      return [{ type: 'PromiseKept', data: compact({ customerId, promiseId, keptBy, note }) }];
    }

    case 'RenegotiatePromise': {
      const promise = openPromise(state, command.promiseId, at);
      if (Date.parse(command.newDueAt) < at) {
        throw new InvalidValueError(
          'promise.due_before_made',
          'newDueAt',
          `newDueAt ${command.newDueAt} is before the renegotiation (${command.occurredAt})`,
        );
      }
      const { promiseId, newDueAt, reason } = command;
      return [
        {
          type: 'PromiseRenegotiated',
          data: compact({ customerId, promiseId, previousDueAt: promise.dueAt, newDueAt, reason }),
        },
      ];
    }

    case 'BreakPromise': {
      openPromise(state, command.promiseId, at);
      return [
        { type: 'PromiseBroken', data: compact({ customerId, promiseId: command.promiseId, reason: command.reason }) },
      ];
    }

    case 'CancelPromise': {
      openPromise(state, command.promiseId, at);
      return [
        {
          type: 'PromiseCancelled',
          data: compact({ customerId, promiseId: command.promiseId, reason: command.reason }),
        },
      ];
    }

    case 'MarkPromiseOverdue': {
      const promise = openPromise(state, command.promiseId, at);
      if (promise.status === 'overdue') {
        throw new RuleViolationError(
          'promise.already_overdue',
          `promise ${command.promiseId} is already overdue`,
          'promiseId',
        );
      }
      // Dated at the deadline it records (business time); a stale watcher's old due date is refused.
      if (at !== Date.parse(promise.dueAt)) {
        throw new InvalidValueError(
          'promise.overdue_not_at_due_date',
          'occurredAt',
          `promise ${command.promiseId} becomes overdue at its due date ${promise.dueAt}, not at ${command.occurredAt}`,
        );
      }
      if (Date.parse(command.noticedAt) <= at) {
        throw new RuleViolationError(
          'promise.not_yet_due',
          `promise ${command.promiseId} is due ${promise.dueAt}, not yet passed at ${command.noticedAt}`,
        );
      }
      return [
        { type: 'PromiseBecameOverdue', data: { customerId, promiseId: command.promiseId, dueAt: promise.dueAt } },
      ];
    }

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

    case 'RecordSurveyResponse': {
      if (dictGet(state.surveyIds, command.surveyId)) {
        throw new RuleViolationError(
          'survey.duplicate_id',
          `customer ${customerId} already answered survey ${command.surveyId}`,
          'surveyId',
        );
      }
      const { surveyId, kind, score, comment } = command;
      return [{ type: 'SurveyResponded', data: compact({ customerId, surveyId, kind, score, comment }) }];
    }

    case 'ScheduleFollowUp':
    case 'CompleteFollowUp':
    case 'DismissFollowUp':
    case 'ReassignFollowUp':
    case 'RecordHealthBandChange':
      return decideFollowUp(command, state, at);

    case 'RecordLifecycleStageChange':
    case 'RecordSentimentDrop':
      return decideAlert(command, customerId, at);

    default: {
      const _exhaustive: never = command;
      throw domainError('value.invalid_enum', `unknown command type ${(_exhaustive as { type: string }).type}`, 'type');
    }
  }
}

function existingPromise(state: ActiveCustomer, promiseId: string, at: number): PromiseState {
  const promise = dictGet(state.promises, promiseId);
  if (!promise)
    throw new NotFoundError(
      'promise.unknown',
      `promise ${promiseId} was never made to customer ${state.customerId}`,
      'promiseId',
    );
  if (at < Date.parse(promise.madeAt)) {
    throw new InvalidValueError(
      'promise.action_before_made',
      'occurredAt',
      `promise ${promiseId} was made at ${promise.madeAt}, after this`,
    );
  }
  return promise;
}

/** Open means not yet settled: `open` or `overdue`. */
function openPromise(state: ActiveCustomer, promiseId: string, at: number): PromiseState {
  const promise = existingPromise(state, promiseId, at);
  if (promise.status !== 'open' && promise.status !== 'overdue') {
    throw new RuleViolationError('promise.not_open', `promise ${promiseId} is already ${promise.status}`);
  }
  return promise;
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

function pickDemographics(value: Demographics | undefined): Demographics | undefined {
  if (value === undefined) return undefined;
  const { ageBand, gender, incomeBand } = value;
  return compact({ ageBand, gender, incomeBand });
}

/** Drops undefined fields so an absent optional value stays absent in the stored event. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
