import type { AlertCommand } from '../commands/alert-commands';
import { LIFECYCLE_STAGE_NAMES } from '../events/alert-events';
import { InvalidValueError } from '../errors';

/** Checks an alert command's values (before the customer is loaded). */
export function validateAlertValues(command: AlertCommand): void {
  if (Number.isNaN(Date.parse(command.noticedAt)))
    throw new InvalidValueError('value.invalid_time', 'noticedAt', 'noticedAt must be an ISO-8601 timestamp');
  switch (command.type) {
    case 'RecordLifecycleStageChange':
      if (!LIFECYCLE_STAGE_NAMES.includes(command.to))
        throw new InvalidValueError(
          'value.invalid_enum',
          'to',
          `to must be one of ${LIFECYCLE_STAGE_NAMES.join(', ')}`,
        );
      if (command.from !== null && !LIFECYCLE_STAGE_NAMES.includes(command.from))
        throw new InvalidValueError(
          'value.invalid_enum',
          'from',
          `from must be null or one of ${LIFECYCLE_STAGE_NAMES.join(', ')}`,
        );
      if (typeof command.reason !== 'string' || command.reason.length > 500)
        throw new InvalidValueError('value.required', 'reason', 'reason is a text of at most 500 characters');
      return;
    case 'RecordSentimentDrop':
      for (const field of ['amount', 'rollingMean', 'highMean'] as const) {
        if (!Number.isFinite(command[field]))
          throw new InvalidValueError('value.not_a_number', field, `${field} must be a finite number`);
      }
      if (!(command.amount > 0))
        throw new InvalidValueError('value.not_positive', 'amount', 'a drop amount is greater than zero');
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
