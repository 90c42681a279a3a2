import {
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type Filter,
  type Position,
  type ResolvedEvent,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import type { EventFilter, StoredEvent } from '../event-store.port';
import { matchesFilter } from '../shared/event-filter';

/** Our global position is the event's commit position in the transaction log. */
export const toEsdbPosition = (position: number): Position => ({ commit: BigInt(position), prepare: BigInt(position) });

export const isSystem = (streamId: string, type: string): boolean => streamId.startsWith('$') || type.startsWith('$');

/** Maps a recorded JSON event back to the port's shape; null for links, system and non-JSON events. */
export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | null {
  const recorded = resolved.event;
  if (!recorded || !recorded.isJson || isSystem(recorded.streamId, recorded.type)) return null;
  const commit = recorded.position?.commit ?? resolved.commitPosition;
  return {
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    // Stream reads carry positions on servers >= 22.6; older ones report -1.
    position: commit === undefined ? -1 : Number(commit),
    type: recorded.type,
    data: recorded.data as StoredEvent['data'],
    metadata: recorded.metadata as StoredEvent['metadata'],
  };
}

/**
 * The server-side filter for a subscription (one per subscription: stream prefixes win, event
 * types are then checked client-side); system events are always excluded.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0)
    return streamNameFilter({ prefixes: filter.streamPrefixes });
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    const escaped = filter.eventTypes.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return eventTypeFilter({ regex: `^(?:${escaped.join('|')})$` });
  }
  return excludeSystemEvents();
}

export const passes = (filter: EventFilter | undefined, event: StoredEvent): boolean =>
  matchesFilter(filter, event.streamId, event.type);
