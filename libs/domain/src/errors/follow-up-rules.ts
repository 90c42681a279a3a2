import type { DomainErrorKind } from './domain-rules';

/** The rules of follow-ups and health band changes; part of DOMAIN_RULES. */
export const FOLLOW_UP_DOMAIN_RULES = {
  'followUp.duplicate_id': { kind: 'conflict', description: 'a follow-up id is scheduled once per customer' },
  'followUp.rule_already_open': {
    kind: 'conflict',
    description: 'a customer has at most one open follow-up per rule',
  },
  'followUp.unknown': { kind: 'not_found', description: 'the follow-up was never scheduled for this customer' },
  'followUp.not_open': {
    kind: 'conflict',
    description: 'a follow-up is completed, dismissed or reassigned only while open (never after a dismissal)',
  },
  'followUp.action_before_scheduled': {
    kind: 'invalid',
    description: 'nothing happens to a follow-up before it was scheduled',
  },
  'followUp.due_before_scheduled': { kind: 'invalid', description: 'a follow-up is not due before it is scheduled' },
  'followUp.no_assignee': { kind: 'invalid', description: 'a follow-up is assigned to an agent, a team or both' },
  'followUp.same_assignee': { kind: 'invalid', description: 'a reassignment changes the agent or the team' },
  'followUp.no_reasons': { kind: 'invalid', description: 'a follow-up says why: at least one reason' },
  'touchpoint.unknown': {
    kind: 'not_found',
    description:
      "completion names the event id of a touchpoint (call, purchase, promise, complaint answer, survey) in the customer's stream",
  },
  'followUp.touchpoint_before_scheduled': {
    kind: 'invalid',
    description: 'the touchpoint that completes a follow-up occurs no earlier than the follow-up was scheduled',
  },
  'health.score_out_of_range': { kind: 'invalid', description: 'a health score is a number from 0 to 100' },
  'health.band_unchanged': { kind: 'conflict', description: 'a band change records a band other than the current one' },
  'health.change_out_of_order': {
    kind: 'invalid',
    description: 'a band change is dated after the last recorded one and no later than when it was noticed',
  },
} as const satisfies Record<string, { kind: DomainErrorKind; description: string }>;
