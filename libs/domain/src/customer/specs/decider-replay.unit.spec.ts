import fc from 'fast-check';
import {
  CUSTOMER_EVENT_TYPES,
  customerDecider,
  dictValues,
  DomainError,
  encodeCustomerState,
  FOLLOW_UP_TOUCHPOINT_TYPES,
  rehydrate,
  restoreCustomerState,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
} from '@rapport/domain';
import { withMetadata } from '@rapport/testing';

const BASE = Date.parse('2024-01-01T00:00:00Z');
const time = fc.integer({ min: 0, max: 60 }).map((h) => new Date(BASE + h * 3_600_000).toISOString());
const id = (prefix: string) => fc.constantFrom(`${prefix}-1`, '__proto__');
const text = fc.constantFrom('call me', '退款', '');
const customerId = 'c-prop';

/** Commands over small id pools so that rules meet each other often; some values are out of range on purpose. */
const touchpointArbs = [
  fc.record({
    type: fc.constant('RegisterCustomer' as const),
    occurredAt: time,
    name: text,
    acquisitionChannel: fc.constant('web'),
    acquisitionCost: fc.constantFrom(0, 5, -1),
    region: fc.constant('east'),
    city: fc.constant('Shanghai'),
  }),
  fc.record({
    type: fc.constant('UpdateCustomerProfile' as const),
    occurredAt: time,
    changes: fc.record({ city: fc.constant('Hangzhou') }, { requiredKeys: [] }),
  }),
  fc.record({
    type: fc.constant('LogCall' as const),
    occurredAt: time,
    callId: id('call'),
    direction: fc.constant('inbound' as const),
    durationSeconds: fc.integer({ min: -1, max: 600 }),
    agentId: fc.constant('a'),
    topic: fc.constant('t'),
    outcome: fc.constant('resolved' as const),
  }),
  fc.record({
    type: fc.constant('RecordPurchase' as const),
    occurredAt: time,
    orderId: id('o'),
    lines: fc.constant([{ sku: 's', category: 'c', quantity: 2, unitPrice: 10 }]),
    total: fc.constantFrom(20, 21),
    currency: fc.constantFrom('EUR', 'CNY'),
  }),
  fc.record(
    {
      type: fc.constant('RefundPurchase' as const),
      occurredAt: time,
      orderId: id('o'),
      refundId: id('r'),
      amount: fc.constantFrom(0.01, 5, 7.5, 20, 25),
      currency: fc.constantFrom(undefined, 'EUR'),
    },
    { requiredKeys: ['type', 'occurredAt', 'orderId', 'refundId', 'amount'] },
  ),
  fc.record({
    type: fc.constant('MakePromise' as const),
    occurredAt: time,
    promiseId: id('p'),
    description: fc.constant('call back'),
    dueAt: time,
    madeBy: fc.constant('a'),
    withinPolicy: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('KeepPromise' as const),
    occurredAt: time,
    promiseId: id('p'),
    keptBy: fc.constant('a'),
  }),
  fc.record({ type: fc.constant('RenegotiatePromise' as const), occurredAt: time, promiseId: id('p'), newDueAt: time }),
  fc.record({
    type: fc.constantFrom('BreakPromise' as const, 'CancelPromise' as const),
    occurredAt: time,
    promiseId: id('p'),
  }),
  fc.record({
    type: fc.constant('MarkPromiseOverdue' as const),
    occurredAt: time,
    noticedAt: time,
    promiseId: id('p'),
  }),
  fc.record({
    type: fc.constant('FileComplaint' as const),
    occurredAt: time,
    complaintId: id('k'),
    category: fc.constant('delivery'),
    severity: fc.constant('low' as const),
    description: fc.constant('broken'),
  }),
  fc.record({
    type: fc.constant('AcknowledgeComplaint' as const),
    occurredAt: time,
    complaintId: id('k'),
    by: fc.constant('a'),
  }),
  fc.record({
    type: fc.constant('EscalateComplaint' as const),
    occurredAt: time,
    complaintId: id('k'),
    to: fc.constant('lead'),
  }),
  fc.record({
    type: fc.constant('ResolveComplaint' as const),
    occurredAt: time,
    complaintId: id('k'),
    by: fc.constant('a'),
    resolution: fc.constant('fixed'),
  }),
  fc.record({ type: fc.constant('ReopenComplaint' as const), occurredAt: time, complaintId: id('k') }),
  fc.record({
    type: fc.constant('RecordComplaintSlaBreach' as const),
    occurredAt: time,
    complaintId: id('k'),
    sla: fc.constantFrom('acknowledgement' as const, 'nextReply' as const, 'resolution' as const),
    dueAt: time,
    noticedAt: time,
  }),
  fc.record({
    type: fc.constant('AwaitComplaintCustomer' as const),
    occurredAt: time,
    complaintId: id('k'),
    by: fc.constant('a'),
  }),
  fc.record({ type: fc.constant('RecordComplaintCustomerResponse' as const), occurredAt: time, complaintId: id('k') }),
  fc.record({
    type: fc.constant('RecordSurveyResponse' as const),
    occurredAt: time,
    surveyId: id('s'),
    kind: fc.constantFrom('nps' as const, 'csat' as const, 'ces' as const),
    score: fc.integer({ min: -1, max: 11 }),
  }),
  fc.record({
    type: fc.constant('ScheduleFollowUp' as const),
    occurredAt: time,
    followUpId: fc.constantFrom('f-1', 'f-2', '__proto__'),
    rule: fc.constantFrom('revisit' as const, 'sentiment_drop' as const),
    reasons: fc.constant([{ code: 'r', detail: 'd', eventIds: ['e'] }]),
    dueAt: time,
    assignee: fc.constantFrom({ agentId: 'a' }, { team: 't' }, {}),
    priority: fc.constantFrom('p1' as const, 'p3' as const),
  }),
  fc.record({
    type: fc.constant('CompleteFollowUp' as const),
    occurredAt: time,
    followUpId: fc.constantFrom('f-1', 'f-2', '__proto__'),
    outcome: fc.constant('contacted' as const),
    touchpointEventId: fc.constant('not-a-touchpoint'),
    completedBy: fc.constant('a'),
  }),
  fc.record({
    type: fc.constant('DismissFollowUp' as const),
    occurredAt: time,
    followUpId: fc.constantFrom('f-1', 'f-2', '__proto__'),
    dismissedBy: fc.constant('a'),
    reason: fc.constantFrom('moved', ''),
  }),
  fc.record({
    type: fc.constant('ReassignFollowUp' as const),
    occurredAt: time,
    followUpId: fc.constantFrom('f-1', 'f-2', '__proto__'),
    to: fc.constantFrom({ agentId: 'b' }, { team: 't' }),
    reassignedBy: fc.constant('lead'),
  }),
  fc.record({
    type: fc.constant('RecordHealthBandChange' as const),
    occurredAt: time,
    to: fc.constantFrom('healthy' as const, 'watch' as const, 'at_risk' as const),
    score: fc.constantFrom(20, 60, 101),
    reasons: fc.constant([]),
    noticedAt: time,
  }),
  fc.record({
    type: fc.constant('RecordLifecycleStageChange' as const),
    occurredAt: time,
    from: fc.constantFrom(null, 'acquisition' as const, 'growth' as const),
    to: fc.constantFrom('growth' as const, 'decline' as const),
    reason: fc.constant('scoring run'),
    run: fc.constant('r-1'),
    noticedAt: time,
  }),
  fc.record({
    type: fc.constant('RecordSentimentDrop' as const),
    occurredAt: time,
    amount: fc.constantFrom(0.5, 0),
    rollingMean: fc.constant(-0.2),
    highMean: fc.constant(0.3),
    highAt: fc.constant(null),
    positions: fc.constant([1]),
    noticedAt: time,
  }),
];
const commandArb: fc.Arbitrary<CustomerCommand> = fc
  .oneof(
    ...touchpointArbs.map((arbitrary) => ({
      arbitrary: arbitrary as fc.Arbitrary<Omit<CustomerCommand, 'customerId'>>,
      weight: 10,
    })),
    {
      arbitrary: fc.record({
        type: fc.constant('EraseCustomer' as const),
        occurredAt: time,
        reason: fc.constant('request'),
      }),
      weight: 1,
    },
  )
  .map((c) => ({ ...c, customerId }) as CustomerCommand);

/** Starts with a registration most of the time, so that the sequence gets somewhere. */
const sequenceArb = fc
  .tuple(fc.boolean(), fc.array(commandArb, { minLength: 10, maxLength: 80 }))
  .map(([register, rest]) => [
    ...(register
      ? [
          {
            type: 'RegisterCustomer',
            customerId,
            occurredAt: '2024-01-01T00:00:00.000Z',
            name: 'N',
            acquisitionChannel: 'web',
            acquisitionCost: 1,
            region: 'r',
            city: 'c',
          } as CustomerCommand,
        ]
      : []),
    // Business time mostly moves forward, with some commands dated a little earlier than the one before.
    ...rest.map((c, i) => relativeTimes(c, i)),
  ]);

const hoursOf = (iso: string) => (Date.parse(iso) - BASE) / 3_600_000;
const iso = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();

/** Business time mostly moves forward (2 h per command, some a little earlier); deadlines fall near it. */
function relativeTimes(c: CustomerCommand, i: number): CustomerCommand {
  const now = 2 * i + (hoursOf(c.occurredAt) % 5) - 2;
  const moved = { ...c, occurredAt: iso(now) } as CustomerCommand & {
    dueAt?: string;
    newDueAt?: string;
    noticedAt?: string;
  };
  if (moved.dueAt !== undefined)
    moved.dueAt = iso(
      now + (hoursOf(moved.dueAt) % 14) - (moved.type === 'MakePromise' || moved.type === 'ScheduleFollowUp' ? 2 : 12),
    );
  if (moved.newDueAt !== undefined) moved.newDueAt = iso(now + (hoursOf(moved.newDueAt) % 14) - 2);
  if (moved.noticedAt !== undefined) {
    // The watcher notices at `now` a deadline a few hours back, and dates its event there (now and then not).
    const lag = hoursOf(moved.noticedAt) % 8;
    moved.noticedAt = iso(now);
    if (moved.type === 'MarkPromiseOverdue') moved.occurredAt = iso(now - lag);
    else if (moved.dueAt !== undefined && lag !== 0) moved.occurredAt = moved.dueAt;
  }
  return moved;
}

const TOUCHPOINTS: ReadonlySet<string> = new Set(FOLLOW_UP_TOUCHPOINT_TYPES);
const lastTouchpoint = (events: CustomerEvent[]): string | undefined =>
  [...events].reverse().find((e) => TOUCHPOINTS.has(e.type))?.metadata.eventId;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('customer decider: replay', () => {
  it('replaying the accepted events rebuilds the state built while deciding', () => {
    const seen = { accepted: 0, types: new Set<string>() };
    fc.assert(
      fc.property(sequenceArb, (commands) => {
        let state: CustomerState = deepFreeze(customerDecider.initialState());
        const accepted: CustomerEvent[] = [];
        for (const [i, generated] of commands.entries()) {
          // The watcher dates an overdue at the promise's due date: every other one does, the rest are refused.
          const due =
            generated.type === 'MarkPromiseOverdue' && state.status === 'active'
              ? state.promises[generated.promiseId]?.dueAt
              : undefined;
          const dated = due !== undefined && i % 2 === 0 ? { ...generated, occurredAt: due } : generated;
          // A completion names the latest touchpoint of the stream every other time (an unknown id otherwise).
          const touchpoint = dated.type === 'CompleteFollowUp' && i % 2 === 0 ? lastTouchpoint(accepted) : undefined;
          const command = touchpoint ? { ...dated, touchpointEventId: touchpoint } : dated;
          let decided;
          try {
            decided = customerDecider.decide(command, state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error; // anything else is a bug
            continue;
          }
          for (const e of decided) {
            // What the store would give back: JSON round trip plus metadata carrying the business time.
            const stored = withMetadata({
              ...JSON.parse(JSON.stringify(e)),
              metadata: { occurredAt: command.occurredAt },
            });
            accepted.push(stored);
            seen.accepted += 1;
            seen.types.add(stored.type);
            state = deepFreeze(customerDecider.evolve(state, stored)); // frozen: neither decide nor evolve may mutate
          }
        }
        expect(accepted.reduce(customerDecider.evolve, customerDecider.initialState())).toEqual(state);
        expect(rehydrate(accepted)).toEqual(state);
        if (state.status === 'active') {
          for (const order of dictValues(state.orders))
            expect(order.refundedCents).toBeLessThanOrEqual(order.paidCents);
        }
      }),
      // With the complaint waits and the alerts in the mix, 250 sequences left FollowUpCompleted unreached in
      // about half the runs, 500 in one in ten, and 1000 still missed ComplaintReopened and PurchaseRefunded
      // in a full test run: 3000 (~1.6 s) makes such a miss far less likely.
      { numRuns: 3000 },
    );
    // The generator must reach every kind of event, not just refusals.
    expect([...seen.types].sort()).toEqual([...CUSTOMER_EVENT_TYPES].sort());
    expect(seen.accepted).toBeGreaterThan(400);
  });

  it('rehydrates from a snapshot (plain JSON or encoded) plus the later events', () => {
    fc.assert(
      fc.property(sequenceArb, fc.nat(), (commands, cut) => {
        const events: CustomerEvent[] = [];
        let state = customerDecider.initialState();
        for (const command of commands) {
          try {
            for (const e of customerDecider.decide(command, state)) {
              const stored = withMetadata({ ...e, metadata: { occurredAt: command.occurredAt } });
              events.push(stored);
              state = customerDecider.evolve(state, stored);
            }
          } catch {
            /* refused */
          }
        }
        const at = events.length === 0 ? 0 : cut % (events.length + 1);
        const before = deepFreeze(rehydrate(events.slice(0, at)));
        const snapshot = deepFreeze(JSON.parse(JSON.stringify(before)) as CustomerState);
        expect(rehydrate(events.slice(at), snapshot)).toEqual(state);
        // The engine's persisted form: the compact encoding, through JSON.
        const encoded = deepFreeze(JSON.parse(JSON.stringify(encodeCustomerState(before))) as unknown);
        expect(restoreCustomerState(encoded, events.slice(at))).toEqual(state);
      }),
      { numRuns: 100 },
    );
  });
});
