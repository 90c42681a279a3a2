// The app's one seam onto the domain library: decider, upcasters, schema versions.
import {
  currentSchemaVersion as domainSchemaVersion,
  decide as domainDecide,
  foldIntoOwned as domainFoldIntoOwned,
  rehydrate as domainRehydrate,
  upcast,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerEventType,
  type CustomerState,
  type DecidedEvent,
} from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';

export type { CustomerCommand, CustomerState, DecidedEvent };

export const decide = (command: CustomerCommand, state: CustomerState): DecidedEvent[] => domainDecide(command, state);

export const rehydrate = (events: Iterable<CustomerEvent>, from: CustomerState): CustomerState =>
  domainRehydrate(events, from);

/** `rehydrate` into a state the caller alone holds, which it gives up: no copy of its collections. */
export const foldIntoOwned = (owned: CustomerState, events: Iterable<CustomerEvent>): CustomerState =>
  domainFoldIntoOwned(owned, events);

/** A stored event in the current schema. */
export const upcastStored = (stored: StoredEvent): CustomerEvent => upcast(stored);

/** Schema version written into new events' metadata. */
export const currentSchemaVersion = (type: CustomerEventType): number => domainSchemaVersion(type);
