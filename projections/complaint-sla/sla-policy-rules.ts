import { COMPLAINT_SEVERITIES, type ComplaintSeverity } from '@rapport/domain';
import {
  ALWAYS_OPEN,
  businessCalendar,
  CalendarSpecError,
  type BusinessCalendar,
  type BusinessCalendarSpec,
} from './business-calendar';
import {
  ComplaintSlaPolicyError,
  complaintSlaPolicy,
  slaHoursProblem,
  type ComplaintSlaPolicy,
  type SlaRule,
  type SlaStep,
} from './complaint-sla-policy';

const HOUR = 3_600_000;
export const DEFAULT_WARN_FRACTION = 0.25;

/** What holds for one complaint: hours per step, warning lead per step, the calendar. */
export interface ResolvedSlaPolicy {
  /** The matching rule's name, or null for the severity defaults. */
  rule: string | null;
  calendarName: string | null;
  calendar: BusinessCalendar;
  hours: Record<SlaStep, number>;
  /** Business ms before each deadline when the step warns. */
  warnBeforeMs: Record<SlaStep, number>;
}

const compiled = new WeakMap<ComplaintSlaPolicy, Map<string, BusinessCalendar>>();
function calendarOf(policy: ComplaintSlaPolicy, name: string | undefined): BusinessCalendar {
  if (name === undefined) return ALWAYS_OPEN;
  const spec = policy.calendars?.[name];
  if (spec === undefined) return ALWAYS_OPEN;
  const cache = compiled.get(policy) ?? new Map<string, BusinessCalendar>();
  compiled.set(policy, cache);
  let cal = cache.get(name);
  if (cal === undefined) cache.set(name, (cal = businessCalendar(spec)));
  return cal;
}

const matches = (rule: SlaRule, c: { severity: ComplaintSeverity; category: string }): boolean =>
  (rule.severity === undefined || rule.severity.includes(c.severity)) &&
  (rule.category === undefined || rule.category.includes(c.category));

/** The policy of one complaint: the first matching rule over the severity hours; its region's calendar. */
export function resolveSlaPolicy(
  policy: ComplaintSlaPolicy,
  c: { severity: ComplaintSeverity; category: string },
  region: string | null = null,
): ResolvedSlaPolicy {
  const rule = policy.rules?.find((r) => matches(r, c));
  const hours: Record<SlaStep, number> = {
    acknowledgement: rule?.acknowledgeHours ?? policy.acknowledgeHours[c.severity],
    nextReply: rule?.nextReplyHours ?? policy.nextReplyHours?.[c.severity] ?? policy.acknowledgeHours[c.severity],
    resolution: rule?.resolveHours ?? policy.resolveHours[c.severity],
  };
  const fraction = policy.warnFraction ?? DEFAULT_WARN_FRACTION;
  const warn = (h: number): number =>
    (rule?.warnBeforeHours !== undefined ? Math.min(rule.warnBeforeHours, h) : h * fraction) * HOUR;
  const calendarName =
    rule?.calendar ?? (region !== null ? policy.regionCalendars?.[region] : undefined) ?? policy.calendar ?? null;
  return {
    rule: rule?.name ?? null,
    calendarName,
    calendar: calendarOf(policy, calendarName ?? undefined),
    hours,
    warnBeforeMs: {
      acknowledgement: warn(hours.acknowledgement),
      nextReply: warn(hours.nextReply),
      resolution: warn(hours.resolution),
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hoursField(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const problem = slaHoursProblem(value);
  if (problem !== null) throw new ComplaintSlaPolicyError(field, problem);
  return value as number;
}

function stringList(value: unknown, field: string, allowed?: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === ''))
    throw new ComplaintSlaPolicyError(field, 'must be a non-empty list of names');
  const bad = allowed && value.find((v) => !allowed.includes(v as string));
  if (bad !== undefined && allowed)
    throw new ComplaintSlaPolicyError(field, `"${String(bad)}" is not one of ${allowed.join(', ')}`);
  return value as string[];
}

const POLICY_FIELDS = [
  'calendars',
  'calendar',
  'regionCalendars',
  'rules',
  'nextReplyHours',
  'warnFraction',
  'acknowledgeHours',
  'resolveHours',
];
const RULE_FIELDS = [
  'name',
  'severity',
  'category',
  'acknowledgeHours',
  'nextReplyHours',
  'resolveHours',
  'warnBeforeHours',
  'calendar',
];

function severityHours(value: unknown, field: string): Partial<Record<ComplaintSeverity, number>> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ComplaintSlaPolicyError(field, 'must map severities to hours');
  return value as Partial<Record<ComplaintSeverity, number>>;
}

/** nextReplyHours over the acknowledgement hours, every severity named and its hours checked. */
function nextReplyHoursOf(value: unknown, merged: ComplaintSlaPolicy): Record<ComplaintSeverity, number> | undefined {
  const next = severityHours(value, 'nextReplyHours');
  if (next === undefined) return undefined;
  const full = { ...merged.acknowledgeHours, ...next };
  for (const s of Object.keys(full)) {
    if (!(COMPLAINT_SEVERITIES as readonly string[]).includes(s))
      throw new ComplaintSlaPolicyError(`nextReplyHours.${s}`, 'is not a severity');
    hoursField(full[s as ComplaintSeverity], `nextReplyHours.${s}`);
  }
  return full;
}

function warnFractionOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value < 1))
    throw new ComplaintSlaPolicyError(
      'warnFraction',
      'must be a number between 0 and 1 (the share of a step left when it warns)',
    );
  return value;
}

/** The named calendars, each compiled once to report its first problem under `calendars.<name>.`. */
function calendarsOf(value: unknown): Record<string, BusinessCalendarSpec> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ComplaintSlaPolicyError('calendars', 'must map names to calendars');
  for (const [name, spec] of Object.entries(value)) {
    try {
      if (!isObject(spec)) throw new CalendarSpecError('(calendar)', 'must be an object');
      businessCalendar(spec as unknown as BusinessCalendarSpec);
    } catch (error) {
      if (error instanceof CalendarSpecError)
        throw new ComplaintSlaPolicyError(
          `calendars.${name}.${error.field}`,
          error.message.slice(error.field.length + 1),
        );
      throw error;
    }
  }
  return value as Record<string, BusinessCalendarSpec>;
}

type CalendarNameCheck = (value: unknown, field: string) => string | undefined;

/** A check that a value names one of the policy's calendars. */
const calendarNameIn =
  (policy: ComplaintSlaPolicy): CalendarNameCheck =>
  (value, field) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || policy.calendars?.[value] === undefined)
      throw new ComplaintSlaPolicyError(
        field,
        `must name a calendar of calendars (${Object.keys(policy.calendars ?? {}).join(', ') || 'none defined'})`,
      );
    return value;
  };

function regionCalendarsOf(value: unknown, calendarName: CalendarNameCheck): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ComplaintSlaPolicyError('regionCalendars', 'must map regions to calendar names');
  for (const [region, name] of Object.entries(value)) calendarName(name, `regionCalendars.${region}`);
  return value as Record<string, string>;
}

/** The rule at `rules[i]`: known fields only, a name, its lists and hours checked, its calendar defined. */
function ruleOf(raw: unknown, i: number, calendarName: CalendarNameCheck): SlaRule {
  const at = `rules[${i}]`;
  if (!isObject(raw)) throw new ComplaintSlaPolicyError(at, 'must be an object');
  const extra = Object.keys(raw).find((k) => !RULE_FIELDS.includes(k));
  if (extra !== undefined)
    throw new ComplaintSlaPolicyError(`${at}.${extra}`, `is not a rule field (${RULE_FIELDS.join(', ')})`);
  if (typeof raw.name !== 'string' || raw.name === '')
    throw new ComplaintSlaPolicyError(`${at}.name`, 'must be a non-empty name');
  const rule: SlaRule = { name: raw.name };
  const severity = stringList(raw.severity, `${at}.severity`, COMPLAINT_SEVERITIES);
  if (severity) rule.severity = severity as ComplaintSeverity[];
  const category = stringList(raw.category, `${at}.category`);
  if (category) rule.category = category;
  for (const k of ['acknowledgeHours', 'nextReplyHours', 'resolveHours', 'warnBeforeHours'] as const) {
    const h = hoursField(raw[k], `${at}.${k}`);
    if (h !== undefined) rule[k] = h;
  }
  if (
    rule.acknowledgeHours !== undefined &&
    rule.resolveHours !== undefined &&
    rule.acknowledgeHours > rule.resolveHours
  )
    throw new ComplaintSlaPolicyError(
      `${at}.acknowledgeHours`,
      `(${rule.acknowledgeHours}) must not exceed resolveHours (${rule.resolveHours})`,
    );
  const cal = calendarName(raw.calendar, `${at}.calendar`);
  if (cal !== undefined) rule.calendar = cal;
  return rule;
}

/**
 * Reads a service desk's SLA policy document (JSON: calendars, calendar, regionCalendars, rules,
 * nextReplyHours, warnFraction) on top of the severity hours `base`. Throws ComplaintSlaPolicyError
 * naming the field path (`rules[1].severity`, `calendars.shanghai.hours.mon`) of the first problem.
 */
export function slaPolicyFromDocument(
  doc: unknown,
  base: ComplaintSlaPolicy = complaintSlaPolicy(),
): ComplaintSlaPolicy {
  if (!isObject(doc)) throw new ComplaintSlaPolicyError('(document)', 'must be a JSON object');
  const unknown = Object.keys(doc).find((k) => !POLICY_FIELDS.includes(k));
  if (unknown !== undefined)
    throw new ComplaintSlaPolicyError(unknown, `is not a policy field (${POLICY_FIELDS.join(', ')})`);
  const merged = complaintSlaPolicy({
    acknowledgeHours: { ...base.acknowledgeHours, ...severityHours(doc.acknowledgeHours, 'acknowledgeHours') },
    resolveHours: { ...base.resolveHours, ...severityHours(doc.resolveHours, 'resolveHours') },
  });
  const policy: ComplaintSlaPolicy = { ...merged };
  const nextReplyHours = nextReplyHoursOf(doc.nextReplyHours, merged);
  if (nextReplyHours !== undefined) policy.nextReplyHours = nextReplyHours;
  const warnFraction = warnFractionOf(doc.warnFraction);
  if (warnFraction !== undefined) policy.warnFraction = warnFraction;
  const calendars = calendarsOf(doc.calendars);
  if (calendars !== undefined) policy.calendars = calendars;
  const calendarName = calendarNameIn(policy);
  if (doc.calendar !== undefined) policy.calendar = calendarName(doc.calendar, 'calendar');
  const regionCalendars = regionCalendarsOf(doc.regionCalendars, calendarName);
  if (regionCalendars !== undefined) policy.regionCalendars = regionCalendars;
  if (doc.rules !== undefined) {
    if (!Array.isArray(doc.rules)) throw new ComplaintSlaPolicyError('rules', 'must be a list');
    policy.rules = doc.rules.map((raw: unknown, i) => ruleOf(raw, i, calendarName));
  }
  return policy;
}
