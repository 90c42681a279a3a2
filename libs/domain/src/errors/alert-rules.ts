import type { DomainErrorKind } from './domain-rules';

/** The rules of alerts the system records (lifecycle stage changes, sentiment drops); part of DOMAIN_RULES. */
export const ALERT_DOMAIN_RULES = {
  'alert.noticed_before_occurred': {
    kind: 'invalid',
    description: 'an alert is not noticed before the moment it is about',
  },
  'lifecycle.stage_unchanged': {
    kind: 'conflict',
    description: 'a lifecycle stage change moves the customer to another stage',
  },
} as const satisfies Record<string, { kind: DomainErrorKind; description: string }>;
