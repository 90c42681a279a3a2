import { isoMs } from '../customer-value/iso-time';
import type { ComplaintSlaDoc, ComplaintSlaEntry } from './complaint-sla.projection';
import { countComplaints } from './complaint-sla.projection';

// A complaint as it stood at a business time T: what had happened by T, read from the times the entry
// keeps. Breaches also as known at K (their recording time); the other steps carry business time only.

const upTo = (t: string | null, asOfMs: number): string | null => (t !== null && isoMs(t) <= asOfMs ? t : null);

export function complaintEntryAsOf(
  c: ComplaintSlaEntry,
  asOfMs: number,
  knownAtMs = Number.POSITIVE_INFINITY,
): ComplaintSlaEntry | null {
  if (isoMs(c.filedAt) > asOfMs) return null;
  const reopenings = c.reopenings.filter((r) => isoMs(r.at) <= asOfMs);
  // Every resolution: those the reopenings undid, then the latest one.
  const resolutions = [...c.reopenings.map((r) => r.previousResolvedAt), c.resolvedAt].filter(
    (t): t is string => t !== null && isoMs(t) <= asOfMs,
  );
  const reopenedAt = reopenings[reopenings.length - 1]?.at ?? null;
  const lastResolution = resolutions[resolutions.length - 1] ?? null;
  const resolved = lastResolution !== null && (reopenedAt === null || isoMs(lastResolution) >= isoMs(reopenedAt));
  const periodStart = isoMs(reopenedAt ?? c.filedAt);
  const waits = (c.waits ?? [])
    .filter((w) => isoMs(w.from) <= asOfMs)
    .map((w) => ({ from: w.from, to: upTo(w.to, asOfMs) }));
  const exchanges = (c.exchanges ?? [])
    .filter((e) => isoMs(e.answeredAt) <= asOfMs)
    .map((e) => ({ answeredAt: e.answeredAt, repliedAt: upTo(e.repliedAt, asOfMs) }));
  const breaches = c.breaches.filter((b) => isoMs(b.dueAt) <= asOfMs && isoMs(b.recordedAt) <= knownAtMs);
  const lastAnswer = exchanges[exchanges.length - 1]?.answeredAt;
  return {
    ...c,
    status: resolved ? 'resolved' : 'open',
    acknowledgedAt: upTo(c.acknowledgedAt, asOfMs),
    acknowledgedBy: upTo(c.acknowledgedAt, asOfMs) === null ? null : c.acknowledgedBy,
    firstResolvedAt: resolutions[0] ?? null,
    resolvedAt: resolved ? lastResolution : null,
    resolvedBy: resolved && lastResolution === c.resolvedAt ? c.resolvedBy : null,
    reopenedAt,
    escalations: c.escalations.filter((e) => isoMs(e.at) <= asOfMs),
    reopenings,
    breaches,
    slaBreached: {
      acknowledgement: breaches.some((b) => b.sla === 'acknowledgement'),
      nextReply:
        lastAnswer !== undefined && breaches.some((b) => b.sla === 'nextReply' && isoMs(b.dueAt) >= isoMs(lastAnswer)),
      resolution: breaches.some((b) => b.sla === 'resolution' && isoMs(b.dueAt) >= periodStart),
    },
    waits,
    exchanges,
  };
}

/** The customer's document as of T (known at K); null when no complaint had been filed by then. */
export function complaintSlaDocAsOf(doc: ComplaintSlaDoc, asOfMs: number, knownAtMs?: number): ComplaintSlaDoc | null {
  const complaints = doc.complaints
    .map((c) => complaintEntryAsOf(c, asOfMs, knownAtMs))
    .filter((c): c is ComplaintSlaEntry => c !== null);
  if (complaints.length === 0) return null;
  const erased = doc.erased && doc.erasedAt !== null && isoMs(doc.erasedAt) <= asOfMs;
  return { ...doc, complaints, counts: countComplaints(complaints), erased, erasedAt: erased ? doc.erasedAt : null };
}
