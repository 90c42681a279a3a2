import type {
  FollowUpAssignee,
  FollowUpOutcome,
  FollowUpPriority,
  FollowUpReason,
  FollowUpRule,
  HealthBand,
} from '../events/follow-up-events';

interface FollowUpCommandBase<TType extends string> {
  type: TType;
  customerId: string;
  /** ISO-8601 business time. */
  occurredAt: string;
}

export type ScheduleFollowUp = FollowUpCommandBase<'ScheduleFollowUp'> & {
  followUpId: string;
  rule: FollowUpRule;
  reasons: FollowUpReason[];
  dueAt: string;
  assignee: FollowUpAssignee;
  priority: FollowUpPriority;
  trigger?: string;
};

export type CompleteFollowUp = FollowUpCommandBase<'CompleteFollowUp'> & {
  followUpId: string;
  outcome: FollowUpOutcome;
  touchpointEventId: string;
  completedBy: string;
  note?: string;
};

export type DismissFollowUp = FollowUpCommandBase<'DismissFollowUp'> & {
  followUpId: string;
  dismissedBy: string;
  reason: string;
};

export type ReassignFollowUp = FollowUpCommandBase<'ReassignFollowUp'> & {
  followUpId: string;
  to: FollowUpAssignee;
  reassignedBy: string;
  reason?: string;
};

/**
 * Issued by the system's health watcher: `occurredAt` is the moment the band changed (business time),
 * `noticedAt` the watcher's clock, which must not be before it.
 */
export type RecordHealthBandChange = FollowUpCommandBase<'RecordHealthBandChange'> & {
  to: HealthBand;
  score: number;
  reasons: FollowUpReason[];
  noticedAt: string;
};

export type FollowUpCommand =
  ScheduleFollowUp | CompleteFollowUp | DismissFollowUp | ReassignFollowUp | RecordHealthBandChange;

export const FOLLOW_UP_COMMAND_TYPES = [
  'ScheduleFollowUp',
  'CompleteFollowUp',
  'DismissFollowUp',
  'ReassignFollowUp',
  'RecordHealthBandChange',
] as const satisfies readonly FollowUpCommand['type'][];
