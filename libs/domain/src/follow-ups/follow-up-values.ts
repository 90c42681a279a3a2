import type { FollowUpCommand } from '../commands/follow-up-commands';
import { InvalidValueError } from '../errors/domain-error';
import {
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_PRIORITIES,
  FOLLOW_UP_RULES,
  HEALTH_BANDS,
  type FollowUpAssignee,
  type FollowUpReason,
} from '../events/follow-up-events';
import {
  optionalText,
  requireEnum,
  requireId,
  requireName,
  requireText,
  requireTime,
} from '../customer/command-values';

/** How much a follow-up's reasons may hold: declared once, for these checks and the HTTP DTOs. */
export const FOLLOW_UP_LIMITS = {
  /** Reasons one follow-up gives. */
  reasons: 20,
  /** Event ids one reason names. */
  eventIds: 100,
  /** Characters of one reason's detail. */
  reasonDetail: 1_000,
} as const;
const MAX_REASONS = FOLLOW_UP_LIMITS.reasons;
const MAX_EVENT_IDS = FOLLOW_UP_LIMITS.eventIds;

/** Checks the values of a follow-up or health command on their own, before any history (400 on failure). */
export function validateFollowUpValues(command: FollowUpCommand): void {
  switch (command.type) {
    case 'ScheduleFollowUp':
      requireId('followUpId', command.followUpId);
      requireEnum('rule', command.rule, FOLLOW_UP_RULES);
      reasons('reasons', command.reasons, true);
      requireTime('dueAt', command.dueAt);
      assignee('assignee', command.assignee);
      requireEnum('priority', command.priority, FOLLOW_UP_PRIORITIES);
      if (command.trigger !== undefined) requireName('trigger', command.trigger);
      return;
    case 'CompleteFollowUp':
      requireId('followUpId', command.followUpId);
      requireEnum('outcome', command.outcome, FOLLOW_UP_OUTCOMES);
      requireId('touchpointEventId', command.touchpointEventId);
      requireId('completedBy', command.completedBy);
      optionalText('note', command.note);
      return;
    case 'DismissFollowUp':
      requireId('followUpId', command.followUpId);
      requireId('dismissedBy', command.dismissedBy);
      requireText('reason', command.reason);
      return;
    case 'ReassignFollowUp':
      requireId('followUpId', command.followUpId);
      assignee('to', command.to);
      requireId('reassignedBy', command.reassignedBy);
      optionalText('reason', command.reason);
      return;
    case 'RecordHealthBandChange':
      requireEnum('to', command.to, HEALTH_BANDS);
      if (typeof command.score !== 'number' || !(command.score >= 0 && command.score <= 100)) {
        throw new InvalidValueError('health.score_out_of_range', 'score', 'score is a number from 0 to 100');
      }
      reasons('reasons', command.reasons, false);
      requireTime('noticedAt', command.noticedAt);
      return;
    default: {
      const _exhaustive: never = command;
      throw new InvalidValueError('value.invalid_enum', 'type', `unknown command type ${String(_exhaustive)}`);
    }
  }
}

function assignee(field: string, value: unknown): void {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidValueError('followUp.no_assignee', field, `${field} names an agentId, a team or both`);
  }
  const { agentId, team } = value as FollowUpAssignee;
  if (agentId === undefined && team === undefined) {
    throw new InvalidValueError('followUp.no_assignee', field, `${field} names an agentId, a team or both`);
  }
  if (agentId !== undefined) requireId(`${field}.agentId`, agentId);
  if (team !== undefined) requireId(`${field}.team`, team);
}

function reasons(field: string, value: unknown, required: boolean): void {
  if (!Array.isArray(value) || (required && value.length === 0)) {
    throw new InvalidValueError('followUp.no_reasons', field, `${field} is a list of at least one reason`);
  }
  if (value.length > MAX_REASONS) {
    throw new InvalidValueError('value.too_long', field, `${field} holds at most ${MAX_REASONS} reasons`);
  }
  value.forEach((reason: FollowUpReason, i) => {
    requireId(`${field}[${i}].code`, reason?.code);
    requireText(`${field}[${i}].detail`, reason.detail, FOLLOW_UP_LIMITS.reasonDetail);
    if (!Array.isArray(reason.eventIds) || reason.eventIds.length > MAX_EVENT_IDS) {
      throw new InvalidValueError(
        'value.required',
        `${field}[${i}].eventIds`,
        `eventIds is a list of at most ${MAX_EVENT_IDS} event ids`,
      );
    }
    reason.eventIds.forEach((id, j) => requireId(`${field}[${i}].eventIds[${j}]`, id));
  });
}
