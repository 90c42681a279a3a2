import type { CustomerEvent } from '../events/customer-events';
import {
  FOLLOW_UP_TOUCHPOINT_TYPES,
  type FollowUpEvent,
  type FollowUpTouchpointType,
} from '../events/follow-up-events';
import { dictGet, type Dict } from '../customer/dict';
import type { ActiveCustomer, FollowUpState } from '../customer/customer-state';

type SetEntry = <T>(dict: Dict<T>, key: string, value: T) => Dict<T>;

const TOUCHPOINT_TYPES: ReadonlySet<string> = new Set(FOLLOW_UP_TOUCHPOINT_TYPES);

/** Remembers a touchpoint event by id, so a follow-up's completion can name it. */
export function rememberTouchpoint(state: ActiveCustomer, event: CustomerEvent, set: SetEntry): ActiveCustomer {
  if (!TOUCHPOINT_TYPES.has(event.type)) return state;
  const entry = { type: event.type as FollowUpTouchpointType, at: event.metadata.occurredAt };
  return { ...state, touchpoints: set(state.touchpoints, event.metadata.eventId, entry) };
}

/** The transition of one follow-up or health event. */
export function applyFollowUp(state: ActiveCustomer, event: FollowUpEvent, set: SetEntry): ActiveCustomer {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'FollowUpScheduled': {
      const { followUpId, rule, assignee } = event.data;
      const followUp: FollowUpState = { rule, status: 'open', scheduledAt: at, assignee };
      return { ...state, followUps: set(state.followUps, followUpId, followUp) };
    }
    case 'FollowUpCompleted':
      return updateFollowUp(state, set, event.data.followUpId, { status: 'completed' });
    case 'FollowUpDismissed':
      return updateFollowUp(state, set, event.data.followUpId, { status: 'dismissed' });
    case 'FollowUpReassigned':
      return updateFollowUp(state, set, event.data.followUpId, { assignee: event.data.to });
    case 'CustomerHealthBandChanged':
      return { ...state, health: { band: event.data.to, at } };
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
      return state;
    }
  }
}

function updateFollowUp(
  state: ActiveCustomer,
  set: SetEntry,
  id: string,
  change: Partial<FollowUpState>,
): ActiveCustomer {
  const entry = dictGet(state.followUps, id);
  return entry === undefined ? state : { ...state, followUps: set(state.followUps, id, { ...entry, ...change }) };
}
