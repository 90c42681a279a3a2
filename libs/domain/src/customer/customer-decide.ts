import type { CustomerCommand } from '../commands/customer-commands';
import type { Demographics } from '../events/customer-events';
import { domainError, NotFoundError, RuleViolationError, InvalidValueError } from '../errors/domain-error';
import { validateCommandValues } from './command-rules';
import { decideFollowUp } from '../follow-ups/follow-up-decide';
import { decideAlert } from '../alerts/alert-decide';
import { compact } from './compact';
import { decideComplaint } from './complaint-decide';
import { decidePromise } from './promise-decide';
import { dictGet } from './dict';
import { toCents, type CustomerState, type DecidedEvent } from './customer-state';

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

    case 'MakePromise':
    case 'KeepPromise':
    case 'RenegotiatePromise':
    case 'BreakPromise':
    case 'CancelPromise':
    case 'MarkPromiseOverdue':
      return decidePromise(command, state, at);

    case 'FileComplaint':
    case 'AcknowledgeComplaint':
    case 'EscalateComplaint':
    case 'ResolveComplaint':
    case 'ReopenComplaint':
    case 'RecordComplaintSlaBreach':
    case 'AwaitComplaintCustomer':
    case 'RecordComplaintCustomerResponse':
      return decideComplaint(command, state, at);

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

function pickDemographics(value: Demographics | undefined): Demographics | undefined {
  if (value === undefined) return undefined;
  const { ageBand, gender, incomeBand } = value;
  return compact({ ageBand, gender, incomeBand });
}
