import type { CustomerCommand } from '../commands/customer-commands';
import type { CustomerEvent } from '../events/customer-events';
import { decide } from './customer-decide';
import { evolve, initialState } from './customer-evolve';
import type { CustomerState, DecidedEvent } from './customer-state';

/** Emmett's Decider shape: decide returns events without metadata; evolve folds stored events. */
export interface Decider<Command, State, Event, Decided = Event> {
  decide(command: Command, state: State): Decided[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** The customer decider over the stream `customer-<id>`. */
export const customerDecider: Decider<CustomerCommand, CustomerState, CustomerEvent, DecidedEvent> = {
  decide,
  evolve,
  initialState,
};
