import type { FollowUpReason } from '@rapport/domain';
import { given, type GivenEvent } from '@rapport/testing';
import { command, CUSTOMER, event, registered, T0, T1, T2, T3 } from './fixtures';

const CALL_EVENT_ID = 'e0000000-0000-4000-8000-00000000ca11';
const EARLY_CALL_EVENT_ID = 'e0000000-0000-4000-8000-0000000ea71y';
const REFUND_EVENT_ID = 'e0000000-0000-4000-8000-000000000ref';
const reasons: FollowUpReason[] = [{ code: 'revisit.due', detail: 'tier A: monthly revisit', eventIds: ['ev-1'] }];
const assignee = { agentId: 'agent-1', team: 'key-accounts' };

const scheduled = (followUpId = 'f-1', rule = 'revisit' as const, when = T1): GivenEvent =>
  event(when, {
    type: 'FollowUpScheduled',
    data: { customerId: CUSTOMER, followUpId, rule, reasons, dueAt: T2, assignee, priority: 'p2' },
  });
const callAt = (when: string, eventId: string, callId = 'call-1'): GivenEvent => ({
  ...event(when, {
    type: 'CallLogged',
    data: {
      customerId: CUSTOMER,
      callId,
      direction: 'outbound',
      durationSeconds: 120,
      agentId: 'agent-1',
      topic: 'revisit',
      outcome: 'resolved',
    },
  }),
  metadata: { occurredAt: when, eventId },
});
const refunded: GivenEvent = {
  ...event(T2, {
    type: 'PurchaseRefunded',
    data: { customerId: CUSTOMER, orderId: 'o-1', refundId: 'r-1', amount: 1, currency: 'CNY' },
  }),
  metadata: { occurredAt: T2, eventId: REFUND_EVENT_ID },
};
const completed = event(T2, {
  type: 'FollowUpCompleted',
  data: {
    customerId: CUSTOMER,
    followUpId: 'f-1',
    outcome: 'contacted',
    touchpointEventId: CALL_EVENT_ID,
    completedBy: 'agent-1',
  },
});
const dismissed = event(T2, {
  type: 'FollowUpDismissed',
  data: { customerId: CUSTOMER, followUpId: 'f-1', dismissedBy: 'agent-1', reason: 'customer moved abroad' },
});

const schedule = (fields: Record<string, unknown> = {}) =>
  command('ScheduleFollowUp', {
    followUpId: 'f-2',
    rule: 'revisit',
    reasons,
    dueAt: T3,
    assignee,
    priority: 'p1',
    trigger: 'revisit:2024-01',
    ...fields,
  } as never);
const complete = (fields: Record<string, unknown> = {}) =>
  command('CompleteFollowUp', {
    occurredAt: T2,
    followUpId: 'f-1',
    outcome: 'contacted',
    touchpointEventId: CALL_EVENT_ID,
    completedBy: 'agent-1',
    ...fields,
  } as never);
const dismiss = command('DismissFollowUp', {
  occurredAt: T2,
  followUpId: 'f-1',
  dismissedBy: 'agent-1',
  reason: 'customer moved abroad',
});
const reassign = (to: Record<string, string>) =>
  command('ReassignFollowUp', { occurredAt: T2, followUpId: 'f-1', to, reassignedBy: 'lead-1' });

describe('scheduling follow-ups', () => {
  it('given a registered customer, when a follow-up is scheduled, then it is recorded with its reasons', () => {
    given([registered])
      .when(schedule())
      .then([
        {
          type: 'FollowUpScheduled',
          data: {
            customerId: CUSTOMER,
            followUpId: 'f-2',
            rule: 'revisit',
            reasons,
            dueAt: T3,
            assignee,
            priority: 'p1',
            trigger: 'revisit:2024-01',
          },
        },
      ]);
  });

  it('given an open follow-up for a rule, when another is scheduled for the same rule, then it is refused', () => {
    given([registered, scheduled()])
      .when(schedule())
      .thenThrows('followUp.rule_already_open', { kind: 'conflict', field: 'rule' });
  });

  it('given an open follow-up for one rule, when one for another rule is scheduled, then it is recorded', () => {
    given([registered, scheduled()])
      .when(schedule({ rule: 'sentiment_drop', trigger: undefined }))
      .then([
        {
          type: 'FollowUpScheduled',
          data: {
            customerId: CUSTOMER,
            followUpId: 'f-2',
            rule: 'sentiment_drop',
            reasons,
            dueAt: T3,
            assignee,
            priority: 'p1',
          },
        },
      ]);
  });

  it('given a completed or dismissed follow-up, when the same rule is scheduled again, then it is recorded', () => {
    for (const closed of [completed, dismissed]) {
      const events = given([registered, callAt(T2, CALL_EVENT_ID), scheduled(), closed]).when(schedule());
      events.then([expect.objectContaining({ type: 'FollowUpScheduled' }) as never]);
    }
  });

  it('refuses a reused follow-up id, even for another rule', () => {
    given([registered, scheduled('f-2')])
      .when(schedule({ rule: 'manual' }))
      .thenThrows('followUp.duplicate_id', { kind: 'conflict', field: 'followUpId' });
  });

  it('refuses a follow-up due before it is scheduled', () => {
    given([registered])
      .when(schedule({ occurredAt: T2, dueAt: T1 }))
      .thenThrows('followUp.due_before_scheduled', { kind: 'invalid', field: 'dueAt' });
  });

  it.each([
    [{ rule: 'whenever' }, 'value.invalid_enum', 'rule'],
    [{ reasons: [] }, 'followUp.no_reasons', 'reasons'],
    [{ reasons: [{ code: 'x', detail: 'y', eventIds: [''] }] }, 'value.required', 'reasons[0].eventIds[0]'],
    [{ assignee: {} }, 'followUp.no_assignee', 'assignee'],
    [{ priority: 'urgent' }, 'value.invalid_enum', 'priority'],
    [{ dueAt: 'tomorrow' }, 'value.invalid_time', 'dueAt'],
  ])('refuses bad values %j', (fields, rule, field) => {
    given([registered])
      .when(schedule(fields))
      .thenThrows(rule as never, { kind: 'invalid', field });
  });

  it('refuses a follow-up for an unknown customer', () => {
    given([]).when(schedule()).thenThrows('customer.unknown', { kind: 'not_found' });
  });
});

describe('completing follow-ups', () => {
  it('given an open follow-up and a call logged after it, when completed with that call, then it links the call', () => {
    given([registered, scheduled(), callAt(T2, CALL_EVENT_ID)])
      .when(complete({ note: 'happy with the service' }))
      .then([
        {
          type: 'FollowUpCompleted',
          data: {
            customerId: CUSTOMER,
            followUpId: 'f-1',
            outcome: 'contacted',
            touchpointEventId: CALL_EVENT_ID,
            completedBy: 'agent-1',
            note: 'happy with the service',
          },
        },
      ]);
  });

  it('refuses a touchpoint event id that is not in the stream', () => {
    given([registered, scheduled()])
      .when(complete())
      .thenThrows('touchpoint.unknown', { kind: 'not_found', field: 'touchpointEventId' });
  });

  it('refuses an event of the stream that is no touchpoint (a refund)', () => {
    given([registered, scheduled(), refunded])
      .when(complete({ touchpointEventId: REFUND_EVENT_ID }))
      .thenThrows('touchpoint.unknown', { kind: 'not_found' });
  });

  it('refuses a touchpoint that occurred before the follow-up was scheduled', () => {
    given([registered, callAt(T0, EARLY_CALL_EVENT_ID, 'call-0'), scheduled()])
      .when(complete({ touchpointEventId: EARLY_CALL_EVENT_ID }))
      .thenThrows('followUp.touchpoint_before_scheduled', { kind: 'invalid', field: 'touchpointEventId' });
  });

  it('given a dismissed follow-up, when completed, then it is refused', () => {
    given([registered, scheduled(), callAt(T2, CALL_EVENT_ID), dismissed])
      .when(complete())
      .thenThrows('followUp.not_open', { kind: 'conflict' });
  });

  it('given a completed follow-up, when completed again, then it is refused', () => {
    given([registered, scheduled(), callAt(T2, CALL_EVENT_ID), completed])
      .when(complete())
      .thenThrows('followUp.not_open', { kind: 'conflict' });
  });

  it('refuses an unknown follow-up and one completed before it was scheduled', () => {
    given([registered, callAt(T2, CALL_EVENT_ID)])
      .when(complete())
      .thenThrows('followUp.unknown', { kind: 'not_found', field: 'followUpId' });
    given([registered, scheduled('f-1', 'revisit', T2), callAt(T2, CALL_EVENT_ID)])
      .when(complete({ occurredAt: T1 }))
      .thenThrows('followUp.action_before_scheduled', { kind: 'invalid', field: 'occurredAt' });
  });

  it('refuses an unknown outcome', () => {
    given([registered, scheduled(), callAt(T2, CALL_EVENT_ID)])
      .when(complete({ outcome: 'maybe' }))
      .thenThrows('value.invalid_enum', { kind: 'invalid', field: 'outcome' });
  });
});

describe('dismissing and reassigning follow-ups', () => {
  it('given an open follow-up, when dismissed with a reason, then the dismissal is recorded', () => {
    given([registered, scheduled()])
      .when(dismiss)
      .then([
        {
          type: 'FollowUpDismissed',
          data: { customerId: CUSTOMER, followUpId: 'f-1', dismissedBy: 'agent-1', reason: 'customer moved abroad' },
        },
      ]);
  });

  it('refuses a second dismissal', () => {
    given([registered, scheduled(), dismissed]).when(dismiss).thenThrows('followUp.not_open', { kind: 'conflict' });
  });

  it('given an open follow-up, when reassigned to another agent, then from and to are recorded', () => {
    given([registered, scheduled()])
      .when(reassign({ agentId: 'agent-2', team: 'key-accounts' }))
      .then([
        {
          type: 'FollowUpReassigned',
          data: {
            customerId: CUSTOMER,
            followUpId: 'f-1',
            from: assignee,
            to: { agentId: 'agent-2', team: 'key-accounts' },
            reassignedBy: 'lead-1',
          },
        },
      ]);
  });

  it('given a reassigned follow-up, when reassigned back to the first agent, then it is recorded (the state follows)', () => {
    const moved = event(T2, {
      type: 'FollowUpReassigned',
      data: { customerId: CUSTOMER, followUpId: 'f-1', from: assignee, to: { team: 'retention' }, reassignedBy: 'l' },
    });
    given([registered, scheduled(), moved])
      .when(reassign({ team: 'retention' }))
      .thenThrows('followUp.same_assignee', { kind: 'invalid', field: 'to' });
    given([registered, scheduled(), moved])
      .when(reassign(assignee))
      .then([expect.objectContaining({ type: 'FollowUpReassigned' }) as never]);
  });

  it('refuses reassigning a closed follow-up or to nobody', () => {
    given([registered, scheduled(), dismissed])
      .when(reassign({ agentId: 'agent-2' }))
      .thenThrows('followUp.not_open', { kind: 'conflict' });
    given([registered, scheduled()]).when(reassign({})).thenThrows('followUp.no_assignee', { field: 'to' });
  });
});

describe('health band changes', () => {
  const change = (fields: Record<string, unknown> = {}) =>
    command('RecordHealthBandChange', {
      occurredAt: T2,
      to: 'at_risk',
      score: 31.5,
      reasons: [{ code: 'recency', detail: '90 days since the last purchase', eventIds: ['ev-9'] }],
      noticedAt: T3,
      ...fields,
    } as never);
  const bandChanged = event(T1, {
    type: 'CustomerHealthBandChanged',
    data: { customerId: CUSTOMER, from: null, to: 'watch', score: 55, reasons: [] },
  });

  it('given a first band, when the band changes, then the change names the band it left', () => {
    given([registered, bandChanged])
      .when(change())
      .then([
        {
          type: 'CustomerHealthBandChanged',
          data: {
            customerId: CUSTOMER,
            from: 'watch',
            to: 'at_risk',
            score: 31.5,
            reasons: [{ code: 'recency', detail: '90 days since the last purchase', eventIds: ['ev-9'] }],
          },
        },
      ]);
  });

  it('refuses a change to the current band, a change dated before the last one, and one noticed before it occurred', () => {
    given([registered, bandChanged])
      .when(change({ to: 'watch' }))
      .thenThrows('health.band_unchanged', { kind: 'conflict' });
    given([registered, bandChanged])
      .when(change({ occurredAt: T1 }))
      .thenThrows('health.change_out_of_order', { kind: 'invalid', field: 'occurredAt' });
    given([registered])
      .when(change({ noticedAt: T1 }))
      .thenThrows('health.change_out_of_order', { kind: 'invalid' });
  });

  it('refuses a score outside 0..100', () => {
    given([registered])
      .when(change({ score: 101 }))
      .thenThrows('health.score_out_of_range', { field: 'score' });
  });
});
