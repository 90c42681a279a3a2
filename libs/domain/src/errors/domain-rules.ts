import { FOLLOW_UP_DOMAIN_RULES } from './follow-up-rules';
import { ALERT_DOMAIN_RULES } from './alert-rules';

/** How a broken rule maps onto the outside world (the HTTP layer: 404, 409, 400). */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid';

/**
 * Every rule the customer decider enforces, by stable code. Codes never change once published:
 * clients and the HTTP layer key on them.
 */
export const DOMAIN_RULES = {
  'customer.unknown': {
    kind: 'not_found',
    description: 'nothing is recorded for a customer that was never registered',
  },
  'customer.erased': {
    kind: 'conflict',
    description: 'nothing is recorded for an erased customer; its id is never reused',
  },
  'customer.already_registered': { kind: 'conflict', description: 'a customer is registered once' },
  'profile.no_changes': { kind: 'invalid', description: 'a profile update changes at least one field' },
  'touchpoint.before_registration': {
    kind: 'invalid',
    description: 'no touchpoint occurs before the customer was registered',
  },
  'value.required': { kind: 'invalid', description: 'the field is required and must not be empty' },
  'value.invalid_time': { kind: 'invalid', description: 'times are ISO-8601 timestamps' },
  'value.invalid_enum': { kind: 'invalid', description: 'the value is not one of the allowed values' },
  'value.not_a_number': { kind: 'invalid', description: 'amounts, prices and durations are finite numbers' },
  'value.negative': { kind: 'invalid', description: 'the value must not be negative' },
  'value.not_positive': { kind: 'invalid', description: 'the value must be greater than zero' },
  'value.not_an_integer': { kind: 'invalid', description: 'the value must be a whole number' },
  'value.invalid_email': { kind: 'invalid', description: 'an email address looks like local@domain' },
  'value.too_long': { kind: 'invalid', description: 'ids are at most 200 characters, texts at most 10,000' },
  'value.invalid_id': {
    kind: 'invalid',
    description: 'ids are URL-safe: letters, digits and . _ ~ : @ -, starting with a letter or digit',
  },
  'currency.invalid': { kind: 'invalid', description: 'currencies are ISO 4217 codes: three capital letters' },
  'call.duplicate_id': { kind: 'conflict', description: 'a call id is logged once per customer' },
  'order.duplicate_id': { kind: 'conflict', description: 'an order id is recorded once per customer' },
  'order.unknown': { kind: 'not_found', description: 'a refund refers to an order of this customer' },
  'purchase.no_lines': { kind: 'invalid', description: 'a purchase has at least one line' },
  'purchase.too_many_lines': { kind: 'invalid', description: 'a purchase has at most 1,000 lines' },
  'purchase.total_mismatch': {
    kind: 'invalid',
    description: 'the total equals the sum of quantity x unit price over the lines, within one cent',
  },
  'refund.duplicate_id': { kind: 'conflict', description: 'a refund id is recorded once per customer' },
  'refund.exceeds_paid': { kind: 'conflict', description: 'refunds of an order never exceed what was paid for it' },
  'refund.currency_mismatch': { kind: 'conflict', description: 'a refund is in the currency of its order' },
  'refund.before_purchase': { kind: 'invalid', description: 'a refund does not occur before its purchase' },
  'promise.duplicate_id': { kind: 'conflict', description: 'a promise id is made once per customer' },
  'promise.unknown': { kind: 'not_found', description: 'the promise was never made to this customer' },
  'promise.due_before_made': {
    kind: 'invalid',
    description: 'a promise is not due before it is made (or renegotiated)',
  },
  'promise.not_open': {
    kind: 'conflict',
    description: 'a promise is kept, broken, renegotiated or cancelled only while open',
  },
  'promise.already_overdue': { kind: 'conflict', description: 'a promise becomes overdue once per due date' },
  'promise.not_yet_due': {
    kind: 'conflict',
    description: 'a promise becomes overdue only once its due date has passed when the system notices it',
  },
  'promise.overdue_not_at_due_date': {
    kind: 'invalid',
    description: 'a promise becomes overdue at its current due date: occurredAt is that date',
  },
  'promise.action_before_made': { kind: 'invalid', description: 'nothing happens to a promise before it was made' },
  'complaint.duplicate_id': { kind: 'conflict', description: 'a complaint id is filed once per customer' },
  'complaint.unknown': { kind: 'not_found', description: 'the complaint was never filed by this customer' },
  'complaint.already_acknowledged': {
    kind: 'conflict',
    description: 'a complaint is acknowledged (first response) once',
  },
  'complaint.not_open': {
    kind: 'conflict',
    description: 'a complaint is acknowledged, escalated or resolved only while open',
  },
  'complaint.not_resolved': { kind: 'conflict', description: 'only a resolved complaint can be reopened' },
  'complaint.sla_not_applicable': {
    kind: 'conflict',
    description:
      'an SLA is breached only while its step is pending, once per step, at a deadline of the current period',
  },
  'complaint.sla_not_yet_due': {
    kind: 'conflict',
    description: 'an SLA breach is recorded only once its deadline has passed when the system notices it',
  },
  'complaint.sla_breach_not_at_deadline': {
    kind: 'invalid',
    description: 'an SLA is breached at its deadline: occurredAt is dueAt',
  },
  'complaint.already_awaiting_customer': {
    kind: 'conflict',
    description: 'a complaint waits for the customer once at a time, until the customer answers',
  },
  'complaint.not_awaiting_customer': {
    kind: 'conflict',
    description: 'a customer answers a complaint only while the desk waits for them',
  },
  'complaint.action_before_filed': {
    kind: 'invalid',
    description: 'nothing happens to a complaint before it was filed',
  },
  'survey.duplicate_id': { kind: 'conflict', description: 'a customer answers a survey once' },
  'survey.score_out_of_range': { kind: 'invalid', description: 'NPS 0-10, CSAT 1-5, CES 1-7, whole numbers' },
  'survey.score_required': { kind: 'invalid', description: 'NPS, CSAT and CES responses carry a score' },
  'survey.score_not_allowed': { kind: 'invalid', description: 'free feedback carries no score' },
  'survey.comment_required': { kind: 'invalid', description: 'free feedback carries a comment' },
  ...FOLLOW_UP_DOMAIN_RULES,
  ...ALERT_DOMAIN_RULES,
} as const satisfies Record<string, { kind: DomainErrorKind; description: string }>;

export type DomainRule = keyof typeof DOMAIN_RULES;
