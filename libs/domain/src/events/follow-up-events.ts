import type { DomainEvent } from './event-metadata';

// Follow-ups and customer health: what the worklist asks agents to do, what they did about it, and the
// health band changes downstream services subscribe to. Fields marked PD are personal data.

/** Why a follow-up exists: one of the worklist engine's triggers, or an agent's own. */
export type FollowUpRule =
  | 'revisit'
  | 'promise_due_soon'
  | 'complaint_sla_at_risk'
  | 'high_value_decline'
  | 'detractor_survey'
  | 'sentiment_drop'
  | 'manual';

export const FOLLOW_UP_RULES: readonly FollowUpRule[] = [
  'revisit',
  'promise_due_soon',
  'complaint_sla_at_risk',
  'high_value_decline',
  'detractor_survey',
  'sentiment_drop',
  'manual',
];

/** p1 is the most urgent; lexical order is priority order. */
export type FollowUpPriority = 'p1' | 'p2' | 'p3' | 'p4';
export const FOLLOW_UP_PRIORITIES: readonly FollowUpPriority[] = ['p1', 'p2', 'p3', 'p4'];

export type FollowUpOutcome = 'contacted' | 'resolved' | 'no_answer' | 'declined' | 'sale';
export const FOLLOW_UP_OUTCOMES: readonly FollowUpOutcome[] = [
  'contacted',
  'resolved',
  'no_answer',
  'declined',
  'sale',
];

/** Who works a follow-up: an agent, a team, or an agent within a team. */
export interface FollowUpAssignee {
  agentId?: string;
  team?: string;
}

/** One reason a follow-up (or a health score) has, with the events behind it so an auditor can trace it. */
export interface FollowUpReason {
  code: string;
  detail: string;
  eventIds: string[];
}

export type FollowUpScheduled = DomainEvent<
  'FollowUpScheduled',
  {
    customerId: string;
    followUpId: string;
    rule: FollowUpRule;
    reasons: FollowUpReason[];
    dueAt: string;
    assignee: FollowUpAssignee;
    priority: FollowUpPriority;
    /** The trigger it answers (e.g. `revisit:2024-05`), for audit and deduplication. */
    trigger?: string;
  }
>;

export type FollowUpCompleted = DomainEvent<
  'FollowUpCompleted',
  {
    customerId: string;
    followUpId: string;
    outcome: FollowUpOutcome;
    /** The event id of the touchpoint that did it (a logged call, a survey, a purchase, ...). */
    touchpointEventId: string;
    completedBy: string;
    note?: string; // PD
  }
>;

export type FollowUpDismissed = DomainEvent<
  'FollowUpDismissed',
  { customerId: string; followUpId: string; dismissedBy: string; reason: string /* PD */ }
>;

export type FollowUpReassigned = DomainEvent<
  'FollowUpReassigned',
  {
    customerId: string;
    followUpId: string;
    from: FollowUpAssignee;
    to: FollowUpAssignee;
    reassignedBy: string;
    reason?: string; // PD
  }
>;

export type HealthBand = 'healthy' | 'watch' | 'at_risk';
export const HEALTH_BANDS: readonly HealthBand[] = ['healthy', 'watch', 'at_risk'];

/**
 * Recorded by the system's health watcher when a customer's band changes, dated at the moment it
 * changed in business time.
 */
export type CustomerHealthBandChanged = DomainEvent<
  'CustomerHealthBandChanged',
  {
    customerId: string;
    from: HealthBand | null;
    to: HealthBand;
    score: number;
    reasons: FollowUpReason[];
  }
>;

export type FollowUpEvent =
  FollowUpScheduled | FollowUpCompleted | FollowUpDismissed | FollowUpReassigned | CustomerHealthBandChanged;

export const FOLLOW_UP_EVENT_TYPES = [
  'FollowUpScheduled',
  'FollowUpCompleted',
  'FollowUpDismissed',
  'FollowUpReassigned',
  'CustomerHealthBandChanged',
] as const satisfies readonly FollowUpEvent['type'][];

export const FOLLOW_UP_PERSONAL_DATA_FIELDS = {
  FollowUpScheduled: [],
  FollowUpCompleted: ['note'],
  FollowUpDismissed: ['reason'],
  FollowUpReassigned: ['reason'],
  CustomerHealthBandChanged: [],
} as const satisfies Record<FollowUpEvent['type'], readonly string[]>;

/** Touchpoints that can complete a follow-up: what an agent does with or for the customer. */
export const FOLLOW_UP_TOUCHPOINT_TYPES = [
  'CallLogged',
  'PurchaseRecorded',
  'PromiseMade',
  'PromiseKept',
  'PromiseRenegotiated',
  'ComplaintAcknowledged',
  'ComplaintResolved',
  'SurveyResponded',
] as const;
export type FollowUpTouchpointType = (typeof FOLLOW_UP_TOUCHPOINT_TYPES)[number];
