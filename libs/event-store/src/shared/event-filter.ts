import type { EventFilter } from '../event-store.port';

/** True when the event passes the filter (an empty or absent list does not restrict). */
export function matchesFilter(filter: EventFilter | undefined, streamId: string, type: string): boolean {
  if (!filter) return true;
  const { streamPrefixes, eventTypes } = filter;
  if (streamPrefixes && streamPrefixes.length > 0 && !streamPrefixes.some((p) => streamId.startsWith(p))) return false;
  if (eventTypes && eventTypes.length > 0 && !eventTypes.includes(type)) return false;
  return true;
}
