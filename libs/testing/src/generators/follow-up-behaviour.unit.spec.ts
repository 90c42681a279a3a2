import { customerDecider, type CustomerEvent, type CustomerState } from '@rapport/domain';
import { simulatedEventId } from './follow-up-behaviour';
import { generatePopulation } from './population-generator';

/** Decides every command of the population in order, per customer, with the ids the engine would give. */
function record(commands: ReturnType<typeof generatePopulation>['commands']) {
  const states = new Map<string, CustomerState>();
  const events: CustomerEvent[] = [];
  for (const { command, idempotencyKey, actor, channel } of commands) {
    const state = states.get(command.customerId) ?? customerDecider.initialState();
    const decided = customerDecider.decide(command, state);
    let next = state;
    decided.forEach((e, index) => {
      const event = {
        ...e,
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
      events.push(event);
      next = customerDecider.evolve(next, event);
    });
    states.set(command.customerId, next);
  }
  return events;
}

describe('simulated follow-up behaviour', () => {
  it('given a follow-up rate, when the population is recorded, then every command is accepted and follow-ups are scheduled, worked and dismissed', () => {
    const { commands } = generatePopulation({ customers: 60, days: 240, seed: 'follow-ups', followUpRate: 0.6 });
    const events = record(commands); // throws on any refusal
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('FollowUpScheduled')).toBeGreaterThan(20);
    expect(count('FollowUpCompleted')).toBeGreaterThan(5);
    expect(count('FollowUpDismissed')).toBeGreaterThan(2);
    const rules = new Set(
      events.filter((e) => e.type === 'FollowUpScheduled').map((e) => (e.data as { rule: string }).rule),
    );
    expect([...rules].sort()).toEqual(expect.arrayContaining(['detractor_survey', 'promise_due_soon', 'revisit']));
    // Each completion names a call of its customer's stream.
    const ids = new Map(events.map((e) => [e.metadata.eventId, e]));
    for (const completed of events.filter((e) => e.type === 'FollowUpCompleted')) {
      const touchpoint = ids.get((completed.data as { touchpointEventId: string }).touchpointEventId);
      expect(touchpoint).toMatchObject({ type: 'CallLogged', data: { customerId: completed.data.customerId } });
    }
  });

  it('is deterministic for a seed and leaves a population without follow-ups unchanged', () => {
    const a = generatePopulation({ customers: 20, days: 120, seed: 's', followUpRate: 0.6 });
    const b = generatePopulation({ customers: 20, days: 120, seed: 's', followUpRate: 0.6 });
    expect(a.commands).toEqual(b.commands);
    const none = generatePopulation({ customers: 20, days: 120, seed: 's' });
    expect(none.commands.some((c) => c.command.type === 'ScheduleFollowUp')).toBe(false);
    const withoutFollowUps = a.commands.filter((c) => !c.idempotencyKey.includes(':fu'));
    expect(withoutFollowUps.map((c) => c.idempotencyKey).sort()).toEqual(
      none.commands.map((c) => c.idempotencyKey).sort(),
    );
  });
});
