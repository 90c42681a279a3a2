import {
  customerDecider,
  DomainError,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  type Decider,
  type DecidedEvent,
  type DomainErrorKind,
  type DomainRule,
  type EventMetadata,
} from '@rapport/domain';

/** A past event for `given`: metadata may be partial (occurredAt matters to the rules; the rest is filler). */
export type GivenEvent = DecidedEvent & { metadata?: Partial<EventMetadata> };

export const DEFAULT_OCCURRED_AT = '2024-01-01T00:00:00.000Z';

let sequence = 0;

/** Completes an event with test metadata. */
export function withMetadata<E extends GivenEvent>(event: E): Extract<CustomerEvent, { type: E['type'] }> {
  const occurredAt = event.metadata?.occurredAt ?? DEFAULT_OCCURRED_AT;
  sequence += 1;
  const metadata: EventMetadata = {
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    occurredAt,
    recordedAt: occurredAt,
    actor: { id: 'test', role: 'agent' },
    channel: 'phone',
    correlationId: 'test',
    causationId: null,
    schemaVersion: 1,
    ...event.metadata,
  };
  return { type: event.type, data: event.data, metadata } as Extract<CustomerEvent, { type: E['type'] }>;
}

/** Shorthand for a given event at a business time. */
export const at = <E extends DecidedEvent>(occurredAt: string, event: E): GivenEvent => ({
  ...event,
  metadata: { occurredAt },
});

export interface ExpectedError {
  kind?: DomainErrorKind;
  field?: string;
}

export interface DeciderSpec<Command, Event, Decided> {
  given(events: Event[]): {
    when(command: Command): {
      /** Asserts the decided events, in order. */
      then(expected: Decided[]): void;
      /** Asserts a DomainError with this rule (and kind/field when given) and returns it. */
      thenThrows(rule: DomainRule, expected?: ExpectedError): DomainError;
    };
  };
}

/** Given/when/then over any decider: folds `given` through evolve, decides `when`, checks the outcome. */
export function deciderSpec<Command, State, Event, Decided>(
  decider: Decider<Command, State, Event, Decided>,
): DeciderSpec<Command, Event, Decided> {
  return {
    given: (events) => ({
      when: (command) => {
        const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
        return {
          then: (expected) => expect(run()).toEqual(expected),
          thenThrows: (rule, expectedError = {}) => {
            let thrown: unknown;
            try {
              const events = run();
              throw new Error(`expected ${rule} but the command was accepted: ${JSON.stringify(events)}`);
            } catch (error) {
              thrown = error;
            }
            if (!(thrown instanceof DomainError)) throw thrown;
            expect({ rule: thrown.rule, ...pick(thrown, expectedError) }).toEqual({ rule, ...expectedError });
            return thrown;
          },
        };
      },
    }),
  };
}

function pick(error: DomainError, expected: ExpectedError): ExpectedError {
  const out: ExpectedError = {};
  if ('kind' in expected) out.kind = error.kind;
  if ('field' in expected) out.field = error.field;
  return out;
}

const customerSpec = deciderSpec<CustomerCommand, CustomerState, CustomerEvent, DecidedEvent>(customerDecider);

/** `given(pastEvents).when(command).then(events)` / `.thenThrows(rule)` for the customer decider. */
export function given(events: GivenEvent[] = []) {
  return customerSpec.given(events.map((e) => withMetadata(e)));
}
