import type { Actor } from '@rapport/domain';
import type { ReadStore } from '@rapport/read-store';
import {
  complaintSlaBreachesDue,
  type SlaBreachCandidate,
} from '@rapport/projections/complaint-sla/complaint-sla-deadlines';
import type { ComplaintSlaPolicy, SlaStep } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import type { ComplaintSlaDoc } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import {
  promisesNeedingOverdueEvent,
  type OverdueCandidate,
} from '@rapport/projections/promise-fulfilment/promise-deadlines';
import type { DeadlineRule } from './clock-decision-recorder';

/** The actor of everything the deadline watchers record (role `system`, never given to an API key). */
export const DEADLINE_WATCHER_ACTOR: Actor = { id: 'deadline-watcher', role: 'system' };

/** Same promise and due date, same key: the event id is derived from it, so nothing is stored twice. */
export const overdueIdempotencyKey = (promiseId: string, dueAt: string): string =>
  `promise-overdue:${promiseId}:${dueAt}`;

/**
 * Same complaint, step and deadline, same key: the event id is derived from it, so nothing is stored
 * twice. A reopening gives a new resolution deadline, hence a new key.
 */
export const slaBreachIdempotencyKey = (complaintId: string, sla: SlaStep, dueAt: string): string =>
  `complaint-sla:${complaintId}:${sla}:${dueAt}`;

/** A deadline found passed, with when it was noticed (the event's business time stays the deadline). */
type Noticed<T> = T & { noticedAt: string };

const noticedAt = <T>(now: string, items: T[]): Noticed<T>[] => items.map((item) => ({ ...item, noticedAt: now }));

export interface SkippedPromise {
  customerId: string;
  promiseId: string;
  rule: string;
}

export interface SkippedSlaBreach {
  customerId: string;
  complaintId: string;
  sla: SlaStep;
  rule: string;
}

/**
 * PromiseBecameOverdue, dated at the due date, for every open promise (in the promise-fulfilment
 * documents of `collection`) whose due date has passed at now.
 */
export function overduePromiseRule(
  readStore: ReadStore,
  collection: string,
): DeadlineRule<Noticed<OverdueCandidate>, SkippedPromise> {
  return {
    actor: DEADLINE_WATCHER_ACTOR,
    due: async (now) =>
      noticedAt(
        now,
        promisesNeedingOverdueEvent(await docsWithOpenItems<PromiseFulfilmentDoc>(readStore, collection), now),
      ),
    decisionOf: ({ customerId, promiseId, dueAt, noticedAt }) => ({
      command: { type: 'MarkPromiseOverdue', customerId, promiseId, occurredAt: dueAt, noticedAt },
      idempotencyKey: overdueIdempotencyKey(promiseId, dueAt),
    }),
    skippedEntry: ({ customerId, promiseId }, rule) => ({ customerId, promiseId, rule }),
  };
}

/**
 * ComplaintSlaBreached, dated at the deadline, for every step of an open complaint (in the
 * complaint-sla documents of `collection`) whose deadline under `policy` has passed at now.
 */
export function complaintSlaBreachRule(
  readStore: ReadStore,
  collection: string,
  policy: ComplaintSlaPolicy,
): DeadlineRule<Noticed<SlaBreachCandidate>, SkippedSlaBreach> {
  return {
    actor: DEADLINE_WATCHER_ACTOR,
    due: async (now) =>
      noticedAt(
        now,
        complaintSlaBreachesDue(await docsWithOpenItems<ComplaintSlaDoc>(readStore, collection), now, policy),
      ),
    decisionOf: ({ customerId, complaintId, sla, dueAt, noticedAt }) => ({
      command: { type: 'RecordComplaintSlaBreach', customerId, complaintId, sla, dueAt, occurredAt: dueAt, noticedAt },
      idempotencyKey: slaBreachIdempotencyKey(complaintId, sla, dueAt),
    }),
    skippedEntry: ({ customerId, complaintId, sla }, rule) => ({ customerId, complaintId, sla, rule }),
  };
}

const PAGE = 1000;

/** Every document of a read model's collection with something open (`counts.open > 0`), a page at a time. */
export async function docsWithOpenItems<T extends { id: string }>(
  readStore: ReadStore,
  collection: string,
): Promise<T[]> {
  const docs: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await readStore.find<T>(collection, {
      filter: { field: 'counts.open', gt: 0 },
      sort: [{ field: 'id', direction: 'asc' }],
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    docs.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return docs;
}
