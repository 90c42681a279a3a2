import {
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  COMPLAINT_SEVERITIES,
  SURVEY_KINDS,
  SURVEY_SCORE_RANGES,
  type CommandOfType,
  type CustomerCommand,
} from '../commands/customer-commands';
import { InvalidValueError } from '../errors/domain-error';
import type { Demographics, PurchaseLine } from '../events/customer-events';
import {
  optionalEmail,
  optionalText,
  requireBoolean,
  requireCurrency,
  requireEnum,
  requireId,
  requireName,
  requireNumber,
  requireText,
  TEXT_LIMITS,
  requireTime,
} from './command-values';
import { toCents } from './customer-state';
import { validateFollowUpValues } from '../follow-ups/follow-up-values';
import { validateAlertValues } from '../alerts/alert-values';

/** Checks the values of a command on their own, before any history is consulted (400 on failure). */
export function validateCommandValues(command: CustomerCommand): void {
  requireId('customerId', command.customerId);
  requireTime('occurredAt', command.occurredAt);
  switch (command.type) {
    case 'RegisterCustomer':
      return registrationValues(command);
    case 'UpdateCustomerProfile':
      return profileChangeValues(command);
    case 'EraseCustomer':
      requireText('reason', command.reason, TEXT_LIMITS.erasureReason);
      return;
    case 'LogCall':
      requireId('callId', command.callId);
      requireEnum('direction', command.direction, CALL_DIRECTIONS);
      requireNumber('durationSeconds', command.durationSeconds, { min: 'zero', integer: true });
      requireId('agentId', command.agentId);
      requireText('topic', command.topic, TEXT_LIMITS.term);
      requireEnum('outcome', command.outcome, CALL_OUTCOMES);
      optionalText('notes', command.notes);
      return;
    case 'RecordPurchase':
      requireId('orderId', command.orderId);
      requireCurrency('currency', command.currency);
      purchaseLines(command.lines, command.total);
      return;
    case 'RefundPurchase':
      requireId('orderId', command.orderId);
      requireId('refundId', command.refundId);
      requireNumber('amount', command.amount, { min: 'positive' });
      if (command.currency !== undefined) requireCurrency('currency', command.currency);
      optionalText('reason', command.reason);
      return;
    case 'MakePromise':
    case 'KeepPromise':
    case 'RenegotiatePromise':
    case 'BreakPromise':
    case 'CancelPromise':
    case 'MarkPromiseOverdue':
      return promiseValues(command);
    case 'FileComplaint':
    case 'AcknowledgeComplaint':
    case 'EscalateComplaint':
    case 'ResolveComplaint':
    case 'ReopenComplaint':
    case 'RecordComplaintSlaBreach':
    case 'AwaitComplaintCustomer':
    case 'RecordComplaintCustomerResponse':
      return complaintValues(command);
    case 'RecordSurveyResponse':
      requireId('surveyId', command.surveyId);
      surveyAnswer(command.kind, command.score, command.comment);
      return;
    case 'ScheduleFollowUp':
    case 'CompleteFollowUp':
    case 'DismissFollowUp':
    case 'ReassignFollowUp':
    case 'RecordHealthBandChange':
      validateFollowUpValues(command);
      return;
    case 'RecordLifecycleStageChange':
    case 'RecordSentimentDrop':
      validateAlertValues(command);
      return;
    default: {
      const _exhaustive: never = command;
      throw new InvalidValueError(
        'value.invalid_enum',
        'type',
        `unknown command type ${(_exhaustive as { type: string }).type}`,
      );
    }
  }
}

type PromiseCommand = Extract<
  CustomerCommand,
  {
    type:
      'MakePromise' | 'KeepPromise' | 'RenegotiatePromise' | 'BreakPromise' | 'CancelPromise' | 'MarkPromiseOverdue';
  }
>;
type ComplaintCommand = Extract<
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

function registrationValues(command: CommandOfType<'RegisterCustomer'>): void {
  requireText('name', command.name, TEXT_LIMITS.name);
  optionalEmail('email', command.email);
  optionalText('phone', command.phone, TEXT_LIMITS.phone);
  optionalText('address', command.address);
  requireText('acquisitionChannel', command.acquisitionChannel, TEXT_LIMITS.label);
  requireNumber('acquisitionCost', command.acquisitionCost, { min: 'zero' });
  requireText('region', command.region, TEXT_LIMITS.label);
  requireText('city', command.city, TEXT_LIMITS.label);
  demographics('demographics', command.demographics);
}

function profileChangeValues(command: CommandOfType<'UpdateCustomerProfile'>): void {
  const changes = command.changes as Record<string, unknown> | undefined;
  const known = ['name', 'email', 'phone', 'address', 'region', 'city', 'demographics'];
  if (!changes || typeof changes !== 'object' || !known.some((k) => changes[k] !== undefined)) {
    throw new InvalidValueError(
      'profile.no_changes',
      'changes',
      `changes must set at least one of ${known.join(', ')}`,
    );
  }
  if (changes['name'] !== undefined) requireText('changes.name', changes['name'], TEXT_LIMITS.name);
  optionalEmail('changes.email', changes['email']);
  optionalText('changes.phone', changes['phone'], TEXT_LIMITS.phone);
  optionalText('changes.address', changes['address']);
  if (changes['region'] !== undefined) requireText('changes.region', changes['region'], TEXT_LIMITS.label);
  if (changes['city'] !== undefined) requireText('changes.city', changes['city'], TEXT_LIMITS.label);
  demographics('changes.demographics', changes['demographics']);
}

function promiseValues(command: PromiseCommand): void {
  switch (command.type) {
    case 'MakePromise':
      requireId('promiseId', command.promiseId);
      requireText('description', command.description);
      requireTime('dueAt', command.dueAt);
      requireId('madeBy', command.madeBy);
      requireBoolean('withinPolicy', command.withinPolicy);
      return;
    case 'KeepPromise':
      requireId('promiseId', command.promiseId);
      requireId('keptBy', command.keptBy);
      optionalText('note', command.note);
      return;
    case 'RenegotiatePromise':
      requireId('promiseId', command.promiseId);
      requireTime('newDueAt', command.newDueAt);
      optionalText('reason', command.reason);
      return;
    case 'BreakPromise':
    case 'CancelPromise':
      requireId('promiseId', command.promiseId);
      optionalText('reason', command.reason);
      return;
    case 'MarkPromiseOverdue':
      requireId('promiseId', command.promiseId);
      requireTime('noticedAt', command.noticedAt);
      return;
  }
}

function complaintValues(command: ComplaintCommand): void {
  switch (command.type) {
    case 'FileComplaint':
      requireId('complaintId', command.complaintId);
      requireText('category', command.category, TEXT_LIMITS.term);
      requireEnum('severity', command.severity, COMPLAINT_SEVERITIES);
      requireText('description', command.description);
      return;
    case 'AcknowledgeComplaint':
      requireId('complaintId', command.complaintId);
      requireId('by', command.by);
      optionalText('note', command.note);
      return;
    case 'EscalateComplaint':
      requireId('complaintId', command.complaintId);
      requireName('to', command.to);
      optionalText('reason', command.reason);
      return;
    case 'ResolveComplaint':
      requireId('complaintId', command.complaintId);
      requireId('by', command.by);
      requireText('resolution', command.resolution);
      return;
    case 'ReopenComplaint':
      requireId('complaintId', command.complaintId);
      optionalText('reason', command.reason);
      return;
    case 'RecordComplaintSlaBreach':
      requireId('complaintId', command.complaintId);
      requireEnum('sla', command.sla, ['acknowledgement', 'nextReply', 'resolution'] as const);
      requireTime('dueAt', command.dueAt);
      requireTime('noticedAt', command.noticedAt);
      return;
    case 'AwaitComplaintCustomer':
      requireId('complaintId', command.complaintId);
      requireId('by', command.by);
      optionalText('note', command.note);
      return;
    case 'RecordComplaintCustomerResponse':
      requireId('complaintId', command.complaintId);
      optionalText('note', command.note);
      return;
  }
}

function demographics(field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidValueError('value.required', field, `${field} must be an object`);
  const d = value as Demographics;
  optionalText(`${field}.ageBand`, d.ageBand, TEXT_LIMITS.demographic);
  optionalText(`${field}.gender`, d.gender, TEXT_LIMITS.demographic);
  optionalText(`${field}.incomeBand`, d.incomeBand, TEXT_LIMITS.demographic);
}

/** The most lines one purchase may hold. */
export const MAX_PURCHASE_LINES = 1_000;

/** Lines: at least one, at most MAX_PURCHASE_LINES; quantity a positive whole number; unit price not negative; total = sum within a cent. */
function purchaseLines(lines: PurchaseLine[], total: number): void {
  if (!Array.isArray(lines) || lines.length === 0) {
    throw new InvalidValueError('purchase.no_lines', 'lines', 'lines must hold at least one line');
  }
  if (lines.length > MAX_PURCHASE_LINES) {
    throw new InvalidValueError(
      'purchase.too_many_lines',
      'lines',
      `lines must hold at most ${MAX_PURCHASE_LINES} lines`,
    );
  }
  let sumCents = 0;
  lines.forEach((line, i) => {
    requireName(`lines[${i}].sku`, line?.sku);
    requireText(`lines[${i}].category`, line.category, TEXT_LIMITS.term);
    requireNumber(`lines[${i}].quantity`, line.quantity, { min: 'positive', integer: true });
    requireNumber(`lines[${i}].unitPrice`, line.unitPrice, { min: 'zero' });
    sumCents += line.quantity * line.unitPrice * 100;
  });
  requireNumber('total', total, { min: 'zero' });
  if (Math.abs(toCents(total) - sumCents) > 1) {
    throw new InvalidValueError(
      'purchase.total_mismatch',
      'total',
      `total ${total} differs from the sum of the lines (${(sumCents / 100).toFixed(2)}) by more than one cent`,
    );
  }
}

function surveyAnswer(kind: unknown, score: unknown, comment: unknown): void {
  const k = requireEnum('kind', kind, SURVEY_KINDS);
  optionalText('comment', comment);
  if (k === 'feedback') {
    if (score !== undefined)
      throw new InvalidValueError('survey.score_not_allowed', 'score', 'free feedback carries no score');
    if (typeof comment !== 'string' || comment.trim() === '') {
      throw new InvalidValueError('survey.comment_required', 'comment', 'free feedback needs a non-empty comment');
    }
    return;
  }
  if (score === undefined)
    throw new InvalidValueError('survey.score_required', 'score', `a ${k} response needs a score`);
  const { min, max } = SURVEY_SCORE_RANGES[k];
  if (typeof score !== 'number' || !Number.isInteger(score) || score < min || score > max) {
    throw new InvalidValueError(
      'survey.score_out_of_range',
      'score',
      `a ${k} score is a whole number from ${min} to ${max}`,
    );
  }
}
