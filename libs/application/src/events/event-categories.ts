import { CUSTOMER_EVENT_TYPES } from '@rapport/domain';

/**
 * Alerts: events the system or a job records about a moment (a deadline passed, a threshold
 * crossed), dated at that moment. Names not (yet) in the catalogue are ignored, so an alert type
 * joins the category the day the domain starts recording it.
 */
const ALERT_CANDIDATES = [
  'LifecycleStageChanged',
  'CustomerHealthBandChanged',
  'PromiseBecameOverdue',
  'ComplaintSlaBreached',
  'SentimentDropped',
];

/** The touchpoint an event type belongs to, read from its name's first word (`PurchaseRefunded` → purchase). */
const TOUCHPOINT_PREFIXES: Record<string, string> = {
  Customer: 'customer',
  Call: 'call',
  Purchase: 'purchase',
  Promise: 'promise',
  Complaint: 'complaint',
  Survey: 'survey',
  FollowUp: 'follow-up',
};

export const alertEventTypes = (): string[] =>
  ALERT_CANDIDATES.filter((type) => (CUSTOMER_EVENT_TYPES as readonly string[]).includes(type));

/** Category name → its event types: one per touchpoint, plus `alerts`. */
export function eventCategories(): Record<string, string[]> {
  const categories: Record<string, string[]> = { alerts: alertEventTypes() };
  for (const type of CUSTOMER_EVENT_TYPES) {
    const prefix = Object.keys(TOUCHPOINT_PREFIXES)
      .filter((p) => type.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined) continue;
    const name = TOUCHPOINT_PREFIXES[prefix]!;
    (categories[name] ??= []).push(type);
  }
  return categories;
}

export const EVENT_CATEGORY_NAMES = (): string[] => Object.keys(eventCategories()).sort();

/**
 * The event types a filter of types and categories selects: their union, or null for every type
 * (neither given). Unknown names are the caller's validation problem, not this function's.
 */
export function selectedEventTypes(types: readonly string[], categories: readonly string[]): string[] | null {
  if (types.length === 0 && categories.length === 0) return null;
  const all = eventCategories();
  const selected = new Set(types);
  for (const category of categories) for (const type of all[category] ?? []) selected.add(type);
  return CUSTOMER_EVENT_TYPES.filter((type) => selected.has(type));
}
