import {
  customerDecider,
  DomainError,
  DAY_MS,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  type ActiveCustomer,
} from '@rapport/domain';
import { simulatedEventId } from './follow-up-behaviour';
import type { GeneratedCommand } from './generated-command';
import { DEFAULT_POPULATION, type PopulationConfig } from './population-config';
import { generatePopulation } from './population-generator';

/** One recorded event of a simulated history, with the stream it was appended to. */
export interface SimulatedEvent {
  streamId: string;
  event: CustomerEvent;
}

const SYSTEM = { id: 'system', role: 'system' } as const;

/**
 * The simulated population recorded as the engine would: each command decided against its customer's
 * state, stamped, folded in. Commands the decider refuses are left out, as the engine refuses them.
 * After the simulated window, `epilogue` adds the touchpoints the simulator never makes (profile changes,
 * waits on the customer, reassignments, the watchers' records, erasures), so every event type occurs.
 */
export function simulatedHistory(overrides: Partial<PopulationConfig> = {}, epilogue = true): SimulatedEvent[] {
  const config = { ...DEFAULT_POPULATION, ...overrides };
  const { commands } = generatePopulation(config);
  const states = new Map<string, CustomerState>();
  const out: SimulatedEvent[] = [];
  const record = (generated: GeneratedCommand): void => {
    const { command, idempotencyKey, actor, channel } = generated;
    const state = states.get(command.customerId) ?? customerDecider.initialState();
    let decided;
    try {
      decided = customerDecider.decide(command, state);
    } catch (error) {
      if (error instanceof DomainError) return;
      throw error;
    }
    let next = state;
    decided.forEach((d, index) => {
      const event = {
        ...d,
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
      next = customerDecider.evolve(next, event);
      out.push({ streamId: `customer-${command.customerId}`, event });
    });
    states.set(command.customerId, next);
  };
  commands.forEach(record);
  if (epilogue) {
    const end = Date.parse(`${config.start}T00:00:00Z`) + config.days * DAY_MS;
    [...states.keys()].sort().forEach((customerId, i) => {
      const state = states.get(customerId);
      if (state?.status !== 'active') return;
      epilogueOf(state, i, end + i * 60_000).forEach((command, n) =>
        record({ command, idempotencyKey: `epilogue-${customerId}-${n}`, actor: SYSTEM, channel: 'system' }),
      );
    });
  }
  return out;
}

/** A few late touchpoints for customer number `i`, an hour apart from `start`. */
function epilogueOf(state: ActiveCustomer, i: number, start: number): CustomerCommand[] {
  const { customerId } = state;
  let hour = 0;
  const at = (): string => new Date(start + ++hour * 3_600_000).toISOString();
  const commands: CustomerCommand[] = [];
  if (i % 3 === 0)
    commands.push({ type: 'UpdateCustomerProfile', customerId, occurredAt: at(), changes: { city: 'Hangzhou' } });
  const complaint = Object.entries(state.complaints).find(([, c]) => c?.status === 'open' && !c.awaitingCustomer);
  if (complaint) {
    const complaintId = complaint[0];
    commands.push({ type: 'AwaitComplaintCustomer', customerId, occurredAt: at(), complaintId, by: 'agent-li' });
    if (i % 2 === 0)
      commands.push({ type: 'RecordComplaintCustomerResponse', customerId, occurredAt: at(), complaintId });
  }
  const followUp = Object.entries(state.followUps).find(([, f]) => f?.status === 'open');
  if (followUp) {
    const [followUpId] = followUp;
    commands.push({
      type: 'ReassignFollowUp',
      customerId,
      occurredAt: at(),
      followUpId,
      to: { team: 'retention' },
      reassignedBy: 'lead-1',
    });
  }
  if (i % 4 === 1) {
    const occurredAt = at();
    const reasons = [{ code: 'quiet', detail: 'no touchpoint for 60 days', eventIds: [] }];
    commands.push({
      type: 'RecordHealthBandChange',
      customerId,
      occurredAt,
      noticedAt: occurredAt,
      to: 'watch',
      score: 55,
      reasons,
    });
  }
  if (i % 5 === 2) {
    const occurredAt = at();
    commands.push({
      type: 'RecordLifecycleStageChange',
      customerId,
      occurredAt,
      noticedAt: occurredAt,
      from: null,
      to: 'decline',
      reason: 'fewer purchases',
      run: null,
    });
  }
  if (i % 5 === 3) {
    const occurredAt = at();
    commands.push({
      type: 'RecordSentimentDrop',
      customerId,
      occurredAt,
      noticedAt: occurredAt,
      amount: 0.4,
      rollingMean: -0.2,
      highMean: 0.2,
      highAt: null,
      positions: [],
    });
  }
  if (i % 7 === 0) commands.push({ type: 'EraseCustomer', customerId, occurredAt: at(), reason: 'customer asked' });
  return commands;
}
