import type { ReadModelSource } from '@rapport/projection-engine';
import type { Filter } from '@rapport/read-store';
import type { FollowUpDoc, FollowUpDocStatus } from './worklist.projection';
import { DAY_MS } from '@rapport/domain';

export type FollowUpUrgency = 'overdue' | 'due' | 'upcoming';

export interface WorklistItem extends FollowUpDoc {
  /** Against the query's `now`: past due, due within a day, or later. */
  urgency: FollowUpUrgency;
}

export interface WorklistQuery {
  agent?: string;
  team?: string;
  status?: FollowUpDocStatus;
  /** ISO time urgency is read against. */
  now: string;
  /** Only follow-ups due by now + this many days (all when absent). */
  dueWithinDays?: number;
  limit?: number;
  cursor?: string;
}

export interface WorklistPage {
  items: WorklistItem[];
  nextCursor: string | null;
  now: string;
}

export const urgencyOf = (dueAt: string, nowMs: number): FollowUpUrgency => {
  const due = Date.parse(dueAt);
  return due < nowMs ? 'overdue' : due <= nowMs + DAY_MS ? 'due' : 'upcoming';
};

/**
 * An agent's or a team's follow-ups (open by default), most urgent priority first, then by due date:
 * one indexed range read (agentId or team, status, priority, dueAt).
 */
export async function worklistOf({ store, collection }: ReadModelSource, query: WorklistQuery): Promise<WorklistPage> {
  const nowMs = Date.parse(query.now);
  const filters: Filter[] = [{ field: 'status', eq: query.status ?? 'open' }];
  if (query.agent !== undefined) filters.unshift({ field: 'agentId', eq: query.agent });
  if (query.team !== undefined) filters.unshift({ field: 'team', eq: query.team });
  if (query.dueWithinDays !== undefined) {
    filters.push({ field: 'dueAt', lte: new Date(nowMs + query.dueWithinDays * DAY_MS).toISOString() });
  }
  const page = await store.find<FollowUpDoc>(collection, {
    filter: { and: filters },
    sort: [
      { field: 'priority', direction: 'asc' },
      { field: 'dueAt', direction: 'asc' },
    ],
    limit: query.limit ?? 50,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return {
    items: page.items.map((doc) => ({ ...doc, urgency: urgencyOf(doc.dueAt, nowMs) })),
    nextCursor: page.nextCursor,
    now: query.now,
  };
}

/** Every follow-up of a customer, newest first. */
export async function followUpsOfCustomer(
  { store, collection }: ReadModelSource,
  { customerId }: { customerId: string },
): Promise<FollowUpDoc[]> {
  const page = await store.find<FollowUpDoc>(collection, {
    filter: { field: 'customerId', eq: customerId },
    limit: 1000,
  });
  return page.items.sort((a, b) => Date.parse(b.scheduledAt) - Date.parse(a.scheduledAt));
}
