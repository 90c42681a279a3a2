import type { FollowUpAssignee, FollowUpPriority, FollowUpReason, FollowUpRule } from '@rapport/domain';
import { complaintSlaAt } from '../complaint-sla/complaint-sla-deadlines';
import type { ComplaintSlaPolicy } from '../complaint-sla/complaint-sla-policy';
import type { ComplaintSlaDoc } from '../complaint-sla/complaint-sla.projection';
import type { CustomerHealthDoc, HealthFact } from '../customer-health/customer-health.projection';
import type { LifecycleStage, ValueTier } from '../customer-vocabulary';
import { sentimentSignalAt } from '../sentiment-timeline/sentiment-signal';
import type { SentimentTimelineDoc } from '../sentiment-timeline/sentiment-timeline.projection';
import type { WorklistPolicy } from './worklist-policy';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the engine knows of one customer when it looks for triggers. */
export interface CustomerWorkInputs {
  customerId: string;
  /** From the scoring run; null when the customer was not scored. */
  tier: ValueTier | null;
  stage: LifecycleStage | null;
  stageSince: string | null;
  stageReason: string | null;
  health: CustomerHealthDoc;
  sentiment: SentimentTimelineDoc | null;
  complaints: ComplaintSlaDoc | null;
}

/** A follow-up to schedule for one trigger; `trigger` is its deduplication key. */
export interface TriggerCandidate {
  customerId: string;
  rule: FollowUpRule;
  trigger: string;
  /** The trigger's moment in business time: the event's occurredAt. */
  occurredAt: string;
  dueAt: string;
  priority: FollowUpPriority;
  assignee: FollowUpAssignee;
  reasons: FollowUpReason[];
}

const BASE_PRIORITY: Record<FollowUpRule, number> = {
  complaint_sla_at_risk: 1,
  promise_due_soon: 2,
  detractor_survey: 2,
  high_value_decline: 2,
  sentiment_drop: 3,
  revisit: 3,
  manual: 3,
};
const TIER_SHIFT: Record<ValueTier, number> = { A: -1, B: 0, C: 1 };

/** Priority from the rule, the value tier (A up, C down) and urgency (due within a day: up). */
export function priorityOf(rule: FollowUpRule, tier: ValueTier | null, dueMs: number, nowMs: number): FollowUpPriority {
  const urgent = dueMs - nowMs <= DAY ? -1 : 0;
  const level = BASE_PRIORITY[rule] + (tier ? TIER_SHIFT[tier] : 1) + urgent;
  return `p${Math.min(4, Math.max(1, level))}` as FollowUpPriority;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** What every rule sees: the customer's facts by now, its default assignee, and a way to add a candidate. */
interface TriggerContext {
  inputs: CustomerWorkInputs;
  nowMs: number;
  policy: WorklistPolicy;
  facts: HealthFact[];
  registered: HealthFact;
  lastContact: (HealthFact & { k: 'contact' }) | undefined;
  assignee: FollowUpAssignee;
  push: (
    rule: FollowUpRule,
    key: string,
    atMs: number,
    dueMs: number,
    reasons: FollowUpReason[],
    who?: FollowUpAssignee,
  ) => void;
  /** The policy's response time of a rule, in ms. */
  respond: (rule: keyof WorklistPolicy['respondWithinHours']) => number;
}

/** Revisit: the tier's interval since the last contact (or registration) has run out. */
function revisitTrigger({ inputs: { tier }, nowMs, policy, registered, lastContact, push, respond }: TriggerContext) {
  const revisitDays = tier ? policy.revisitDays[tier] : 0;
  if (revisitDays <= 0) return;
  const since = lastContact ?? registered;
  const dueFrom = since.t + revisitDays * DAY;
  if (dueFrom > nowMs) return;
  push('revisit', iso(dueFrom), dueFrom, dueFrom + respond('revisit'), [
    {
      code: 'revisit.due',
      detail: `tier ${tier}: revisit every ${revisitDays} days; last ${lastContact ? 'contact' : 'registration'} ${iso(since.t)}`,
      eventIds: [since.id],
    },
  ]);
}

/** Promises due soon: open, not yet due, due within the window. */
function promiseDueSoonTriggers({ facts, nowMs, policy, push }: TriggerContext): void {
  const promises = new Map<string, { made: number; due: number; open: boolean; ids: string[] }>();
  for (const f of facts) {
    if (f.k !== 'promise') continue;
    const p = promises.get(f.y); // x: step, y: promise id, z: due date
    if (f.x === 'made') promises.set(f.y, { made: f.t, due: f.z!, open: true, ids: [f.id] });
    else if (p) {
      p.ids.push(f.id);
      if (f.x === 'renegotiated') Object.assign(p, { due: f.z!, open: true });
      else if (f.x !== 'overdue') p.open = false;
    }
  }
  for (const [promiseId, p] of promises) {
    const windowStart = p.due - policy.promiseDueSoonHours * HOUR;
    if (!p.open || p.due <= nowMs || windowStart > nowMs) continue;
    push('promise_due_soon', `${promiseId}:${iso(p.due)}`, Math.max(windowStart, p.made), p.due, [
      { code: 'promise.due_soon', detail: `promise ${promiseId} is due ${iso(p.due)}`, eventIds: p.ids },
    ]);
  }
}

type ComplaintEntry = ComplaintSlaDoc['complaints'][number];

/** When the clock of a complaint's SLA step started: its filing, last reopening or last customer answer. */
function stepOpenedAt(c: ComplaintEntry, step: 'acknowledgement' | 'nextReply' | 'resolution'): number {
  return Date.parse(
    step === 'resolution'
      ? (c.reopenedAt ?? c.filedAt)
      : step === 'nextReply'
        ? (c.exchanges?.[c.exchanges.length - 1]?.answeredAt ?? c.filedAt)
        : c.filedAt,
  );
}

/** Complaint SLA steps still pending whose deadline is within the risk window. */
function complaintSlaTriggers(ctx: TriggerContext, slaPolicy: ComplaintSlaPolicy): void {
  const { inputs, nowMs, policy, facts, assignee, push } = ctx;
  if (!inputs.complaints || inputs.complaints.erased) return;
  for (const c of inputs.complaints.complaints) {
    if (c.status !== 'open') continue;
    const at = complaintSlaAt(c, nowMs, slaPolicy);
    // A step paused while the complaint waits for the customer is not pending: no follow-up for it.
    for (const step of ['acknowledgement', 'nextReply', 'resolution'] as const) {
      const s = at[step];
      if (s === null) continue;
      const due = Date.parse(s.dueAt);
      const windowStart = due - policy.slaAtRiskHours * HOUR;
      if (s.status !== 'pending' || windowStart > nowMs) continue;
      const ids = facts.filter((f) => f.k === 'complaint' && f.y === c.complaintId).map((f) => f.id);
      push(
        'complaint_sla_at_risk',
        `${c.complaintId}:${step}:${s.dueAt}`,
        Math.max(windowStart, stepOpenedAt(c, step)),
        due,
        [
          {
            code: `complaint.${step}_at_risk`,
            detail: `${c.severity} complaint ${c.complaintId}: ${step} due ${s.dueAt}`,
            eventIds: ids,
          },
        ],
        { ...(assignee.agentId ? { agentId: assignee.agentId } : {}), team: policy.complaintTeam },
      );
    }
  }
}

/** A high-value customer entering decline (the scoring run's stage). */
function highValueDeclineTrigger({ inputs, facts, policy, push, respond }: TriggerContext): void {
  const { tier } = inputs;
  if (!(tier && policy.highValueTiers.includes(tier) && inputs.stage === 'decline' && inputs.stageSince)) return;
  const lastPurchase = last(facts, (f) => f.k === 'purchase');
  const since = Date.parse(inputs.stageSince);
  push('high_value_decline', inputs.stageSince, since, since + respond('high_value_decline'), [
    {
      code: 'value.decline',
      detail: `tier ${tier} customer in decline since ${inputs.stageSince}${inputs.stageReason ? `: ${inputs.stageReason}` : ''}`,
      eventIds: lastPurchase ? [lastPurchase.id] : [],
    },
  ]);
}

/** A detractor answer (NPS 0-6) within the window. */
function detractorTriggers({ facts, nowMs, policy, push, respond }: TriggerContext): void {
  for (const f of facts) {
    // x: kind, y: score
    if (f.k !== 'survey' || f.x !== 'nps' || f.y === null || f.y > 6) continue;
    if (nowMs - f.t > policy.detractorWithinDays * DAY) continue;
    push('detractor_survey', f.id, f.t, f.t + respond('detractor_survey'), [
      { code: 'survey.detractor', detail: `NPS ${f.y} on ${iso(f.t)}`, eventIds: [f.id] },
    ]);
  }
}

/** A sentiment drop, dated at the first moment of the current drop. */
function sentimentDropTrigger({ inputs, facts, nowMs, push, respond }: TriggerContext): void {
  const drop = sentimentDropStart(inputs.sentiment, nowMs);
  if (!drop) return;
  const ids = facts.filter((f) => drop.positions.has(f.p)).map((f) => f.id);
  push('sentiment_drop', iso(drop.atMs), drop.atMs, drop.atMs + respond('sentiment_drop'), [
    { code: 'sentiment.drop', detail: `rolling sentiment fell to ${drop.mean.toFixed(2)}`, eventIds: ids },
  ]);
}

/**
 * The triggers that hold for a customer at `nowMs`, each dated at its own moment (the revisit falling due,
 * the promise entering its due-soon window, the SLA step entering its risk window, the stage change, the
 * survey, the first moment of the sentiment drop), so a rerun finds the same triggers with the same keys.
 * Pure: the caller filters rules already open and records the rest once per key.
 */
export function worklistTriggers(
  inputs: CustomerWorkInputs,
  nowMs: number,
  policy: WorklistPolicy,
  slaPolicy: ComplaintSlaPolicy,
): TriggerCandidate[] {
  const { customerId, tier, health } = inputs;
  const facts = health.facts.filter((f) => f.t <= nowMs && f.r <= nowMs);
  if (facts.some((f) => f.k === 'erased')) return [];
  const registered = facts.find((f) => f.k === 'registered');
  if (!registered) return [];
  const lastContact = last(facts, (f) => f.k === 'contact') as (HealthFact & { k: 'contact' }) | undefined;
  const team = tier ? policy.teams[tier] : policy.teams.C;
  const assignee: FollowUpAssignee = lastContact ? { agentId: lastContact.x, team } : { team };
  const out: TriggerCandidate[] = [];
  const push: TriggerContext['push'] = (rule, key, atMs, dueMs, reasons, who = assignee) => {
    const occurredMs = Math.max(atMs, registered.t);
    out.push({
      customerId,
      rule,
      trigger: `${rule}:${customerId}:${key}`,
      occurredAt: iso(occurredMs),
      dueAt: iso(Math.max(dueMs, occurredMs)),
      priority: priorityOf(rule, tier, dueMs, nowMs),
      assignee: who,
      reasons,
    });
  };
  const respond: TriggerContext['respond'] = (rule) => policy.respondWithinHours[rule] * HOUR;
  const ctx: TriggerContext = { inputs, nowMs, policy, facts, registered, lastContact, assignee, push, respond };
  revisitTrigger(ctx);
  promiseDueSoonTriggers(ctx);
  complaintSlaTriggers(ctx, slaPolicy);
  highValueDeclineTrigger(ctx);
  detractorTriggers(ctx);
  sentimentDropTrigger(ctx);
  return out;
}

/** The first moment of the drop that holds at now (walking back while it holds), or null. */
function sentimentDropStart(
  doc: SentimentTimelineDoc | null,
  nowMs: number,
): { atMs: number; mean: number; positions: Set<number> } | null {
  if (!doc || doc.erased) return null;
  const now = sentimentSignalAt(doc, iso(nowMs), iso(nowMs));
  if (!now.drop) return null;
  const moments = doc.moments.filter((m) => Date.parse(m.at) <= nowMs && Date.parse(m.recordedAt) <= nowMs);
  let start = moments.length - 1;
  while (start > 0 && sentimentSignalAt(doc, moments[start - 1]!.at, iso(nowMs)).drop) start -= 1;
  const atMs = Date.parse(moments[start]!.at);
  return {
    atMs,
    mean: now.mean ?? 0,
    positions: new Set(moments.slice(Math.max(0, start - 4), start + 1).map((m) => m.position)),
  };
}

/** The latest in business time (facts are in stream order, which a backdated one breaks). */
function last(facts: HealthFact[], test: (f: HealthFact) => boolean): HealthFact | undefined {
  let found: HealthFact | undefined;
  for (const f of facts) if (test(f) && (found === undefined || f.t >= found.t)) found = f;
  return found;
}
