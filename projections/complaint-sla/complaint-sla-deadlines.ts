import { acknowledgementDueAt, resolutionDueAt, type ComplaintSlaPolicy, type SlaStep } from './complaint-sla-policy';
import type { ComplaintSlaDoc, ComplaintSlaEntry } from './complaint-sla.projection';

/**
 * A step's state at `now`. Done: `met` (by the deadline) or `late`. Still owed (complaint open):
 * `pending` (deadline ahead), `overdue` (passed, no breach recorded yet: the watcher's work),
 * `breached` (passed and recorded).
 */
export type SlaStepStatus = 'pending' | 'overdue' | 'breached' | 'met' | 'late';

export interface SlaStepAt {
  dueAt: string;
  status: SlaStepStatus;
  /** When the step was done (the first response, or the resolution of the current period). */
  doneAt: string | null;
  /** When a breach of this step was recorded for the current deadline; null when none. */
  breachRecordedAt: string | null;
}

export interface ComplaintSlaAt {
  acknowledgement: SlaStepAt;
  resolution: SlaStepAt;
  /** The earliest deadline still owed (open complaints), else null. */
  nextDueAt: string | null;
}

/** The first response: the acknowledgement, or a resolution given before any acknowledgement. */
export const firstResponseAt = (c: ComplaintSlaEntry): string | null => {
  if (c.acknowledgedAt === null) return c.firstResolvedAt;
  if (c.firstResolvedAt === null) return c.acknowledgedAt;
  return Date.parse(c.firstResolvedAt) < Date.parse(c.acknowledgedAt) ? c.firstResolvedAt : c.acknowledgedAt;
};

function stepAt(
  dueAt: string,
  doneAt: string | null,
  breached: boolean,
  breachRecordedAt: string | null,
  nowMs: number,
): SlaStepAt {
  const due = Date.parse(dueAt);
  let status: SlaStepStatus;
  if (doneAt !== null) status = Date.parse(doneAt) <= due ? 'met' : 'late';
  else if (breached) status = 'breached';
  // Strictly after the deadline, as the decider requires to record the breach.
  else status = nowMs > due ? 'overdue' : 'pending';
  return { dueAt, status, doneAt, breachRecordedAt };
}

const lastBreach = (c: ComplaintSlaEntry, sla: SlaStep): string | null => {
  for (let i = c.breaches.length - 1; i >= 0; i--) if (c.breaches[i]!.sla === sla) return c.breaches[i]!.recordedAt;
  return null;
};

/** Both steps of a complaint at `now` under `policy`: pure, the clock comes in. */
export function complaintSlaAt(c: ComplaintSlaEntry, nowMs: number, policy: ComplaintSlaPolicy): ComplaintSlaAt {
  const response = firstResponseAt(c);
  const acknowledgement = stepAt(
    acknowledgementDueAt(c, policy),
    response,
    c.slaBreached.acknowledgement,
    c.slaBreached.acknowledgement ? lastBreach(c, 'acknowledgement') : null,
    nowMs,
  );
  const resolution = stepAt(
    resolutionDueAt(c, policy),
    c.status === 'resolved' ? c.resolvedAt : null,
    c.slaBreached.resolution,
    c.slaBreached.resolution ? lastBreach(c, 'resolution') : null,
    nowMs,
  );
  const owed = [acknowledgement, resolution]
    .filter((s) => s.doneAt === null && c.status === 'open')
    .map((s) => s.dueAt);
  const nextDueAt = owed.length === 0 ? null : owed.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  return { acknowledgement, resolution, nextDueAt };
}

export interface SlaBreachCandidate {
  customerId: string;
  complaintId: string;
  sla: SlaStep;
  dueAt: string;
}

/**
 * The breaches the watcher must record at `now`: steps of open complaints still owed, deadline passed,
 * no breach recorded for them since the complaint was last (re)opened. Erased customers are left out
 * (nothing can be recorded for them). Ordered by deadline, then customer, complaint and step.
 */
export function complaintSlaBreachesDue(
  docs: Iterable<ComplaintSlaDoc>,
  now: string,
  policy: ComplaintSlaPolicy,
): SlaBreachCandidate[] {
  const nowMs = Date.parse(now);
  const out: SlaBreachCandidate[] = [];
  for (const doc of docs) {
    if (doc.erased) continue;
    for (const c of doc.complaints) {
      if (c.status !== 'open') continue;
      const at = complaintSlaAt(c, nowMs, policy);
      for (const sla of ['acknowledgement', 'resolution'] as const) {
        if (at[sla].status === 'overdue')
          out.push({ customerId: doc.customerId, complaintId: c.complaintId, sla, dueAt: at[sla].dueAt });
      }
    }
  }
  return out.sort(
    (a, b) =>
      Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
      a.customerId.localeCompare(b.customerId) ||
      a.complaintId.localeCompare(b.complaintId) ||
      a.sla.localeCompare(b.sla),
  );
}
