import type { FollowUpCommand } from '../commands/follow-up-commands';
import { domainError, InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import type { FollowUpAssignee } from '../events/follow-up-events';
import { dictGet } from '../customer/dict';
import type { ActiveCustomer, DecidedEvent, FollowUpState } from '../customer/customer-state';

/**
 * The rules of follow-ups and health band changes for an active customer; `at` is the command's
 * business time in milliseconds (values already checked by `validateFollowUpValues`).
 */
export function decideFollowUp(command: FollowUpCommand, state: ActiveCustomer, at: number): DecidedEvent[] {
  const { customerId } = command;
  switch (command.type) {
    case 'ScheduleFollowUp': {
      if (dictGet(state.followUps, command.followUpId)) {
        throw new RuleViolationError(
          'followUp.duplicate_id',
          `follow-up ${command.followUpId} was already scheduled`,
          'followUpId',
        );
      }
      const open = Object.entries(state.followUps).find(([, f]) => f.status === 'open' && f.rule === command.rule);
      if (open) {
        throw new RuleViolationError(
          'followUp.rule_already_open',
          `customer ${customerId} already has open follow-up ${open[0]} for rule ${command.rule}`,
          'rule',
        );
      }
      if (Date.parse(command.dueAt) < at) {
        throw new InvalidValueError(
          'followUp.due_before_scheduled',
          'dueAt',
          `dueAt ${command.dueAt} is before the follow-up is scheduled (${command.occurredAt})`,
        );
      }
      const { followUpId, rule, reasons, dueAt, assignee, priority, trigger } = command;
      return [
        {
          type: 'FollowUpScheduled',
          data: compact({
            customerId,
            followUpId,
            rule,
            reasons: reasons.map(({ code, detail, eventIds }) => ({ code, detail, eventIds: [...eventIds] })),
            dueAt,
            assignee: assigneeOf(assignee),
            priority,
            trigger,
          }),
        },
      ];
    }

    case 'CompleteFollowUp': {
      const followUp = openFollowUp(state, command.followUpId, at);
      const touchpoint = dictGet(state.touchpoints, command.touchpointEventId);
      if (!touchpoint) {
        throw new NotFoundError(
          'touchpoint.unknown',
          `event ${command.touchpointEventId} is not a touchpoint in the stream of customer ${customerId}`,
          'touchpointEventId',
        );
      }
      if (Date.parse(touchpoint.at) < Date.parse(followUp.scheduledAt)) {
        throw new InvalidValueError(
          'followUp.touchpoint_before_scheduled',
          'touchpointEventId',
          `touchpoint ${command.touchpointEventId} (${touchpoint.at}) occurred before follow-up ${command.followUpId} was scheduled (${followUp.scheduledAt})`,
        );
      }
      const { followUpId, outcome, touchpointEventId, completedBy, note } = command;
      return [
        {
          type: 'FollowUpCompleted',
          data: compact({ customerId, followUpId, outcome, touchpointEventId, completedBy, note }),
        },
      ];
    }

    case 'DismissFollowUp': {
      openFollowUp(state, command.followUpId, at);
      const { followUpId, dismissedBy, reason } = command;
      return [{ type: 'FollowUpDismissed', data: { customerId, followUpId, dismissedBy, reason } }];
    }

    case 'ReassignFollowUp': {
      const followUp = openFollowUp(state, command.followUpId, at);
      const to = assigneeOf(command.to);
      if (to.agentId === followUp.assignee.agentId && to.team === followUp.assignee.team) {
        throw new InvalidValueError(
          'followUp.same_assignee',
          'to',
          `follow-up ${command.followUpId} is already assigned to ${describe(to)}`,
        );
      }
      const { followUpId, reassignedBy, reason } = command;
      return [
        {
          type: 'FollowUpReassigned',
          data: compact({ customerId, followUpId, from: followUp.assignee, to, reassignedBy, reason }),
        },
      ];
    }

    case 'RecordHealthBandChange': {
      const current = state.health;
      if (current?.band === command.to) {
        throw new RuleViolationError(
          'health.band_unchanged',
          `customer ${customerId} is already in band ${command.to} (since ${current.at})`,
          'to',
        );
      }
      if ((current && at <= Date.parse(current.at)) || Date.parse(command.noticedAt) < at) {
        throw new InvalidValueError(
          'health.change_out_of_order',
          'occurredAt',
          `a band change at ${command.occurredAt} must follow the last one (${current?.at ?? 'none'}) and not follow its noticing (${command.noticedAt})`,
        );
      }
      const { to, score, reasons } = command;
      return [
        {
          type: 'CustomerHealthBandChanged',
          data: {
            customerId,
            from: current?.band ?? null,
            to,
            score,
            reasons: reasons.map(({ code, detail, eventIds }) => ({ code, detail, eventIds: [...eventIds] })),
          },
        },
      ];
    }

    default: {
      const _exhaustive: never = command;
      throw domainError('value.invalid_enum', `unknown command type ${(_exhaustive as { type: string }).type}`, 'type');
    }
  }
}

/** Open means neither completed nor dismissed; a dismissed follow-up is never completed later. */
function openFollowUp(state: ActiveCustomer, followUpId: string, at: number): FollowUpState {
  const followUp = dictGet(state.followUps, followUpId);
  if (!followUp) {
    throw new NotFoundError(
      'followUp.unknown',
      `follow-up ${followUpId} was never scheduled for customer ${state.customerId}`,
      'followUpId',
    );
  }
  if (at < Date.parse(followUp.scheduledAt)) {
    throw new InvalidValueError(
      'followUp.action_before_scheduled',
      'occurredAt',
      `follow-up ${followUpId} was scheduled at ${followUp.scheduledAt}, after this`,
    );
  }
  if (followUp.status !== 'open') {
    throw new RuleViolationError('followUp.not_open', `follow-up ${followUpId} is already ${followUp.status}`);
  }
  return followUp;
}

function assigneeOf({ agentId, team }: FollowUpAssignee): FollowUpAssignee {
  return compact({ agentId, team });
}

const describe = (a: FollowUpAssignee): string =>
  [a.agentId && `agent ${a.agentId}`, a.team && `team ${a.team}`].filter(Boolean).join(' in ');

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
