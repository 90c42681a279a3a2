import type { CommandOfType } from '../commands/customer-commands';
import { InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import type { FollowUpAssignee } from '../events/follow-up-events';
import { dictGet } from '../customer/dict';
import type { ActiveCustomer, DecidedEvent, FollowUpState } from '../customer/customer-state';

// Follow-ups and health band changes of an active customer; `at` is the command's business time in
// milliseconds (values checked before, by `validateFollowUpValues`).

/** One open follow-up per rule, scheduled once, not due before it is scheduled. */
export function scheduleFollowUp(
  command: CommandOfType<'ScheduleFollowUp'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, followUpId, rule, reasons, dueAt, assignee, priority, trigger } = command;
  if (dictGet(state.followUps, followUpId)) {
    throw new RuleViolationError(
      'followUp.duplicate_id',
      `follow-up ${followUpId} was already scheduled`,
      'followUpId',
    );
  }
  const open = Object.entries(state.followUps).find(([, f]) => f.status === 'open' && f.rule === rule);
  if (open) {
    throw new RuleViolationError(
      'followUp.rule_already_open',
      `customer ${customerId} already has open follow-up ${open[0]} for rule ${rule}`,
      'rule',
    );
  }
  if (Date.parse(dueAt) < at) {
    throw new InvalidValueError(
      'followUp.due_before_scheduled',
      'dueAt',
      `dueAt ${dueAt} is before the follow-up is scheduled (${command.occurredAt})`,
    );
  }
  const data = compact({
    customerId,
    followUpId,
    rule,
    reasons: reasons.map(({ code, detail, eventIds }) => ({ code, detail, eventIds: [...eventIds] })),
    dueAt,
    assignee: assigneeOf(assignee),
    priority,
    trigger,
  });
  return [{ type: 'FollowUpScheduled', data }];
}

/** Completed by a touchpoint of this customer that occurred after the follow-up was scheduled. */
export function completeFollowUp(
  command: CommandOfType<'CompleteFollowUp'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, followUpId, outcome, touchpointEventId, completedBy, note } = command;
  const followUp = openFollowUp(state, followUpId, at);
  const touchpoint = dictGet(state.touchpoints, touchpointEventId);
  if (!touchpoint) {
    throw new NotFoundError(
      'touchpoint.unknown',
      `event ${touchpointEventId} is not a touchpoint in the stream of customer ${customerId}`,
      'touchpointEventId',
    );
  }
  if (Date.parse(touchpoint.at) < Date.parse(followUp.scheduledAt)) {
    throw new InvalidValueError(
      'followUp.touchpoint_before_scheduled',
      'touchpointEventId',
      `touchpoint ${touchpointEventId} (${touchpoint.at}) occurred before follow-up ${followUpId} was scheduled (${followUp.scheduledAt})`,
    );
  }
  const data = compact({ customerId, followUpId, outcome, touchpointEventId, completedBy, note });
  return [{ type: 'FollowUpCompleted', data }];
}

export function dismissFollowUp(
  command: CommandOfType<'DismissFollowUp'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, followUpId, dismissedBy, reason } = command;
  openFollowUp(state, followUpId, at);
  return [{ type: 'FollowUpDismissed', data: { customerId, followUpId, dismissedBy, reason } }];
}

export function reassignFollowUp(
  command: CommandOfType<'ReassignFollowUp'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, followUpId, reassignedBy, reason } = command;
  const followUp = openFollowUp(state, followUpId, at);
  const to = assigneeOf(command.to);
  if (to.agentId === followUp.assignee.agentId && to.team === followUp.assignee.team) {
    throw new InvalidValueError(
      'followUp.same_assignee',
      'to',
      `follow-up ${followUpId} is already assigned to ${describe(to)}`,
    );
  }
  const data = compact({ customerId, followUpId, from: followUp.assignee, to, reassignedBy, reason });
  return [{ type: 'FollowUpReassigned', data }];
}

/** A band change leaves the last recorded band, after it, and was not noticed before it happened. */
export function recordHealthBandChange(
  command: CommandOfType<'RecordHealthBandChange'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, to, score, reasons } = command;
  const current = state.health;
  if (current?.band === to) {
    throw new RuleViolationError(
      'health.band_unchanged',
      `customer ${customerId} is already in band ${to} (since ${current.at})`,
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
  const copied = reasons.map(({ code, detail, eventIds }) => ({ code, detail, eventIds: [...eventIds] }));
  return [
    {
      type: 'CustomerHealthBandChanged',
      data: { customerId, from: current?.band ?? null, to, score, reasons: copied },
    },
  ];
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
