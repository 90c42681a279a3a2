import type { CommandOfType } from '../commands/customer-commands';
import type { AlertCommand } from '../commands/alert-commands';
import type { DecidedEvent } from '../customer/customer-state';
import { InvalidValueError, RuleViolationError } from '../errors';

// Alerts are recorded as the watcher saw them, dated at the moment they are about, which it cannot
// have noticed before it happened. Recording the same alert twice is prevented by the caller's
// idempotency key (the customer, the stage or drop, and its moment). `at`: business time in ms.

export function recordLifecycleStageChange(
  command: CommandOfType<'RecordLifecycleStageChange'>,
  at: number,
): DecidedEvent[] {
  const { customerId, from, to, reason, run } = command;
  noticedAfterItHappened(command, at);
  if (from === to)
    throw new RuleViolationError('lifecycle.stage_unchanged', `customer ${customerId} is already in stage ${to}`, 'to');
  return [{ type: 'LifecycleStageChanged', data: { customerId, from, to, reason, run } }];
}

export function recordSentimentDrop(command: CommandOfType<'RecordSentimentDrop'>, at: number): DecidedEvent[] {
  const { customerId, amount, rollingMean, highMean, highAt, positions } = command;
  noticedAfterItHappened(command, at);
  return [
    {
      type: 'SentimentDropped',
      data: { customerId, amount, rollingMean, highMean, highAt, positions: [...positions] },
    },
  ];
}

function noticedAfterItHappened(command: AlertCommand, at: number): void {
  if (Date.parse(command.noticedAt) < at) {
    throw new InvalidValueError(
      'alert.noticed_before_occurred',
      'noticedAt',
      `an alert about ${command.occurredAt} cannot have been noticed at ${command.noticedAt}`,
    );
  }
}
