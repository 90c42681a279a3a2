import type { CustomerCommand } from '../commands/customer-commands';
import { domainError, InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import { recordLifecycleStageChange, recordSentimentDrop } from '../alerts/alert-decide';
import {
  completeFollowUp,
  dismissFollowUp,
  reassignFollowUp,
  recordHealthBandChange,
  scheduleFollowUp,
} from '../follow-ups/follow-up-decide';
import { logCall } from './call-decide';
import {
  acknowledgeComplaint,
  awaitComplaintCustomer,
  escalateComplaint,
  fileComplaint,
  recordComplaintCustomerResponse,
  recordComplaintSlaBreach,
  reopenComplaint,
  resolveComplaint,
} from './complaint-decide';
import { validateCommandValues } from './customer-command-values';
import type { ActiveCustomer, CustomerState, DecidedEvent } from './customer-state';
import {
  breakPromise,
  cancelPromise,
  keepPromise,
  makePromise,
  markPromiseOverdue,
  renegotiatePromise,
} from './promise-decide';
import { recordPurchase, refundPurchase } from './purchase-decide';
import { eraseCustomer, registerCustomer, updateCustomerProfile } from './registration-decide';
import { recordSurveyResponse } from './survey-decide';

/**
 * Decides what a command records for one customer, or throws a DomainError naming the broken rule.
 * Pure: business time comes in the command, everything else in the state. First the command's values
 * on their own (`validateCommandValues`, 400), then the customer's lifecycle, then the command's own
 * business rules: one named function per command, grouped by touchpoint in `<touchpoint>-decide.ts`.
 */
export function decide(command: CustomerCommand, state: CustomerState): DecidedEvent[] {
  validateCommandValues(command);
  const { customerId } = command;
  if (state.status === 'erased')
    throw new RuleViolationError(
      'customer.erased',
      `customer ${customerId} was erased; nothing more is recorded for it`,
    );
  if (command.type === 'RegisterCustomer') return registerCustomer(command, state);
  if (state.status === 'unknown')
    throw new NotFoundError('customer.unknown', `customer ${customerId} is not registered`, 'customerId');
  const at = Date.parse(command.occurredAt);
  if (at < Date.parse(state.registeredAt)) {
    throw new InvalidValueError(
      'touchpoint.before_registration',
      'occurredAt',
      `occurredAt ${command.occurredAt} is before customer ${customerId} was registered (${state.registeredAt})`,
    );
  }
  return decideForActive(command, state, at);
}

/** Each command of a registered customer to its rules; `at` is its business time in milliseconds. */
function decideForActive(
  command: Exclude<CustomerCommand, { type: 'RegisterCustomer' }>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  switch (command.type) {
    case 'UpdateCustomerProfile':
      return updateCustomerProfile(command);
    case 'EraseCustomer':
      return eraseCustomer(command);
    case 'LogCall':
      return logCall(command, state);
    case 'RecordPurchase':
      return recordPurchase(command, state);
    case 'RefundPurchase':
      return refundPurchase(command, state, at);
    case 'MakePromise':
      return makePromise(command, state, at);
    case 'KeepPromise':
      return keepPromise(command, state, at);
    case 'RenegotiatePromise':
      return renegotiatePromise(command, state, at);
    case 'BreakPromise':
      return breakPromise(command, state, at);
    case 'CancelPromise':
      return cancelPromise(command, state, at);
    case 'MarkPromiseOverdue':
      return markPromiseOverdue(command, state, at);
    case 'FileComplaint':
      return fileComplaint(command, state);
    case 'AcknowledgeComplaint':
      return acknowledgeComplaint(command, state, at);
    case 'EscalateComplaint':
      return escalateComplaint(command, state, at);
    case 'ResolveComplaint':
      return resolveComplaint(command, state, at);
    case 'ReopenComplaint':
      return reopenComplaint(command, state, at);
    case 'RecordComplaintSlaBreach':
      return recordComplaintSlaBreach(command, state, at);
    case 'AwaitComplaintCustomer':
      return awaitComplaintCustomer(command, state, at);
    case 'RecordComplaintCustomerResponse':
      return recordComplaintCustomerResponse(command, state, at);
    case 'RecordSurveyResponse':
      return recordSurveyResponse(command, state);
    case 'ScheduleFollowUp':
      return scheduleFollowUp(command, state, at);
    case 'CompleteFollowUp':
      return completeFollowUp(command, state, at);
    case 'DismissFollowUp':
      return dismissFollowUp(command, state, at);
    case 'ReassignFollowUp':
      return reassignFollowUp(command, state, at);
    case 'RecordHealthBandChange':
      return recordHealthBandChange(command, state, at);
    case 'RecordLifecycleStageChange':
      return recordLifecycleStageChange(command, at);
    case 'RecordSentimentDrop':
      return recordSentimentDrop(command, at);
    default: {
      const unknown: never = command;
      throw domainError('value.invalid_enum', `unknown command type ${(unknown as { type: string }).type}`, 'type');
    }
  }
}
