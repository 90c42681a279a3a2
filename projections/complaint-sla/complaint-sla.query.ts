import type { ReadModelSource } from '@rapport/projection-engine';
import { COMPLAINT_SEVERITIES, type ComplaintSeverity } from '@rapport/domain';
import type { Filter, ReadStore } from '@rapport/read-store';
import { AnalystQueryError } from '@rapport/projection-engine';
import { complaintSlaDocAsOf } from './complaint-sla-as-of';
import { complaintSlaAt, type SlaStepAt } from './complaint-sla-deadlines';
import { StepMetrics, type ComplaintSlaMetrics } from './complaint-sla-metrics';
import type { ComplaintSlaPolicy, SlaStep } from './complaint-sla-policy';
import type {
  ComplaintSlaCounts,
  ComplaintSlaDoc,
  ComplaintSlaEntry,
  RecordedBreach,
} from './complaint-sla.projection';

/** One complaint with both SLA steps read at `now` (deadlines from the policy of the moment). */
export interface ComplaintSlaItem {
  customerId: string;
  complaintId: string;
  category: string;
  severity: ComplaintSeverity;
  status: ComplaintSlaEntry['status'];
  erased: boolean;
  filedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  reopenedAt: string | null;
  escalations: number;
  reopenings: number;
  acknowledgement: SlaStepAt;
  /** The reply owed after the customer's latest answer; null when the customer never answered. */
  nextReply: SlaStepAt | null;
  resolution: SlaStepAt;
  /** The earliest deadline still owed; null once resolved or while waiting for the customer. */
  nextDueAt: string | null;
  /** Waiting for the customer now (clocks paused). */
  waitingForCustomer: boolean;
  /** The policy rule applied (null: the severity hours) and its calendar (null: the wall clock). */
  rule: string | null;
  calendar: string | null;
  breaches: RecordedBreach[];
}

export const COMPLAINT_SLA_LISTS = ['open', 'overdue', 'breached', 'warning'] as const;
export type ComplaintSlaList = (typeof COMPLAINT_SLA_LISTS)[number];

export interface ComplaintSlaSummary {
  /** Open complaints (customers not erased). */
  open: number;
  /** Open complaints with a step past its deadline (breach recorded or not yet). */
  pastDeadline: number;
  acknowledgementPastDeadline: number;
  resolutionPastDeadline: number;
  /** Complaints with at least one recorded breach, open or resolved. */
  breachedComplaints: number;
  /**
   * Breaches per step, counted alike whether the watcher recorded them or the step was done late
   * without one: recorded ComplaintSlaBreached events plus steps done late with none on record.
   */
  breaches: Record<SlaStep, number>;
  /** Of those, the steps done late with no breach on record. */
  late: Record<SlaStep, number>;
  /** Open complaints with a step inside its warn-before window. */
  warnings: number;
  /** Open complaints waiting for the customer. */
  waitingForCustomer: number;
  bySeverity: Record<ComplaintSeverity, { open: number; pastDeadline: number }>;
}

/** What `GET /analytics/complaints/sla` answers. */
export interface ComplaintSlaReport {
  now: string;
  /** The known-at time asked for (breaches recorded after it are left out), else null. */
  knownAt: string | null;
  list: ComplaintSlaList;
  policy: ComplaintSlaPolicy;
  /** Over every complaint matching `severity`, whatever the page. */
  summary: ComplaintSlaSummary;
  /** First-reply, next-reply and resolution times over every complaint matching `severity`. */
  metrics: ComplaintSlaMetrics;
  items: ComplaintSlaItem[];
  nextCursor: string | null;
}

export interface ComplaintSlaQuery {
  asOf: string | undefined;
  knownAt: string | undefined;
  list: ComplaintSlaList;
  severity: ComplaintSeverity[] | null;
  limit: number;
  cursor: string | undefined;
}

export const COMPLAINT_SLA_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
const KNOWN_PARAMS = new Set(['list', 'severity', 'limit', 'cursor', 'asOf', 'knownAt']);
const PAST = new Set(['overdue', 'breached']);

export function complaintSlaItem(
  doc: ComplaintSlaDoc,
  c: ComplaintSlaEntry,
  nowMs: number,
  policy: ComplaintSlaPolicy,
): ComplaintSlaItem {
  const at = complaintSlaAt(c, nowMs, policy, doc.region ?? null);
  const lastWait = c.waits?.[c.waits.length - 1];
  return {
    customerId: doc.customerId,
    complaintId: c.complaintId,
    category: c.category,
    severity: c.severity,
    status: c.status,
    erased: doc.erased,
    filedAt: c.filedAt,
    acknowledgedAt: c.acknowledgedAt,
    resolvedAt: c.resolvedAt,
    reopenedAt: c.reopenedAt,
    escalations: c.escalations.length,
    reopenings: c.reopenings.length,
    acknowledgement: at.acknowledgement,
    nextReply: at.nextReply,
    resolution: at.resolution,
    nextDueAt: at.nextDueAt,
    waitingForCustomer: c.status === 'open' && lastWait !== undefined && lastWait.to === null,
    rule: at.rule,
    calendar: at.calendar,
    breaches: c.breaches,
  };
}

/** Reads an analyst's parameters (query strings or JSON); anything else throws AnalystQueryError naming it. */
export function parseComplaintSlaQuery(params: Record<string, unknown>): ComplaintSlaQuery {
  const unknown = Object.keys(params).find((key) => !KNOWN_PARAMS.has(key));
  if (unknown !== undefined) throw new AnalystQueryError(unknown, 'unknown parameter');
  const list = params.list ?? 'open';
  if (!(COMPLAINT_SLA_LISTS as readonly unknown[]).includes(list))
    throw new AnalystQueryError('list', `must be one of ${COMPLAINT_SLA_LISTS.join(', ')}`);
  let severity: ComplaintSeverity[] | null = null;
  if (params.severity !== undefined) {
    const values = (Array.isArray(params.severity) ? params.severity : [params.severity]).flatMap((v) =>
      typeof v === 'string' ? v.split(',') : [v],
    );
    if (
      values.length === 0 ||
      values.some((v) => typeof v !== 'string' || !(COMPLAINT_SEVERITIES as readonly string[]).includes(v.trim()))
    )
      throw new AnalystQueryError('severity', `must be one or more of ${COMPLAINT_SEVERITIES.join(', ')}`);
    severity = (values as string[]).map((v) => v.trim() as ComplaintSeverity);
  }
  const limit = params.limit === undefined ? COMPLAINT_SLA_PAGE_SIZE : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new AnalystQueryError('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  if (params.cursor !== undefined && (typeof params.cursor !== 'string' || params.cursor === ''))
    throw new AnalystQueryError('cursor', 'must be the nextCursor of the previous page');
  for (const field of ['asOf', 'knownAt'] as const) {
    const value = params[field];
    if (
      value !== undefined &&
      (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value)))
    )
      throw new AnalystQueryError(field, 'must be an ISO-8601 time');
  }
  return {
    asOf: params.asOf as string | undefined,
    knownAt: params.knownAt as string | undefined,
    list: list as ComplaintSlaList,
    severity,
    limit,
    cursor: params.cursor as string | undefined,
  };
}

/** The documents with an open or a breached complaint, in id order, page by page from storage. */
async function* candidates(store: ReadStore, collection: string, filter: Filter): AsyncIterable<ComplaintSlaDoc> {
  let cursor: string | undefined;
  do {
    const page = await store.find<ComplaintSlaDoc>(collection, {
      filter,
      sort: [{ field: 'id', direction: 'asc' }],
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

type SortKey = [number, string, string];
const compareKeys = (a: SortKey, b: SortKey): number =>
  a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]);

/** Open lists soonest deadline first; the breached list latest breach first. */
function sortKey(list: ComplaintSlaList, item: ComplaintSlaItem): SortKey {
  const breachTimes = [
    ...item.breaches.map((b) => Date.parse(b.recordedAt)),
    ...[item.acknowledgement, item.nextReply, item.resolution]
      .filter((s): s is SlaStepAt => s !== null && s.status === 'late' && s.doneAt !== null)
      .map((s) => Date.parse(s.doneAt as string)),
  ];
  const primary = list === 'breached' ? -Math.max(...breachTimes) : Date.parse(item.nextDueAt ?? item.resolution.dueAt);
  return [primary, item.customerId, item.complaintId];
}

const encodeCursor = (list: ComplaintSlaList, key: SortKey): string =>
  Buffer.from(JSON.stringify([list, ...key])).toString('base64url');

function decodeCursor(list: ComplaintSlaList, cursor: string): SortKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 4 &&
      parsed[0] === list &&
      typeof parsed[1] === 'number' &&
      typeof parsed[2] === 'string' &&
      typeof parsed[3] === 'string'
    )
      return [parsed[1], parsed[2], parsed[3]];
  } catch {
    // reported below
  }
  throw new AnalystQueryError('cursor', `is not a cursor of the ${list} list`);
}

const steps = (): Record<SlaStep, number> => ({ acknowledgement: 0, nextReply: 0, resolution: 0 });
const emptySummary = (): ComplaintSlaSummary => ({
  open: 0,
  pastDeadline: 0,
  acknowledgementPastDeadline: 0,
  resolutionPastDeadline: 0,
  breachedComplaints: 0,
  breaches: steps(),
  late: steps(),
  warnings: 0,
  waitingForCustomer: 0,
  bySeverity: Object.fromEntries(
    COMPLAINT_SEVERITIES.map((s) => [s, { open: 0, pastDeadline: 0 }]),
  ) as ComplaintSlaSummary['bySeverity'],
});

/**
 * The complaint SLA report at `now` (or the `asOf` asked for, known at `knownAt`): a summary, the
 * step metrics, and one page of `list` (open: every open complaint, soonest deadline first; overdue:
 * the open ones past a deadline; breached: every complaint with a breach, latest first; warning: open
 * ones inside a step's warn-before window). Deadlines come from `policy` here, never from the stored
 * documents. Open lists leave erased customers out (nothing can happen to their complaints any more).
 */
export async function findComplaintSla(
  { store, collection }: ReadModelSource,
  { params, now, policy }: { params: Record<string, unknown>; now: string; policy: ComplaintSlaPolicy },
): Promise<ComplaintSlaReport> {
  const query = parseComplaintSlaQuery(params);
  const after = query.cursor === undefined ? null : decodeCursor(query.list, query.cursor);
  // An as-of in the future is now: nothing has happened there yet.
  const nowMs = Math.min(query.asOf === undefined ? Date.parse(now) : Date.parse(query.asOf), Date.parse(now));
  const knownAtMs = query.knownAt === undefined ? undefined : Date.parse(query.knownAt);
  const summary = emptySummary();
  const stepMetrics = new StepMetrics(summary);
  const listed: Array<{ key: SortKey; item: ComplaintSlaItem }> = [];
  const filter: Filter = { field: 'counts.filed', gt: 0 };
  for await (const current of candidates(store, collection, filter)) {
    const doc = complaintSlaDocAsOf(current, nowMs, knownAtMs);
    if (doc === null) continue;
    for (const c of doc.complaints) {
      if (query.severity !== null && !query.severity.includes(c.severity)) continue;
      const item = complaintSlaItem(doc, c, nowMs, policy);
      stepMetrics.add(doc, c, item, policy);
      const open = c.status === 'open' && !doc.erased;
      const ackPast = open && PAST.has(item.acknowledgement.status);
      const nextPast = open && item.nextReply !== null && PAST.has(item.nextReply.status);
      const resPast = open && PAST.has(item.resolution.status);
      const warning =
        open && (item.acknowledgement.warning || item.resolution.warning || item.nextReply?.warning === true);
      const breached =
        c.breaches.length > 0 ||
        item.acknowledgement.breached ||
        item.resolution.breached ||
        item.nextReply?.breached === true;
      if (open) {
        summary.open += 1;
        summary.bySeverity[c.severity].open += 1;
        if (ackPast) summary.acknowledgementPastDeadline += 1;
        if (resPast) summary.resolutionPastDeadline += 1;
        if (ackPast || resPast || nextPast) {
          summary.pastDeadline += 1;
          summary.bySeverity[c.severity].pastDeadline += 1;
        }
        if (warning) summary.warnings += 1;
        if (item.waitingForCustomer) summary.waitingForCustomer += 1;
      }
      if (breached) summary.breachedComplaints += 1;
      const inList =
        query.list === 'open'
          ? open
          : query.list === 'overdue'
            ? ackPast || resPast || nextPast
            : query.list === 'warning'
              ? warning
              : breached;
      if (!inList) continue;
      const key = sortKey(query.list, item);
      if (after === null || compareKeys(key, after) > 0) listed.push({ key, item });
    }
  }
  listed.sort((a, b) => compareKeys(a.key, b.key));
  const page = listed.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    now: new Date(nowMs).toISOString(),
    knownAt: knownAtMs === undefined ? null : new Date(knownAtMs).toISOString(),
    list: query.list,
    policy,
    summary,
    metrics: stepMetrics.metrics(),
    items: page.map((p) => p.item),
    nextCursor: listed.length > query.limit && last !== undefined ? encodeCursor(query.list, last.key) : null,
  };
}

/** What `GET /customers/{id}/complaints` answers: every complaint of the customer in filing order, read at `now`. */
export interface CustomerComplaintSlaView {
  customerId: string;
  erased: boolean;
  complaints: ComplaintSlaItem[];
  counts: ComplaintSlaCounts;
}

export function customerComplaintSla(
  doc: ComplaintSlaDoc,
  now: string,
  policy: ComplaintSlaPolicy,
): CustomerComplaintSlaView {
  const nowMs = Date.parse(now);
  const complaints = doc.complaints.map((c) => complaintSlaItem(doc, c, nowMs, policy));
  // A step done late counts as a breach whether or not the watcher recorded one.
  const counts = { ...doc.counts, nextReplyBreaches: doc.counts.nextReplyBreaches ?? 0 };
  let breached = 0;
  for (const item of complaints) {
    const late = (step: SlaStepAt | null) => step?.status === 'late' && step.breachRecordedAt === null;
    if (late(item.acknowledgement)) counts.acknowledgementBreaches += 1;
    if (late(item.nextReply)) counts.nextReplyBreaches += 1;
    if (late(item.resolution)) counts.resolutionBreaches += 1;
    if (item.breaches.length > 0 || late(item.acknowledgement) || late(item.nextReply) || late(item.resolution))
      breached += 1;
  }
  counts.breached = breached;
  return { customerId: doc.customerId, erased: doc.erased, complaints, counts };
}

/** One customer's complaints read at `now` (null: the read model has not seen the customer). */
export async function complaintSlaOf(
  { store, collection }: ReadModelSource,
  { customerId, now, policy }: { customerId: string; now: string; policy: ComplaintSlaPolicy },
): Promise<CustomerComplaintSlaView | null> {
  const doc = await store.get<ComplaintSlaDoc>(collection, customerId);
  return doc === null ? null : customerComplaintSla(doc, now, policy);
}
