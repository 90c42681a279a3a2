import type { Actor, CustomerCommand } from '@rapport/domain';
import { CALL_TOPICS, COMPLAINT_TEXTS, PROMISE_TEXTS, RESOLUTION_TEXTS, type Language } from './comment-texts';
import { withFollowUps } from './follow-up-behaviour';
import type { GeneratedCommand } from './generated-command';
import { clamp, iso, personName, round2, surveyCommand, type Draft } from './journey-drafts';
import { ACQUISITION_CHANNELS, AGENTS, CATALOGUE, COMPLAINT_SLA, REGIONS } from './population-config';
import type { PopulationConfig, PromiseOutcome, PurchaseRhythm } from './population-config';
import type { Prng } from './prng';

const HOUR = 3_600_000;
const SYSTEM: Actor = { id: 'deadline-watcher', role: 'system' };
const DAY = 24 * HOUR;

/** What the simulator decided about one customer, for plausibility checks and demos. */
export interface CustomerProfileSketch {
  customerId: string;
  rhythm: PurchaseRhythm | 'prospect';
  language: Language;
  region: string;
  city: string;
  acquisitionChannel: string;
  registeredAt: number;
}

interface Scheduled {
  at: number;
  /** Change to the customer's mood once this happens. */
  mood: number;
  make(mood: number): Draft;
}

/**
 * Plans one customer's touchpoints over the window, then walks them in time order so that survey
 * scores and comment tone follow what the customer lived through (kept promises, late answers...).
 */
export function simulateCustomer(
  rng: Prng,
  index: number,
  config: PopulationConfig,
  idPrefix: string,
): { sketch: CustomerProfileSketch; commands: GeneratedCommand[] } {
  const windowStart = Date.parse(`${config.start}T00:00:00Z`);
  const windowEnd = windowStart + config.days * DAY;
  const customerId = `${idPrefix}-${String(index + 1).padStart(6, '0')}`;

  const regionName = rng.weighted(Object.fromEntries(Object.entries(REGIONS).map(([k, v]) => [k, v.weight])));
  const region = REGIONS[regionName]!;
  const language: Language = region.mainland && rng.chance(config.chineseShare) ? 'zh' : 'en';
  const channelName = rng.weighted(
    Object.fromEntries(Object.entries(ACQUISITION_CHANNELS).map(([k, v]) => [k, v.weight])),
  );
  const rhythm: CustomerProfileSketch['rhythm'] = rng.chance(config.prospectShare)
    ? 'prospect'
    : rng.weighted(config.rhythms);
  const registeredAt = windowStart + Math.floor(rng.next() * config.days * 0.8 * DAY) + rng.int(8, 21) * HOUR;
  const sketch: CustomerProfileSketch = {
    customerId,
    rhythm,
    language,
    region: regionName,
    city: rng.pick(region.cities),
    acquisitionChannel: channelName,
    registeredAt,
  };
  // Some customers are simply served better than others: it shifts promise and complaint outcomes.
  const serviceLuck = rng.normal(0, 1);
  const baselineMood = clamp(0.35 + rng.normal(0, 0.2), -0.5, 0.9);

  const plan: Scheduled[] = [];
  const add = (at: number, mood: number, make: Scheduled['make']) => {
    if (at >= registeredAt && at < windowEnd) plan.push({ at, mood, make });
  };
  const counters = { order: 0, promise: 0, complaint: 0, call: 0, survey: 0, refund: 0 };
  const nextId = (kind: keyof typeof counters, letter: string) => `${customerId}-${letter}${++counters[kind]}`;
  const agent = () => rng.pick(AGENTS);

  add(registeredAt, 0, () => ({
    type: 'RegisterCustomer',
    channel: channelName === 'store' ? 'store' : channelName === 'wechat' ? 'wechat' : 'web',
    actor: { id: 'signup', role: 'agent' },
    data: {
      name: personName(rng, language),
      email: `${customerId}@example.test`,
      acquisitionChannel: channelName,
      acquisitionCost: round2(ACQUISITION_CHANNELS[channelName]!.cost * rng.logNormal(1, 0.3)),
      region: regionName,
      city: sketch.city,
      demographics: {
        ageBand: rng.weighted({ '18-24': 0.15, '25-34': 0.35, '35-44': 0.25, '45-54': 0.15, '55+': 0.1 }),
        gender: rng.weighted({ female: 0.52, male: 0.46, undisclosed: 0.02 }),
        incomeBand: rng.weighted({ low: 0.3, middle: 0.5, high: 0.2 }),
      },
    },
  }));

  const survey = (at: number, kinds: Record<'nps' | 'csat' | 'ces' | 'feedback', number>) =>
    add(at, 0, (mood) => surveyCommand(rng, nextId('survey', 's'), kinds, mood, language));

  // Promises: made by an agent, then kept (on time or late), broken, renegotiated or cancelled.
  const promise = (madeAt: number, byAgent: string) => {
    const promiseId = nextId('promise', 'p');
    const due = madeAt + rng.int(2, 10) * DAY;
    const weights = { ...config.promiseOutcomes };
    weights.kept_on_time *= Math.exp(0.4 * serviceLuck);
    weights.broken *= Math.exp(-0.5 * serviceLuck);
    const outcome: PromiseOutcome = rng.weighted(weights);
    add(madeAt, 0.02, () => ({
      type: 'MakePromise',
      channel: 'phone',
      actor: { id: byAgent, role: 'agent' },
      data: {
        promiseId,
        description: rng.pick(PROMISE_TEXTS[language]),
        dueAt: iso(due),
        madeBy: byAgent,
        withinPolicy: rng.chance(0.92),
      },
    }));
    const keep = (at: number, mood: number) =>
      add(at, mood, () => ({
        type: 'KeepPromise',
        channel: 'phone',
        actor: { id: byAgent, role: 'agent' },
        data: { promiseId, keptBy: byAgent },
      }));
    // Dated at the due date (business time); the watcher notices it a minute later.
    const overdue = (dueAt: number) =>
      add(dueAt, -0.05, () => ({
        type: 'MarkPromiseOverdue',
        channel: 'system',
        actor: SYSTEM,
        data: { promiseId, noticedAt: iso(dueAt + 60_000) },
      }));
    const brk = (at: number) =>
      add(at, -0.35, () => ({
        type: 'BreakPromise',
        channel: 'system',
        actor: { id: byAgent, role: 'agent' },
        data: { promiseId, reason: 'could not be fulfilled' },
      }));
    switch (outcome) {
      case 'kept_on_time':
        keep(madeAt + (due - madeAt) * (0.2 + 0.75 * rng.next()), 0.15);
        break;
      case 'kept_late':
        overdue(due);
        keep(due + rng.int(1, 5) * DAY, -0.08);
        break;
      case 'broken':
        overdue(due);
        brk(due + rng.int(1, 3) * DAY);
        break;
      case 'renegotiated': {
        const newDue = due + rng.int(3, 7) * DAY;
        add(due - 12 * HOUR, -0.05, () => ({
          type: 'RenegotiatePromise',
          channel: 'phone',
          actor: { id: byAgent, role: 'agent' },
          data: { promiseId, newDueAt: iso(newDue), reason: 'supplier delay' },
        }));
        if (rng.chance(0.7)) keep(newDue - rng.int(1, 48) * HOUR, 0.08);
        else {
          overdue(newDue);
          brk(newDue + DAY);
        }
        break;
      }
      case 'cancelled':
        add(madeAt + (due - madeAt) * rng.next(), -0.05, () => ({
          type: 'CancelPromise',
          channel: 'phone',
          actor: { id: byAgent, role: 'agent' },
          data: { promiseId, reason: 'customer no longer needs it' },
        }));
        break;
      default: {
        const _exhaustive: never = outcome;
        throw new Error(`unknown promise outcome ${String(_exhaustive)}`);
      }
    }
  };

  // Purchases follow the customer's rhythm.
  if (rhythm !== 'prospect') {
    let at = registeredAt + rng.exponential(3 * DAY) + HOUR;
    let interval = { frequent: 12, occasional: 45, one_off: 0, declining: 14, churning: 20 }[rhythm] * DAY;
    const churnAt = rhythm === 'churning' ? at + (windowEnd - at) * (0.3 + 0.4 * rng.next()) : Infinity;
    while (at < windowEnd && at < churnAt) {
      const orderId = nextId('order', 'o');
      const lines = Array.from({ length: Number(rng.weighted({ 1: 0.6, 2: 0.3, 3: 0.1 })) }, () => {
        const item = rng.pick(CATALOGUE);
        return {
          sku: `${item.sku}-${rng.int(1, 40)}`,
          category: item.category,
          quantity: rng.int(1, 3),
          unitPrice: round2(item.price * (0.85 + 0.3 * rng.next())),
        };
      });
      const total = round2(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0));
      add(at, 0.03, () => ({
        type: 'RecordPurchase',
        channel: rng.pick(['web', 'app', 'wechat', 'store'] as const),
        actor: { id: 'shop', role: 'agent' },
        data: { orderId, lines, total, currency: 'CNY' },
      }));
      if (rng.chance(config.refundShare)) {
        const amount = rng.chance(0.5) ? total : round2(lines[0]!.quantity * lines[0]!.unitPrice);
        const refundId = nextId('refund', 'r');
        add(at + rng.int(2, 14) * DAY, -0.05, () => ({
          type: 'RefundPurchase',
          channel: 'web',
          actor: { id: agent(), role: 'agent' },
          data: { orderId, refundId, amount, currency: 'CNY', reason: 'item returned' },
        }));
      }
      if (rng.chance(config.surveyAfterPurchase))
        survey(at + rng.int(1, 4) * DAY, { nps: 0.45, csat: 0.3, ces: 0.2, feedback: 0.05 });
      if (rhythm === 'one_off') break;
      if (rhythm === 'declining') interval *= 1.35;
      at += Math.max(HOUR, interval * rng.logNormal(1, 0.45));
    }
  }

  // Complaints: more for the unlucky; response times drawn around the SLA, some breach it.
  const complaintRate =
    config.complaintsPerYear *
    Math.exp(-0.35 * serviceLuck) *
    (rhythm === 'churning' || rhythm === 'declining' ? 1.5 : 1);
  for (
    let at = registeredAt + rng.exponential((365 / complaintRate) * DAY);
    at < windowEnd;
    at += rng.exponential((365 / complaintRate) * DAY)
  ) {
    const complaintId = nextId('complaint', 'k');
    const category = rng.pick(['delivery', 'quality', 'billing', 'service']);
    const severity = rng.weighted({ low: 0.35, medium: 0.4, high: 0.2, critical: 0.05 });
    const sla = COMPLAINT_SLA[severity];
    const handler = agent();
    add(at, -0.25, () => ({
      type: 'FileComplaint',
      channel: rng.pick(['phone', 'email', 'wechat'] as const),
      actor: { id: 'customer-service', role: 'agent' },
      data: { complaintId, category, severity, description: COMPLAINT_TEXTS[language][category] },
    }));
    const ackHours = rng.logNormal(sla.ackHours * 0.35 * Math.exp(-0.3 * serviceLuck), 0.9);
    const ackAt = at + ackHours * HOUR;
    add(ackAt, ackHours <= sla.ackHours ? 0.05 : -0.15, () => ({
      type: 'AcknowledgeComplaint',
      channel: 'phone',
      actor: { id: handler, role: 'agent' },
      data: { complaintId, by: handler },
    }));
    // Dated at the deadline (business time); the watcher notices it a minute later.
    const breach = (sla: 'acknowledgement' | 'resolution', dueAt: number) =>
      add(dueAt, -0.1, () => ({
        type: 'RecordComplaintSlaBreach',
        channel: 'system',
        actor: SYSTEM,
        data: { complaintId, sla, dueAt: iso(dueAt), noticedAt: iso(dueAt + 60_000) },
      }));
    if (ackHours > sla.ackHours + 0.1) breach('acknowledgement', at + sla.ackHours * HOUR);
    if (rng.chance(0.5)) promise(ackAt + 10 * 60_000, handler);
    const resolveHours = Math.max(
      ackHours + 1,
      rng.logNormal(sla.resolveHours * 0.45 * Math.exp(-0.3 * serviceLuck), 0.8),
    );
    const resolvedAt = at + resolveHours * HOUR;
    if (rng.chance(severity === 'high' || severity === 'critical' ? 0.35 : 0.1)) {
      add(ackAt + (resolvedAt - ackAt) * (0.2 + 0.5 * rng.next()), -0.05, () => ({
        type: 'EscalateComplaint',
        channel: 'system',
        actor: { id: handler, role: 'agent' },
        data: { complaintId, to: 'team-lead', reason: 'needs approval' },
      }));
    }
    const resolve = (when: number, mood: number) =>
      add(when, mood, () => ({
        type: 'ResolveComplaint',
        channel: 'phone',
        actor: { id: handler, role: 'agent' },
        data: { complaintId, by: handler, resolution: rng.pick(RESOLUTION_TEXTS[language]) },
      }));
    resolve(resolvedAt, resolveHours <= sla.resolveHours ? 0.2 : -0.1);
    if (resolveHours > sla.resolveHours + 0.1) breach('resolution', at + sla.resolveHours * HOUR);
    if (rng.chance(0.08)) {
      const reopenAt = resolvedAt + rng.int(1, 5) * DAY;
      add(reopenAt, -0.2, () => ({
        type: 'ReopenComplaint',
        channel: 'phone',
        actor: { id: handler, role: 'agent' },
        data: { complaintId, reason: 'problem came back' },
      }));
      resolve(reopenAt + rng.int(1, 4) * DAY, 0.1);
    } else if (rng.chance(0.5)) {
      survey(resolvedAt + rng.int(2, 48) * HOUR, { nps: 0, csat: 0.7, ces: 0.3, feedback: 0 });
    }
  }

  // Calls, some ending with a promise.
  const callRate = config.callsPerYear;
  for (
    let at = registeredAt + rng.exponential((365 / callRate) * DAY);
    at < windowEnd;
    at += rng.exponential((365 / callRate) * DAY)
  ) {
    const callId = nextId('call', 'c');
    const byAgent = agent();
    const outcome = rng.weighted({
      resolved: 0.4,
      information: 0.25,
      follow_up: 0.15,
      no_answer: 0.1,
      sale: 0.07,
      escalated: 0.03,
    });
    add(at, 0, () => ({
      type: 'LogCall',
      channel: 'phone',
      actor: { id: byAgent, role: 'agent' },
      data: {
        callId,
        direction: rng.chance(0.6) ? 'inbound' : 'outbound',
        durationSeconds: Math.round(rng.logNormal(240, 0.6)),
        agentId: byAgent,
        topic: rng.pick(CALL_TOPICS),
        outcome,
        notes: language === 'zh' ? '客户来电咨询' : 'Customer called',
      },
    }));
    if (outcome === 'follow_up') promise(at + 5 * 60_000, byAgent);
  }

  // Walk in time order: mood reverts towards the baseline and moves with each touchpoint.
  plan.sort((a, b) => a.at - b.at);
  let mood = baselineMood;
  let last = registeredAt;
  const commands: GeneratedCommand[] = [];
  let seq = 0;
  for (const item of plan) {
    mood = baselineMood + (mood - baselineMood) * Math.exp(-(item.at - last) / (60 * DAY));
    last = item.at;
    const made = item.make(mood);
    mood = clamp(mood + item.mood, -1, 1);
    commands.push({
      command: { type: made.type, customerId, occurredAt: iso(item.at), ...made.data } as CustomerCommand,
      channel: made.channel,
      actor: made.actor,
      idempotencyKey: `sim:${String(config.seed)}:${customerId}:${++seq}`,
    });
  }
  if (config.followUpRate > 0) {
    const regular = rhythm === 'frequent' || rhythm === 'declining';
    const options = { rate: config.followUpRate, windowEnd, seed: String(config.seed), regular, agents: AGENTS };
    return { sketch, commands: withFollowUps(rng.fork('follow-ups'), customerId, commands, options) };
  }
  return { sketch, commands };
}
