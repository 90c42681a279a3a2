import { COMPLAINT_SEVERITIES, type ComplaintSeverity } from '@rapport/domain';
import type { Filter, ReadStore } from '@rapport/read-store';
import { AnalystQueryError } from '../analytics/analyst-query-error';
import { complaintSlaAt, type SlaStepAt } from './complaint-sla-deadlines';
import type { ComplaintSlaPolicy } from './complaint-sla-policy';
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
  resolution: SlaStepAt;
  /** The earliest deadline still owed; null once resolved. */
  nextDueAt: string | null;
  breaches: RecordedBreach[];
}

export const COMPLAINT_SLA_LISTS = ['open', 'overdue', 'breached'] as const;
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
  breaches: { acknowledgement: number; resolution: number };
  bySeverity: Record<ComplaintSeverity, { open: number; pastDeadline: number }>;
}

/** What `GET /analytics/complaints/sla` answers. */
export interface ComplaintSlaReport {
  now: string;
  list: ComplaintSlaList;
  policy: ComplaintSlaPolicy;
  /** Over every complaint matching `severity`, whatever the page. */
  summary: ComplaintSlaSummary;
  items: ComplaintSlaItem[];
  nextCursor: string | null;
}

export interface ComplaintSlaQuery {
  list: ComplaintSlaList;
  severity: ComplaintSeverity[] | null;
  limit: number;
  cursor: string | undefined;
}

export const COMPLAINT_SLA_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
const KNOWN_PARAMS = new Set(['list', 'severity', 'limit', 'cursor']);
const PAST = new Set(['overdue', 'breached']);

export function complaintSlaItem(
  doc: ComplaintSlaDoc,
  c: ComplaintSlaEntry,
  nowMs: number,
  policy: ComplaintSlaPolicy,
): ComplaintSlaItem {
  const at = complaintSlaAt(c, nowMs, policy);
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
    resolution: at.resolution,
    nextDueAt: at.nextDueAt,
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
  return { list: list as ComplaintSlaList, severity, limit, cursor: params.cursor as string | undefined };
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
  const primary =
    list === 'breached'
      ? -Math.max(...item.breaches.map((b) => Date.parse(b.recordedAt)))
      : Date.parse(item.nextDueAt as string);
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

const emptySummary = (): ComplaintSlaSummary => ({
  open: 0,
  pastDeadline: 0,
  acknowledgementPastDeadline: 0,
  resolutionPastDeadline: 0,
  breachedComplaints: 0,
  breaches: { acknowledgement: 0, resolution: 0 },
  bySeverity: Object.fromEntries(
    COMPLAINT_SEVERITIES.map((s) => [s, { open: 0, pastDeadline: 0 }]),
  ) as ComplaintSlaSummary['bySeverity'],
});

/**
 * The complaint SLA report at `now`: a summary and one page of `list` (open: every open complaint,
 * soonest deadline first; overdue: the open ones past a deadline; breached: every complaint with a
 * recorded breach, latest first). Deadlines come from `policy` here, never from the stored documents.
 * Open lists leave erased customers out (nothing can happen to their complaints any more).
 */
export async function findComplaintSla(
  store: ReadStore,
  collection: string,
  params: Record<string, unknown>,
  now: string,
  policy: ComplaintSlaPolicy,
): Promise<ComplaintSlaReport> {
  const query = parseComplaintSlaQuery(params);
  const after = query.cursor === undefined ? null : decodeCursor(query.list, query.cursor);
  const nowMs = Date.parse(now);
  const summary = emptySummary();
  const listed: Array<{ key: SortKey; item: ComplaintSlaItem }> = [];
  const filter: Filter = {
    or: [
      { field: 'counts.open', gt: 0 },
      { field: 'counts.breached', gt: 0 },
    ],
  };
  for await (const doc of candidates(store, collection, filter)) {
    for (const c of doc.complaints) {
      if (query.severity !== null && !query.severity.includes(c.severity)) continue;
      const item = complaintSlaItem(doc, c, nowMs, policy);
      const open = c.status === 'open' && !doc.erased;
      const ackPast = open && PAST.has(item.acknowledgement.status);
      const resPast = open && PAST.has(item.resolution.status);
      if (open) {
        summary.open += 1;
        summary.bySeverity[c.severity].open += 1;
        if (ackPast) summary.acknowledgementPastDeadline += 1;
        if (resPast) summary.resolutionPastDeadline += 1;
        if (ackPast || resPast) {
          summary.pastDeadline += 1;
          summary.bySeverity[c.severity].pastDeadline += 1;
        }
      }
      if (c.breaches.length > 0) summary.breachedComplaints += 1;
      for (const b of c.breaches) summary.breaches[b.sla] += 1;
      const inList =
        query.list === 'open' ? open : query.list === 'overdue' ? ackPast || resPast : c.breaches.length > 0;
      if (!inList) continue;
      const key = sortKey(query.list, item);
      if (after === null || compareKeys(key, after) > 0) listed.push({ key, item });
    }
  }
  listed.sort((a, b) => compareKeys(a.key, b.key));
  const page = listed.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    now,
    list: query.list,
    policy,
    summary,
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
  return {
    customerId: doc.customerId,
    erased: doc.erased,
    complaints: doc.complaints.map((c) => complaintSlaItem(doc, c, nowMs, policy)),
    counts: doc.counts,
  };
}

export async function getCustomerComplaintSla(
  store: ReadStore,
  collection: string,
  customerId: string,
  now: string,
  policy: ComplaintSlaPolicy,
): Promise<CustomerComplaintSlaView | null> {
  const doc = await store.get<ComplaintSlaDoc>(collection, customerId);
  return doc === null ? null : customerComplaintSla(doc, now, policy);
}
