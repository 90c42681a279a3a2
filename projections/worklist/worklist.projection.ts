import type {
  CustomerEventType,
  FollowUpAssignee,
  FollowUpOutcome,
  FollowUpPriority,
  FollowUpReason,
  FollowUpRule,
} from '@rapport/domain';
import { sealedField, type Projection, type ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';

export type FollowUpDocStatus = 'open' | 'completed' | 'dismissed';

export interface Reassignment {
  at: string;
  from: FollowUpAssignee;
  to: FollowUpAssignee;
  by: string;
  /** Sealed (personal data). */
  reason: string | null;
}

/** One follow-up: what the worklist shows and what the effect analysis reads. Keyed `<customerId>:<followUpId>`. */
export interface FollowUpDoc extends Doc {
  customerId: string;
  followUpId: string;
  rule: FollowUpRule;
  reasons: FollowUpReason[];
  priority: FollowUpPriority;
  dueAt: string;
  /** Flat, so the worklist query filters and sorts on an index. */
  agentId: string | null;
  team: string | null;
  status: FollowUpDocStatus;
  trigger: string | null;
  scheduledAt: string;
  scheduledRecordedAt: string;
  scheduledBy: string;
  closedAt: string | null;
  closedRecordedAt: string | null;
  closedBy: string | null;
  outcome: FollowUpOutcome | null;
  touchpointEventId: string | null;
  /** Sealed completion note or dismissal reason. */
  closingText: string | null;
  reassignments: Reassignment[];
}

export const WORKLIST_HANDLES: readonly CustomerEventType[] = [
  'FollowUpScheduled',
  'FollowUpCompleted',
  'FollowUpDismissed',
  'FollowUpReassigned',
];

export const followUpDocId = (customerId: string, followUpId: string): string => `${customerId}:${followUpId}`;

export function evolveWorklist(current: FollowUpDoc | null, event: ProjectedEvent): FollowUpDoc | null {
  const recordedAt = event.metadata.recordedAt;
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'FollowUpScheduled': {
      if (current) return current;
      const { customerId, followUpId, rule, reasons, priority, dueAt, assignee, trigger } = event.data;
      return {
        id: followUpDocId(customerId, followUpId),
        customerId,
        followUpId,
        rule,
        reasons,
        priority,
        dueAt,
        agentId: assignee.agentId ?? null,
        team: assignee.team ?? null,
        status: 'open',
        trigger: trigger ?? null,
        scheduledAt: at,
        scheduledRecordedAt: recordedAt,
        scheduledBy: event.metadata.actor.id,
        closedAt: null,
        closedRecordedAt: null,
        closedBy: null,
        outcome: null,
        touchpointEventId: null,
        closingText: null,
        reassignments: [],
      };
    }
    case 'FollowUpCompleted':
      if (!current || current.status !== 'open') return current;
      return {
        ...current,
        status: 'completed',
        closedAt: at,
        closedRecordedAt: recordedAt,
        closedBy: event.data.completedBy,
        outcome: event.data.outcome,
        touchpointEventId: event.data.touchpointEventId,
        closingText: sealedField(event, 'note'),
      };
    case 'FollowUpDismissed':
      if (!current || current.status !== 'open') return current;
      return {
        ...current,
        status: 'dismissed',
        closedAt: at,
        closedRecordedAt: recordedAt,
        closedBy: event.data.dismissedBy,
        closingText: sealedField(event, 'reason'),
      };
    case 'FollowUpReassigned':
      if (!current) return current;
      return {
        ...current,
        agentId: event.data.to.agentId ?? null,
        team: event.data.to.team ?? null,
        reassignments: [
          ...current.reassignments,
          {
            at,
            from: event.data.from,
            to: event.data.to,
            by: event.data.reassignedBy,
            reason: sealedField(event, 'reason'),
          },
        ],
      };
    default:
      return current;
  }
}

/** Events of other types never reach it; follow-up events name their follow-up. */
const keyOf = (event: ProjectedEvent): string =>
  followUpDocId(event.data.customerId, (event.data as { followUpId?: string }).followUpId ?? '');

export const worklistProjection: Projection<FollowUpDoc> = {
  name: 'worklist',
  version: 1,
  handles: WORKLIST_HANDLES,
  keyOf,
  // A follow-up belongs to one customer: a rebuild may fold customer by customer.
  documentsPerCustomer: true,
  indexes: [
    { fields: ['agentId', 'status', 'priority', 'dueAt'] },
    { fields: ['team', 'status', 'priority', 'dueAt'] },
    { fields: ['customerId', 'status'] },
    { fields: ['rule', 'status'] },
  ],
  evolve: evolveWorklist,
};
