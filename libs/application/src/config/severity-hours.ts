import { COMPLAINT_SEVERITIES } from '@rapport/domain';
import {
  ComplaintSlaPolicyError,
  parseSeverityHours,
  slaHoursProblem,
  type SeverityHours,
} from '@rapport/projections/complaint-sla/complaint-sla-policy';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * class-transformer step for `severity:hours,...` variables: the given severities over `defaults`.
 * A text that does not parse is left as it is, for IsSeverityHours to explain.
 */
export const severityHoursFrom =
  (defaults: SeverityHours) =>
  ({ value, key }: { value: unknown; key: string }): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return { ...defaults, ...parseSeverityHours(value, key) };
    } catch {
      return value;
    }
  };

/** Why `value` is not hours per severity, or null when it is. */
function severityHoursProblem(value: unknown, property: string): string | null {
  if (typeof value === 'string') {
    try {
      parseSeverityHours(value, property);
    } catch (error) {
      if (error instanceof ComplaintSlaPolicyError) return error.message;
      throw error;
    }
  }
  if (typeof value !== 'object' || value === null)
    return `${property} must be severity:hours pairs, e.g. low:48,medium:24,high:8,critical:2`;
  for (const severity of COMPLAINT_SEVERITIES) {
    const problem = slaHoursProblem((value as Record<string, unknown>)[severity]);
    if (problem !== null) return `${property}.${severity} ${problem}`;
  }
  return null;
}

/** class-validator rule: hours per complaint severity, each in (0, MAX_SLA_HOURS]; the message says what is wrong. */
export function IsSeverityHours(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSeverityHours',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args) =>
          severityHoursProblem(value, args?.property ?? String(propertyName)) === null,
        defaultMessage: (args) =>
          severityHoursProblem(args?.value, args?.property ?? String(propertyName)) ?? 'is invalid',
      },
    });
}
