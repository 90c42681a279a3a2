import { COMPLAINT_SEVERITIES, type ComplaintSeverity, type ComplaintSlaStep } from '@rapport/domain';
import type { BusinessCalendarSpec } from './business-calendar';

/** The steps a complaint is held to, named as in ComplaintSlaBreached: first reply, next reply, resolution. */
export type SlaStep = ComplaintSlaStep;
export const SLA_STEPS: readonly SlaStep[] = ['acknowledgement', 'nextReply', 'resolution'];

export type SeverityHours = Readonly<Record<ComplaintSeverity, number>>;

/**
 * Hours allowed per severity: to acknowledge (first response, counted from filing) and to resolve
 * (counted from filing, or from the latest reopening). Applied at query and watch time, never in evolve,
 * so a policy change re-dates every open complaint without a rebuild.
 */
export interface ComplaintSlaPolicy {
  acknowledgeHours: SeverityHours;
  resolveHours: SeverityHours;
  /** Hours to the next reply once the customer answered; default: the acknowledge hours. */
  nextReplyHours?: SeverityHours;
  /** Warn when this share of a step's time is left (default 0.25). */
  warnFraction?: number;
  /** Business-hours calendars by name; without any, time is the wall clock. */
  calendars?: Record<string, BusinessCalendarSpec>;
  /** The calendar of customers whose region has none of its own. */
  calendar?: string;
  /** Region → calendar name. */
  regionCalendars?: Record<string, string>;
  /** Policies by severity and category, first match wins; what a rule leaves out comes from the hours above. */
  rules?: SlaRule[];
}

/** A service desk's policy for some complaints: those of the given severities and categories (absent: any). */
export interface SlaRule {
  name: string;
  severity?: ComplaintSeverity[];
  category?: string[];
  acknowledgeHours?: number;
  nextReplyHours?: number;
  resolveHours?: number;
  /** Warn this many business hours before each deadline (instead of the warn fraction). */
  warnBeforeHours?: number;
  /** Calendar for these complaints whatever the region. */
  calendar?: string;
}

export const DEFAULT_COMPLAINT_SLA_POLICY: ComplaintSlaPolicy = {
  acknowledgeHours: { low: 48, medium: 24, high: 8, critical: 2 },
  resolveHours: { low: 168, medium: 72, high: 24, critical: 8 },
};

/** A year: anything longer is a typo, not a service level. */
export const MAX_SLA_HOURS = 8760;

const HOUR_MS = 3_600_000;

/** A policy value out of range; `field` names it (`acknowledgeHours.high`). */
export class ComplaintSlaPolicyError extends Error {
  override readonly name = 'ComplaintSlaPolicyError';
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field} ${rule}`);
  }
}

/** Why an hours value is not allowed, or null when it is. */
export function slaHoursProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number of hours';
  if (value <= 0 || value > MAX_SLA_HOURS)
    return `must be more than 0 and at most ${MAX_SLA_HOURS} hours (got ${value})`;
  return null;
}

export type SeverityHoursOverrides = Partial<Record<ComplaintSeverity, number>>;

/** Merges overrides onto the defaults and checks every value; throws ComplaintSlaPolicyError naming the field. */
export function complaintSlaPolicy(
  overrides: { acknowledgeHours?: SeverityHoursOverrides; resolveHours?: SeverityHoursOverrides } = {},
): ComplaintSlaPolicy {
  const policy: ComplaintSlaPolicy = {
    acknowledgeHours: { ...DEFAULT_COMPLAINT_SLA_POLICY.acknowledgeHours, ...overrides.acknowledgeHours },
    resolveHours: { ...DEFAULT_COMPLAINT_SLA_POLICY.resolveHours, ...overrides.resolveHours },
  };
  for (const part of ['acknowledgeHours', 'resolveHours'] as const) {
    const unknown = Object.keys(policy[part]).find((key) => !(COMPLAINT_SEVERITIES as readonly string[]).includes(key));
    if (unknown !== undefined)
      throw new ComplaintSlaPolicyError(`${part}.${unknown}`, `is not a severity (${COMPLAINT_SEVERITIES.join(', ')})`);
    for (const severity of COMPLAINT_SEVERITIES) {
      const problem = slaHoursProblem(policy[part][severity]);
      if (problem !== null) throw new ComplaintSlaPolicyError(`${part}.${severity}`, problem);
    }
  }
  for (const severity of COMPLAINT_SEVERITIES) {
    // A first response due after the resolution itself is a misconfiguration.
    if (policy.acknowledgeHours[severity] > policy.resolveHours[severity]) {
      throw new ComplaintSlaPolicyError(
        `acknowledgeHours.${severity}`,
        `(${policy.acknowledgeHours[severity]}) must not exceed resolveHours.${severity} (${policy.resolveHours[severity]})`,
      );
    }
  }
  return policy;
}

/**
 * Reads `low:48,medium:24,high:8,critical:2` (any subset, any order, spaces allowed) into hours per
 * severity. Throws ComplaintSlaPolicyError naming `field` on a malformed entry, an unknown severity,
 * a repeated one or a value out of range.
 */
export function parseSeverityHours(text: string, field: string): SeverityHoursOverrides {
  const out: SeverityHoursOverrides = {};
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const match = /^([a-z]+)\s*:\s*(\S+)$/i.exec(entry);
    if (!match) throw new ComplaintSlaPolicyError(field, `entry "${entry}" must be severity:hours, e.g. high:8`);
    const severity = match[1]!.toLowerCase() as ComplaintSeverity;
    if (!COMPLAINT_SEVERITIES.includes(severity))
      throw new ComplaintSlaPolicyError(field, `"${match[1]}" is not a severity (${COMPLAINT_SEVERITIES.join(', ')})`);
    if (out[severity] !== undefined) throw new ComplaintSlaPolicyError(field, `gives ${severity} twice`);
    if (!/^\d+(\.\d+)?$/.test(match[2]!))
      throw new ComplaintSlaPolicyError(`${field}.${severity}`, `must be a number of hours (got ${match[2]})`);
    const hours = Number(match[2]);
    const problem = slaHoursProblem(hours);
    if (problem !== null) throw new ComplaintSlaPolicyError(`${field}.${severity}`, problem);
    out[severity] = hours;
  }
  return out;
}

/** `from` plus `hours`, as an ISO-8601 string (the same inputs always give the same string). */
export const addHours = (from: string, hours: number): string =>
  new Date(Date.parse(from) + Math.round(hours * HOUR_MS)).toISOString();

/** When the first response is due: filing time + acknowledge hours of the severity. */
export const acknowledgementDueAt = (
  c: { filedAt: string; severity: ComplaintSeverity },
  policy: ComplaintSlaPolicy,
): string => addHours(c.filedAt, policy.acknowledgeHours[c.severity]);

/** When the resolution is due: from the latest reopening (a fresh deadline), else from filing. */
export const resolutionDueAt = (
  c: { filedAt: string; reopenedAt: string | null; severity: ComplaintSeverity },
  policy: ComplaintSlaPolicy,
): string => addHours(c.reopenedAt ?? c.filedAt, policy.resolveHours[c.severity]);
