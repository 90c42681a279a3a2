import { customerDecider, type CustomerEvent, type CustomerState } from '@rapport/domain';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { generatePopulation, simulatedEventId } from '@rapport/testing/generators';
import { evolveCustomerHealth, type CustomerHealthDoc } from '../customer-health/customer-health.projection';
import { followUpEffect } from './follow-up-effect';
import { evolveWorklist, worklistProjection, type FollowUpDoc } from './worklist.projection';

/** The simulated population decided and folded into the health and worklist read models, as the engine would. */
function simulate(customers: number, days: number) {
  const { commands } = generatePopulation({ customers, days, seed: 'effect', followUpRate: 0.6 });
  const states = new Map<string, CustomerState>();
  const health = new Map<string, CustomerHealthDoc>();
  const followUps = new Map<string, FollowUpDoc>();
  let position = 0;
  for (const { command, idempotencyKey, actor, channel } of commands) {
    let state = states.get(command.customerId) ?? customerDecider.initialState();
    customerDecider.decide(command, state).forEach((decided, index) => {
      const event = {
        ...decided,
        metadata: {
          eventId: simulatedEventId(command.customerId, idempotencyKey, index),
          occurredAt: command.occurredAt,
          recordedAt: command.occurredAt,
          actor,
          channel,
          correlationId: idempotencyKey,
          causationId: null,
          schemaVersion: 1,
        },
      } as CustomerEvent;
      state = customerDecider.evolve(state, event);
      position += 1;
      const projected = {
        ...event,
        streamId: `customer-${command.customerId}`,
        revision: 0,
        position,
      } as ProjectedEvent;
      const doc = evolveCustomerHealth(health.get(command.customerId) ?? null, projected);
      if (doc) health.set(command.customerId, doc);
      if (worklistProjection.handles.includes(event.type)) {
        const key = worklistProjection.keyOf!(projected) as string;
        const next = evolveWorklist(followUps.get(key) ?? null, projected);
        if (next) followUps.set(key, next);
      }
    });
    states.set(command.customerId, state);
  }
  return { health, followUps: [...followUps.values()] };
}

describe('follow-up effect on a simulated population', () => {
  it('given agents who work 60 % of follow-ups and a follow-up that sometimes wins a purchase, then the worked ones fare better', () => {
    const { health, followUps } = simulate(300, 365);
    const end = Date.parse('2024-12-31T00:00:00Z');
    const rules = followUpEffect(followUps, (id) => (health.has(id) ? { health: health.get(id)! } : null), end, 30);
    const byRule = Object.fromEntries(rules.map((r) => [r.rule, r]));
    for (const rule of ['revisit', 'promise_due_soon', 'detractor_survey']) {
      expect(byRule[rule]?.followedUp.count).toBeGreaterThan(5);
      expect(byRule[rule]?.notFollowedUp.count).toBeGreaterThan(2);
    }
    // The simulator builds an effect in (a worked follow-up sometimes wins a purchase or a warmer answer):
    // with seed `effect`, +5.5 (detractor), +2.4 (promise), +0.4 (revisit) health points over 30 days.
    for (const rule of rules)
      expect({ rule: rule.rule, positive: (rule.effect ?? 0) > 0 }).toEqual({ rule: rule.rule, positive: true });
  });
});
