import { isoMs, isoOf } from '../customer-value/iso-time';
import { addBusinessTime, businessTimeBetween, type Pauses } from './business-calendar';
import type { ComplaintSlaPolicy, SlaStep } from './complaint-sla-policy';
import type { ComplaintSlaDoc, ComplaintSlaEntry } from './complaint-sla.projection';
import { resolveSlaPolicy, type ResolvedSlaPolicy } from './sla-policy-rules';

const HOUR = 3_600_000;

/**
 * A step's state at `now`. Done: `met` (by the deadline) or `late`. Still owed (complaint open):
 * `pending` (deadline ahead), `paused` (waiting for the customer), `overdue` (passed, no breach
 * recorded yet: the watcher's work), `breached` (passed and recorded).
 */
export type SlaStepStatus = 'pending' | 'paused' | 'overdue' | 'breached' | 'met' | 'late';

export interface SlaStepAt {
  /** The deadline; while paused, the deadline if the customer answered now. */
  dueAt: string;
  status: SlaStepStatus;
  /** When the step was done (the first response, the reply, or the resolution of the current period). */
  doneAt: string | null;
  /** When a breach of this step was recorded for the current deadline; null when none. */
  breachRecordedAt: string | null;
  /** From when the step warns (its warn-before lead ahead of the deadline). */
  warnAt: string;
  /** Still owed, not paused, past its warning time and not yet its deadline. */
  warning: boolean;
  /** A breach: done late, or its deadline passed and recorded; counted alike. */
  breached: boolean;
  /** Hours the step's clock stood still waiting for the customer. */
  pausedHours: number;
}

export interface ComplaintSlaAt {
  acknowledgement: SlaStepAt;
  /** The reply owed after the customer's latest answer; null when the customer never answered. */
  nextReply: SlaStepAt | null;
  resolution: SlaStepAt;
  /** The earliest deadline still owed (open complaints, not paused), else null. */
  nextDueAt: string | null;
  /** The policy rule applied (null: the severity hours) and the calendar (null: the wall clock). */
  rule: string | null;
  calendar: string | null;
}

/** The first response: an acknowledgement, a question to the customer, or a resolution given before either. */
export const firstResponseAt = (c: ComplaintSlaEntry): string | null => {
  let first: string | null = null;
  for (const t of [c.acknowledgedAt, c.firstResolvedAt, c.waits?.[0]?.from ?? null])
    if (t !== null && (first === null || isoMs(t) < isoMs(first))) first = t;
  return first;
};

export const pausesOf = (c: ComplaintSlaEntry): Pauses =>
  (c.waits ?? []).map((w) => [isoMs(w.from), w.to === null ? Number.POSITIVE_INFINITY : isoMs(w.to)] as const);

const lastBreach = (c: ComplaintSlaEntry, sla: SlaStep): string | null => {
  for (let i = c.breaches.length - 1; i >= 0; i--) if (c.breaches[i]!.sla === sla) return c.breaches[i]!.recordedAt;
  return null;
};

function pausedMs(pauses: Pauses, from: number, to: number): number {
  let total = 0;
  for (const [a, b] of pauses) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return total;
}

/** One step counted from `startMs`, done at `doneAt` (or not), `recorded` when a breach of it is on record. */
function stepAt(
  p: ResolvedSlaPolicy,
  step: SlaStep,
  startMs: number,
  doneAt: string | null,
  recorded: boolean,
  recordedAt: string | null,
  pauses: Pauses,
  nowMs: number,
): SlaStepAt {
  const cal = p.calendar;
  const span = p.hours[step] * HOUR;
  let due = addBusinessTime(cal, startMs, span, pauses);
  const pausedNow = due === null;
  if (due === null) {
    // Paused now: what is left, counted from now as if the customer answered now.
    const used = businessTimeBetween(cal, startMs, nowMs, pauses);
    due = addBusinessTime(cal, nowMs, Math.max(0, span - used)) ?? nowMs;
  }
  const warnAt = addBusinessTime(cal, startMs, Math.max(0, span - p.warnBeforeMs[step]), pauses) ?? due;
  let status: SlaStepStatus;
  if (doneAt !== null) status = isoMs(doneAt) <= due ? 'met' : 'late';
  else if (recorded) status = 'breached';
  else if (pausedNow) status = 'paused';
  // Strictly after the deadline, as the decider requires to record the breach.
  else status = nowMs > due ? 'overdue' : 'pending';
  const endMs = doneAt !== null ? isoMs(doneAt) : nowMs;
  return {
    dueAt: isoOf(due),
    status,
    doneAt,
    breachRecordedAt: recorded ? recordedAt : null,
    warnAt: isoOf(warnAt),
    warning: status === 'pending' && nowMs >= warnAt,
    breached: status === 'late' || status === 'breached',
    pausedHours: Math.round((pausedMs(pauses, startMs, endMs) / HOUR) * 100) / 100,
  };
}

/** Every step of a complaint at `now` under `policy` (and the customer's `region` calendar): pure, the clock comes in. */
export function complaintSlaAt(
  c: ComplaintSlaEntry,
  nowMs: number,
  policy: ComplaintSlaPolicy,
  region: string | null = null,
): ComplaintSlaAt {
  const p = resolveSlaPolicy(policy, c, region);
  const pauses = pausesOf(c);
  const breached = c.slaBreached as Partial<Record<SlaStep, boolean>>;
  const acknowledgement = stepAt(
    p,
    'acknowledgement',
    isoMs(c.filedAt),
    firstResponseAt(c),
    breached.acknowledgement === true,
    lastBreach(c, 'acknowledgement'),
    pauses,
    nowMs,
  );
  const exchange = c.exchanges?.[c.exchanges.length - 1];
  const nextReply =
    exchange === undefined
      ? null
      : stepAt(
          p,
          'nextReply',
          isoMs(exchange.answeredAt),
          exchange.repliedAt,
          breached.nextReply === true,
          lastBreach(c, 'nextReply'),
          pauses,
          nowMs,
        );
  const resolution = stepAt(
    p,
    'resolution',
    isoMs(c.reopenedAt ?? c.filedAt),
    c.status === 'resolved' ? c.resolvedAt : null,
    breached.resolution === true,
    lastBreach(c, 'resolution'),
    pauses,
    nowMs,
  );
  const owed = [acknowledgement, nextReply, resolution]
    .filter((s): s is SlaStepAt => s !== null && s.doneAt === null && s.status !== 'paused' && c.status === 'open')
    .map((s) => s.dueAt);
  const nextDueAt = owed.length === 0 ? null : owed.reduce((a, b) => (isoMs(a) <= isoMs(b) ? a : b));
  return { acknowledgement, nextReply, resolution, nextDueAt, rule: p.rule, calendar: p.calendarName };
}

export interface SlaBreachCandidate {
  customerId: string;
  complaintId: string;
  sla: SlaStep;
  dueAt: string;
}

/**
 * The breaches the watcher must record at `now`: steps of open complaints still owed, deadline passed,
 * not paused, no breach recorded for them since the complaint was last (re)opened (next reply: since the
 * customer last answered). Erased customers are left out (nothing can be recorded for them). Ordered
 * by deadline, then customer, complaint and step.
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
      const at = complaintSlaAt(c, nowMs, policy, doc.region ?? null);
      for (const sla of ['acknowledgement', 'nextReply', 'resolution'] as const) {
        const step = at[sla];
        if (step?.status === 'overdue')
          out.push({ customerId: doc.customerId, complaintId: c.complaintId, sla, dueAt: step.dueAt });
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
