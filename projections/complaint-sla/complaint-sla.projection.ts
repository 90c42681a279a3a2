import type { ComplaintSeverity, CustomerEventType } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import type { SlaStep } from './complaint-sla-policy';

export type ComplaintSlaStatus = 'open' | 'resolved';

export interface ComplaintEscalation {
  at: string;
  to: string;
}

export interface ComplaintReopening {
  at: string;
  /** When the resolution it undid was recorded. */
  previousResolvedAt: string | null;
}

export interface RecordedBreach {
  sla: SlaStep;
  /** The deadline that passed, as the watcher computed it from the policy then. */
  dueAt: string;
  /**
   * When the watcher noticed and recorded it (the event's `recordedAt`). The breach itself occurred at
   * `dueAt`: the event's business time.
   */
  recordedAt: string;
}

/**
 * One complaint's facts. Deadlines are not stored: they follow from the policy at read time.
 * No personal data (description, notes, reasons and resolution texts are left out).
 */
export interface ComplaintSlaEntry {
  complaintId: string;
  category: string;
  severity: ComplaintSeverity;
  status: ComplaintSlaStatus;
  filedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** The first resolution: a resolution is also a response, so it ends the acknowledgement step. */
  firstResolvedAt: string | null;
  /** The latest resolution (null while open after a reopening). */
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** The latest reopening: the resolution deadline counts from it. */
  reopenedAt: string | null;
  escalations: ComplaintEscalation[];
  reopenings: ComplaintReopening[];
  /** Every ComplaintSlaBreached, in recording order. */
  breaches: RecordedBreach[];
  /** Steps whose breach is recorded since the complaint was last (re)opened (next reply: since the customer last answered), as the decider keeps them. */
  slaBreached: { acknowledgement: boolean; nextReply: boolean; resolution: boolean };
  /** Waits for the customer: SLA clocks pause from `from` to `to` (null: still waiting). */
  waits: ComplaintWait[];
  /** Customer answers and the desk's next reply to each (null: still owed). */
  exchanges: ComplaintExchange[];
}

export interface ComplaintWait {
  from: string;
  to: string | null;
}
export interface ComplaintExchange {
  answeredAt: string;
  repliedAt: string | null;
}

export interface ComplaintSlaCounts {
  filed: number;
  open: number;
  resolved: number;
  /** Complaints reopened at least once. */
  reopened: number;
  /** Complaints escalated at least once. */
  escalated: number;
  /** Complaints with at least one recorded breach. */
  breached: number;
  acknowledgementBreaches: number;
  nextReplyBreaches: number;
  resolutionBreaches: number;
}

export interface ComplaintSlaDoc extends Doc {
  customerId: string;
  /** The customer's region (its business-hours calendar), as registered or last updated. */
  region: string | null;
  complaints: ComplaintSlaEntry[];
  counts: ComplaintSlaCounts;
  /** Erased customers keep their (non-personal) facts; nothing more can happen to their complaints. */
  erased: boolean;
  erasedAt: string | null;
}

export const COMPLAINT_SLA_HANDLES = [
  'ComplaintFiled',
  'ComplaintAcknowledged',
  'ComplaintEscalated',
  'ComplaintResolved',
  'ComplaintReopened',
  'ComplaintSlaBreached',
  'ComplaintAwaitingCustomer',
  'ComplaintCustomerResponded',
  'CustomerRegistered',
  'CustomerProfileUpdated',
  'CustomerErased',
] as const satisfies readonly CustomerEventType[];

/** A customer's document before any complaint: what evolve starts from, and what a known customer without one reads. */
export const emptyComplaintSla = (customerId: string): ComplaintSlaDoc => ({
  id: customerId,
  customerId,
  region: null,
  complaints: [],
  counts: countComplaints([]),
  erased: false,
  erasedAt: null,
});

export function countComplaints(complaints: readonly ComplaintSlaEntry[]): ComplaintSlaCounts {
  const counts: ComplaintSlaCounts = {
    filed: 0,
    open: 0,
    resolved: 0,
    reopened: 0,
    escalated: 0,
    breached: 0,
    acknowledgementBreaches: 0,
    nextReplyBreaches: 0,
    resolutionBreaches: 0,
  };
  for (const c of complaints) {
    counts.filed += 1;
    if (c.status === 'open') counts.open += 1;
    else counts.resolved += 1;
    if (c.reopenings.length > 0) counts.reopened += 1;
    if (c.escalations.length > 0) counts.escalated += 1;
    if (c.breaches.length > 0) counts.breached += 1;
    for (const b of c.breaches) {
      if (b.sla === 'acknowledgement') counts.acknowledgementBreaches += 1;
      else if (b.sla === 'resolution') counts.resolutionBreaches += 1;
      else counts.nextReplyBreaches += 1;
    }
  }
  return counts;
}

/** Applies `change` to one complaint; an event for an unknown complaint (or one that changes nothing) leaves the document as is. */
function updateComplaint(
  doc: ComplaintSlaDoc,
  complaintId: string,
  change: (c: ComplaintSlaEntry) => ComplaintSlaEntry,
): ComplaintSlaDoc {
  const index = doc.complaints.findIndex((c) => c.complaintId === complaintId);
  const current = doc.complaints[index];
  if (current === undefined) return doc;
  const next = change(current);
  if (next === current) return doc;
  const complaints = doc.complaints.slice();
  complaints[index] = next;
  return { ...doc, complaints, counts: countComplaints(complaints) };
}

/**
 * Folds one customer's complaint events. Pure and idempotent: each transition applies only from the
 * state it leaves (acknowledged once, resolved while open, reopened while resolved, one breach per
 * step and period), and the same escalation (time and target) is kept once, so an event applied twice
 * changes nothing.
 */
export function evolveComplaintSla(current: ComplaintSlaDoc | null, event: ProjectedEvent): ComplaintSlaDoc | null {
  if (event.type === 'CustomerErased') {
    return current === null || current.erased
      ? current
      : { ...current, erased: true, erasedAt: event.metadata.occurredAt };
  }
  if (event.type === 'CustomerRegistered')
    return { ...(current ?? emptyComplaintSla(event.data.customerId)), region: event.data.region };
  if (event.type === 'CustomerProfileUpdated') {
    const region = event.data.changes.region;
    return current === null || region === undefined || region === current.region ? current : { ...current, region };
  }
  const doc = current ?? emptyComplaintSla(event.data.customerId);
  const next = applyComplaintEvent(doc, event);
  // No document for a customer until it registers or files a complaint.
  return current === null && next.complaints.length === 0 ? null : next;
}

/** Ends an open wait at `at`; the complaint itself when none is open. */
// Documents of version 2 (read while version 3 is rebuilt) have no waits or exchanges.
const waitsOf = (c: ComplaintSlaEntry): ComplaintWait[] => c.waits ?? [];
const exchangesOf = (c: ComplaintSlaEntry): ComplaintExchange[] => c.exchanges ?? [];
const endWait = (c: ComplaintSlaEntry, at: string): ComplaintWait[] => {
  const waits = waitsOf(c);
  const last = waits[waits.length - 1];
  return last === undefined || last.to !== null ? waits : [...waits.slice(0, -1), { from: last.from, to: at }];
};
/** Answers an owed next reply at `at`. */
const reply = (c: ComplaintSlaEntry, at: string): ComplaintExchange[] => {
  const exchanges = exchangesOf(c);
  const last = exchanges[exchanges.length - 1];
  return last === undefined || last.repliedAt !== null
    ? exchanges
    : [...exchanges.slice(0, -1), { answeredAt: last.answeredAt, repliedAt: at }];
};

/** A new open complaint, unless one with its id was filed already. */
function fileComplaint(
  doc: ComplaintSlaDoc,
  event: Extract<ProjectedEvent, { type: 'ComplaintFiled' }>,
): ComplaintSlaDoc {
  if (doc.complaints.some((c) => c.complaintId === event.data.complaintId)) return doc;
  const complaints: ComplaintSlaEntry[] = [
    ...doc.complaints,
    {
      complaintId: event.data.complaintId,
      category: event.data.category,
      severity: event.data.severity,
      status: 'open',
      filedAt: event.metadata.occurredAt,
      acknowledgedAt: null,
      acknowledgedBy: null,
      firstResolvedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenedAt: null,
      escalations: [],
      reopenings: [],
      breaches: [],
      slaBreached: { acknowledgement: false, nextReply: false, resolution: false },
      waits: [],
      exchanges: [],
    },
  ];
  return { ...doc, complaints, counts: countComplaints(complaints) };
}

/** An open complaint starts waiting for the customer at `at` (the owed reply is given), unless it already is. */
function awaitCustomer(c: ComplaintSlaEntry, at: string): ComplaintSlaEntry {
  const last = waitsOf(c)[waitsOf(c).length - 1];
  return c.status !== 'open' || (last !== undefined && last.to === null)
    ? c
    : { ...c, waits: [...waitsOf(c), { from: at, to: null }], exchanges: reply(c, at) };
}

/** The customer answers a waiting open complaint at `at`: the wait ends and a next reply is owed. */
function customerResponded(c: ComplaintSlaEntry, at: string): ComplaintSlaEntry {
  const last = waitsOf(c)[waitsOf(c).length - 1];
  return c.status !== 'open' || last === undefined || last.to !== null
    ? c
    : {
        ...c,
        waits: endWait(c, at),
        exchanges: [...exchangesOf(c), { answeredAt: at, repliedAt: null }],
        slaBreached: { ...c.slaBreached, nextReply: false },
      };
}

function applyComplaintEvent(doc: ComplaintSlaDoc, event: ProjectedEvent): ComplaintSlaDoc {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'ComplaintFiled':
      return fileComplaint(doc, event);
    case 'ComplaintAcknowledged':
      return updateComplaint(doc, event.data.complaintId, (c) =>
        c.acknowledgedAt === null && c.status === 'open'
          ? { ...c, acknowledgedAt: at, acknowledgedBy: event.data.by }
          : c,
      );
    case 'ComplaintEscalated':
      return updateComplaint(doc, event.data.complaintId, (c) =>
        c.status !== 'open' || c.escalations.some((e) => e.at === at && e.to === event.data.to)
          ? c
          : { ...c, escalations: [...c.escalations, { at, to: event.data.to }] },
      );
    case 'ComplaintResolved':
      return updateComplaint(doc, event.data.complaintId, (c) =>
        c.status === 'open'
          ? {
              ...c,
              status: 'resolved',
              resolvedAt: at,
              resolvedBy: event.data.by,
              firstResolvedAt: c.firstResolvedAt ?? at,
              waits: endWait(c, at),
              exchanges: reply(c, at),
            }
          : c,
      );
    case 'ComplaintReopened':
      return updateComplaint(doc, event.data.complaintId, (c) =>
        c.status === 'resolved'
          ? {
              ...c,
              status: 'open',
              reopenedAt: at,
              resolvedAt: null,
              resolvedBy: null,
              reopenings: [...c.reopenings, { at, previousResolvedAt: c.resolvedAt }],
              // A fresh resolution deadline: its breach may be recorded again.
              slaBreached: { ...c.slaBreached, nextReply: false, resolution: false },
            }
          : c,
      );
    case 'ComplaintSlaBreached': {
      const { sla, dueAt } = event.data;
      return updateComplaint(doc, event.data.complaintId, (c) =>
        c.slaBreached[sla]
          ? c
          : {
              ...c,
              breaches: [...c.breaches, { sla, dueAt, recordedAt: event.metadata.recordedAt }],
              slaBreached: { ...c.slaBreached, [sla]: true },
            },
      );
    }
    case 'ComplaintAwaitingCustomer':
      return updateComplaint(doc, event.data.complaintId, (c) => awaitCustomer(c, at));
    case 'ComplaintCustomerResponded':
      return updateComplaint(doc, event.data.complaintId, (c) => customerResponded(c, at));
    default:
      return doc;
  }
}

export const complaintSlaProjection: Projection<ComplaintSlaDoc> = {
  name: 'complaint-sla',
  // 2: a breach's recordedAt is the event's recording time (its business time is now the deadline).
  // 3: waits for the customer, next-reply exchanges and breaches, the customer's region.
  version: 3,
  handles: COMPLAINT_SLA_HANDLES,
  indexes: [{ fields: ['counts.open'] }, { fields: ['counts.breached'] }, { fields: ['counts.filed'] }],
  evolve: evolveComplaintSla,
};
