import { v5 as uuidv5 } from 'uuid';
import type { Actor, CustomerCommand, FollowUpRule } from '@rapport/domain';
import type { GeneratedCommand } from './generated-command';
import { iso, round2 } from './journey-drafts';
import { CATALOGUE } from './population-config';
import type { Prng } from './prng';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ENGINE: Actor = { id: 'worklist-engine', role: 'system' };
const SUPERVISOR: Actor = { id: 'team-lead', role: 'agent' };

/**
 * The engine derives an event's id from the customer and the Idempotency-Key (uuid v5 in this
 * namespace, `libs/application/src/command-handling/event-ids.ts`; a test holds the two equal), so the
 * simulator knows the id of the call a completion names before it is recorded.
 */
const EVENT_ID_NAMESPACE = '6f1c2f4e-8a7b-4d0e-9f3a-2b5c7d9e1a40';
export const simulatedEventId = (customerId: string, idempotencyKey: string, index = 0): string =>
  uuidv5(`${customerId}\n${idempotencyKey}\n${index}`, EVENT_ID_NAMESPACE);

interface Trigger {
  rule: FollowUpRule;
  at: number;
  dueAt: number;
  detail: string;
  eventKey: string;
}

/**
 * Follow-up behaviour over one customer's simulated touchpoints: the worklist's triggers (a detractor
 * answer, a promise two days before its due date, a regular buyer not called for 30 days) become
 * FollowUpScheduled; an agent follows up with probability `rate` (a logged call, then the completion
 * naming it), and a follow-up no one worked is dismissed by the team lead after 14 days. A customer who
 * was followed up sometimes buys again or answers a survey more warmly: the outcomes the effect report
 * compares. At most one open follow-up per rule, as the decider requires.
 */
export function withFollowUps(
  rng: Prng,
  customerId: string,
  commands: GeneratedCommand[],
  options: { rate: number; windowEnd: number; seed: string; regular: boolean; agents: readonly string[] },
): GeneratedCommand[] {
  if (options.rate <= 0 || commands.length === 0) return commands;
  const triggers: Trigger[] = [];
  let lastCall = Date.parse(commands[0]!.command.occurredAt);
  for (const { command, idempotencyKey } of commands) {
    const at = Date.parse(command.occurredAt);
    if (options.regular) {
      // A regular buyer is revisited when 30 days pass without a call.
      for (let due = lastCall + 30 * DAY; due < at; due += 30 * DAY) {
        triggers.push({ rule: 'revisit', at: due, dueAt: due + 7 * DAY, detail: 'no call in 30 days', eventKey: '' });
      }
    }
    if (command.type === 'LogCall') lastCall = at;
    if (command.type === 'RecordSurveyResponse' && command.kind === 'nps' && (command.score ?? 10) <= 6) {
      triggers.push({
        rule: 'detractor_survey',
        at,
        dueAt: at + DAY,
        detail: `NPS ${command.score}`,
        eventKey: idempotencyKey,
      });
    }
    if (command.type === 'MakePromise') {
      const due = Date.parse(command.dueAt);
      const from = Math.max(at, due - 2 * DAY);
      triggers.push({
        rule: 'promise_due_soon',
        at: from,
        dueAt: due,
        detail: `promise ${command.promiseId} due`,
        eventKey: idempotencyKey,
      });
    }
  }
  triggers.sort((a, b) => a.at - b.at);

  const added: GeneratedCommand[] = [];
  const openUntil = new Map<FollowUpRule, number>();
  let n = 0;
  const push = (
    command: Omit<CustomerCommand, 'customerId'>,
    actor: Actor,
    channel: GeneratedCommand['channel'],
    key: string,
  ) => {
    added.push({ command: { ...command, customerId } as CustomerCommand, actor, channel, idempotencyKey: key });
    return key;
  };
  for (const trigger of triggers) {
    if (trigger.at >= options.windowEnd || (openUntil.get(trigger.rule) ?? -Infinity) >= trigger.at) continue;
    n += 1;
    const followUpId = `${customerId}-f${n}`;
    const key = (what: string) => `sim:${options.seed}:${customerId}:fu${n}:${what}`;
    const agentId = rng.pick(options.agents);
    const eventIds = trigger.eventKey ? [simulatedEventId(customerId, trigger.eventKey)] : [];
    push(
      {
        type: 'ScheduleFollowUp',
        occurredAt: iso(trigger.at),
        followUpId,
        rule: trigger.rule,
        reasons: [{ code: trigger.rule, detail: trigger.detail, eventIds }],
        dueAt: iso(trigger.dueAt),
        assignee: { agentId, team: 'customer-care' },
        priority: trigger.rule === 'revisit' ? 'p3' : 'p2',
        trigger: `${trigger.rule}:${customerId}:${iso(trigger.at)}`,
      } as Omit<CustomerCommand, 'customerId'>,
      ENGINE,
      'system',
      key('scheduled'),
    );
    if (rng.chance(options.rate)) {
      const callAt = trigger.at + rng.next() * Math.max(HOUR, trigger.dueAt - trigger.at);
      const callKey = push(
        {
          type: 'LogCall',
          occurredAt: iso(callAt),
          callId: `${followUpId}-call`,
          direction: 'outbound',
          durationSeconds: Math.round(rng.logNormal(300, 0.5)),
          agentId,
          topic: `follow-up: ${trigger.rule}`,
          outcome: 'resolved',
        } as Omit<CustomerCommand, 'customerId'>,
        { id: agentId, role: 'agent' },
        'phone',
        key('call'),
      );
      push(
        {
          type: 'CompleteFollowUp',
          occurredAt: iso(callAt + 60_000),
          followUpId,
          outcome: 'contacted',
          touchpointEventId: simulatedEventId(customerId, callKey),
          completedBy: agentId,
        } as Omit<CustomerCommand, 'customerId'>,
        { id: agentId, role: 'agent' },
        'phone',
        key('completed'),
      );
      openUntil.set(trigger.rule, callAt + 60_000);
      // The outcome: a follow-up sometimes wins another purchase or a warmer answer.
      if (rng.chance(0.45)) {
        const item = rng.pick(CATALOGUE);
        const buyAt = callAt + rng.int(2, 20) * DAY;
        if (buyAt < options.windowEnd) {
          const unitPrice = round2(item.price * (0.85 + 0.3 * rng.next()));
          push(
            {
              type: 'RecordPurchase',
              occurredAt: iso(buyAt),
              orderId: `${followUpId}-order`,
              lines: [{ sku: `${item.sku}-fu`, category: item.category, quantity: 1, unitPrice }],
              total: unitPrice,
              currency: 'CNY',
            } as Omit<CustomerCommand, 'customerId'>,
            { id: 'shop', role: 'agent' },
            'web',
            key('purchase'),
          );
        }
      }
      if (rng.chance(0.35)) {
        const surveyAt = callAt + rng.int(1, 10) * DAY;
        if (surveyAt < options.windowEnd) {
          push(
            {
              type: 'RecordSurveyResponse',
              occurredAt: iso(surveyAt),
              surveyId: `${followUpId}-survey`,
              kind: 'nps',
              score: rng.int(7, 10),
            } as Omit<CustomerCommand, 'customerId'>,
            { id: 'survey-tool', role: 'agent' },
            'email',
            key('survey'),
          );
        }
      }
    } else {
      const dismissAt = trigger.dueAt + 14 * DAY;
      if (dismissAt < options.windowEnd) {
        push(
          {
            type: 'DismissFollowUp',
            occurredAt: iso(dismissAt),
            followUpId,
            dismissedBy: SUPERVISOR.id,
            reason: 'not reached in time',
          } as Omit<CustomerCommand, 'customerId'>,
          SUPERVISOR,
          'system',
          key('dismissed'),
        );
        openUntil.set(trigger.rule, dismissAt);
      } else openUntil.set(trigger.rule, Infinity);
    }
  }
  return [...commands, ...added].sort((a, b) => Date.parse(a.command.occurredAt) - Date.parse(b.command.occurredAt));
}
