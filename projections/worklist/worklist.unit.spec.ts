import { MemoryReadStore } from '@rapport/read-store';
import { givenProjection, fold, projected, purchased, registered } from '@rapport/testing';
import { DEFAULT_COMPLAINT_SLA_POLICY } from '../complaint-sla/complaint-sla-policy';
import { evolveComplaintSla, type ComplaintSlaDoc } from '../complaint-sla/complaint-sla.projection';
import { evolveCustomerHealth, type CustomerHealthDoc } from '../customer-health/customer-health.projection';
import {
  evolveSentimentTimeline,
  type SentimentTimelineDoc,
} from '../sentiment-timeline/sentiment-timeline.projection';
import { followUpEffect } from './follow-up-effect';
import { DEFAULT_WORKLIST_POLICY, worklistPolicy, WorklistPolicyError } from './worklist-policy';
import { priorityOf, worklistTriggers, type CustomerWorkInputs } from './worklist-triggers';
import { evolveWorklist, worklistProjection, type FollowUpDoc } from './worklist.projection';
import { urgencyOf, worklistOf } from './worklist.query';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { DAY_MS } from '@rapport/domain';

const C = 'c-wl';
const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * DAY_MS).toISOString();
const ms = (iso: string) => Date.parse(iso);
const reasons = [{ code: 'r', detail: 'd', eventIds: ['e1'] }];

const scheduled = (followUpId: string, at: string, extra: Record<string, unknown> = {}, customerId = C) =>
  projected('FollowUpScheduled', at, {
    customerId,
    followUpId,
    rule: 'revisit',
    reasons,
    dueAt: day(40),
    assignee: { agentId: 'agent-1', team: 'key-accounts' },
    priority: 'p2',
    ...extra,
  } as never);

function inputs(events: ProjectedEvent[], extra: Partial<CustomerWorkInputs> = {}): CustomerWorkInputs {
  return {
    customerId: C,
    tier: 'A',
    stage: 'maturity',
    stageSince: null,
    stageReason: null,
    health: fold(evolveCustomerHealth, events) as CustomerHealthDoc,
    sentiment: fold(evolveSentimentTimeline, events) as SentimentTimelineDoc | null,
    complaints: fold(evolveComplaintSla, events) as ComplaintSlaDoc | null,
    ...extra,
  };
}
const triggers = (i: CustomerWorkInputs, now: string) =>
  worklistTriggers(i, ms(now), DEFAULT_WORKLIST_POLICY, DEFAULT_COMPLAINT_SLA_POLICY);

describe('worklist read model', () => {
  it('given a follow-up scheduled, reassigned and completed, then its document follows each step', () => {
    const s = scheduled('f1', day(30));
    const r = projected('FollowUpReassigned', day(31), {
      customerId: C,
      followUpId: 'f1',
      from: { agentId: 'agent-1', team: 'key-accounts' },
      to: { team: 'retention' },
      reassignedBy: 'lead',
    });
    const c = projected('FollowUpCompleted', day(32), {
      customerId: C,
      followUpId: 'f1',
      outcome: 'contacted',
      touchpointEventId: 'ev-call',
      completedBy: 'agent-2',
    });
    expect(worklistProjection.keyOf!(s)).toBe(`${C}:f1`);
    // Another follow-up of the same customer is another document: it does not feed f1's.
    const other = scheduled('f2', day(30));
    const spec = givenProjection(worklistProjection, { version: 1 });
    const doc = spec
      .given([s, other, r])
      .when(c)
      .thenMatches({
        id: `${C}:f1`,
        status: 'completed',
        agentId: null,
        team: 'retention',
        outcome: 'contacted',
        touchpointEventId: 'ev-call',
        closedAt: day(32),
        closedBy: 'agent-2',
      });
    expect(doc.reassignments).toHaveLength(1);
    // A dismissal after completion (never accepted by the decider) changes nothing.
    const d = projected('FollowUpDismissed', day(33), {
      customerId: C,
      followUpId: 'f1',
      dismissedBy: 'x',
      reason: 'y',
    });
    spec.given([s, other, r, c]).when(d).thenNothing();
  });

  it("answers an agent's open follow-ups by priority, then due date, with their urgency", async () => {
    const store = new MemoryReadStore();
    await store.ensureCollection({ name: 'worklist', indexes: worklistProjection.indexes });
    const docs = [
      fold(evolveWorklist, [scheduled('late-p2', day(1), { dueAt: day(5), priority: 'p2' })])!,
      fold(evolveWorklist, [scheduled('soon-p1', day(1), { dueAt: day(10), priority: 'p1' })])!,
      fold(evolveWorklist, [scheduled('far-p2', day(1), { dueAt: day(30), priority: 'p2' })])!,
      fold(evolveWorklist, [scheduled('other-agent', day(1), { assignee: { agentId: 'agent-2' } })])!,
    ];
    await store.commit(
      docs.map((doc, i) => ({ kind: 'upsert' as const, collection: 'worklist', doc, position: i + 1 })),
    );
    const page = await worklistOf({ store, collection: 'worklist' }, { agent: 'agent-1', now: day(9.5) });
    expect(page.items.map((i) => [i.followUpId, i.urgency])).toEqual([
      ['soon-p1', 'due'],
      ['late-p2', 'overdue'],
      ['far-p2', 'upcoming'],
    ]);
    const team = await worklistOf(
      { store, collection: 'worklist' },
      { team: 'key-accounts', now: day(9.5), dueWithinDays: 1 },
    );
    expect(team.items.map((i) => i.followUpId)).toEqual(['soon-p1', 'late-p2']);
    expect(urgencyOf(day(2), ms(day(3)))).toBe('overdue');
  });
});

describe('worklist triggers', () => {
  it('given a tier A customer not contacted for 30 days, then a revisit falls due, dated when it fell due', () => {
    const reg = registered(C, day(0));
    const call = projected('CallLogged', day(5), {
      customerId: C,
      callId: 'c1',
      direction: 'outbound',
      durationSeconds: 60,
      agentId: 'agent-7',
      topic: 't',
      outcome: 'resolved',
    });
    const found = triggers(inputs([reg, call]), day(40));
    expect(found).toEqual([
      {
        customerId: C,
        rule: 'revisit',
        trigger: `revisit:${C}:${day(35)}`,
        occurredAt: day(35),
        dueAt: day(42),
        priority: 'p2',
        assignee: { agentId: 'agent-7', team: 'key-accounts' },
        reasons: [expect.objectContaining({ code: 'revisit.due', eventIds: [call.metadata.eventId] })],
      },
    ]);
    // Same inputs, later clock: the same trigger key (a rerun records nothing new).
    expect(triggers(inputs([reg, call]), day(41))[0]!.trigger).toBe(found[0]!.trigger);
    // Tier C has no revisits by default; not yet due before day 35.
    expect(triggers(inputs([reg, call], { tier: 'C' }), day(40))).toEqual([]);
    expect(triggers(inputs([reg, call]), day(34))).toEqual([]);
  });

  it('finds promises due soon, complaint SLAs at risk, detractors and high-value decline', () => {
    const events = [
      registered(C, day(0)),
      purchased(C, day(1), 100),
      projected('PromiseMade', day(2), {
        customerId: C,
        promiseId: 'p1',
        description: 'x',
        dueAt: day(3.5),
        madeBy: 'a',
        withinPolicy: true,
      }),
      projected('ComplaintFiled', day(2.95), {
        customerId: C,
        complaintId: 'k1',
        category: 'c',
        severity: 'critical',
        description: 'd',
      }),
      projected('SurveyResponded', day(2.96), { customerId: C, surveyId: 's1', kind: 'nps', score: 2 }),
    ];
    const found = triggers(inputs(events, { stage: 'decline', stageSince: day(2.5), stageReason: 'slowing' }), day(3));
    const byRule = Object.fromEntries(found.map((t) => [t.rule, t]));
    expect(Object.keys(byRule).sort()).toEqual([
      'complaint_sla_at_risk',
      'detractor_survey',
      'high_value_decline',
      'promise_due_soon',
    ]);
    expect(byRule['promise_due_soon']).toMatchObject({ occurredAt: day(2), dueAt: day(3.5), priority: 'p1' });
    // critical: acknowledge within 2 h of filing; at risk 4 h before, i.e. from filing on.
    expect(byRule['complaint_sla_at_risk']).toMatchObject({ priority: 'p1', assignee: { team: 'complaints' } });
    expect(byRule['detractor_survey']!.reasons[0]!.eventIds).toEqual([events[4]!.metadata.eventId]);
    expect(byRule['high_value_decline']).toMatchObject({
      occurredAt: day(2.5),
      trigger: `high_value_decline:${C}:${day(2.5)}`,
    });
  });

  it('given a complaint waiting for the customer, then no SLA follow-up while paused, and one for the reply owed after the answer', () => {
    const hour = (h: number) => new Date(ms(day(3)) + h * 3_600_000).toISOString();
    const filed = projected('ComplaintFiled', hour(0), {
      customerId: C,
      complaintId: 'k2',
      category: 'c',
      severity: 'critical',
      description: 'd',
    });
    // Asking the customer is the first response; the resolution clock (8 h) stops while they are asked.
    const asked = projected('ComplaintAwaitingCustomer', hour(1), { customerId: C, complaintId: 'k2', by: 'a1' });
    const answered = projected('ComplaintCustomerResponded', hour(6), { customerId: C, complaintId: 'k2' });
    const atRisk = (events: ProjectedEvent[], now: string) =>
      triggers(inputs([registered(C, day(0)), ...events]), now).filter((t) => t.rule === 'complaint_sla_at_risk');

    expect(atRisk([filed], hour(0.5)).map((t) => t.trigger)).toEqual([
      `complaint_sla_at_risk:${C}:k2:acknowledgement:${hour(2)}`,
    ]);
    expect(atRisk([filed, asked], hour(5))).toEqual([]);
    const owed = atRisk([filed, asked, answered], hour(6.5));
    expect(owed).toHaveLength(1);
    expect(owed[0]!.trigger).toMatch(new RegExp(`^complaint_sla_at_risk:${C}:k2:nextReply:`));
    expect(owed[0]!.occurredAt).toBe(hour(6));
  });

  it('given a sentiment drop, then a follow-up dated at the first moment of the drop, naming its moments', () => {
    const events = [
      registered(C, day(0)),
      ...[10, 9, 10, 9, 10, 6, 7, 6, 7].map((score, i) =>
        projected('SurveyResponded', day(1 + i), {
          customerId: C,
          surveyId: `s${i}`,
          kind: 'csat' as never,
          score: Math.round(score / 2),
        }),
      ),
    ];
    const found = triggers(inputs(events, { tier: 'B' }), day(20)).filter((t) => t.rule === 'sentiment_drop');
    expect(found).toHaveLength(1);
    const again = triggers(inputs(events, { tier: 'B' }), day(21)).filter((t) => t.rule === 'sentiment_drop');
    expect(again[0]!.trigger).toBe(found[0]!.trigger);
    expect(found[0]!.reasons[0]!.eventIds.length).toBeGreaterThan(0);
  });

  it('gives no triggers for an erased customer', () => {
    const events = [registered(C, day(0)), projected('CustomerErased', day(1), { customerId: C, reason: 'asked' })];
    expect(triggers(inputs(events), day(100))).toEqual([]);
  });

  it('prioritises by rule, tier and urgency', () => {
    expect(priorityOf('revisit', 'A', ms(day(10)), ms(day(1)))).toBe('p2');
    expect(priorityOf('revisit', 'C', ms(day(10)), ms(day(1)))).toBe('p4');
    expect(priorityOf('complaint_sla_at_risk', 'A', ms(day(1)), ms(day(1)))).toBe('p1');
    expect(priorityOf('sentiment_drop', 'B', ms(day(1.5)), ms(day(1)))).toBe('p2');
  });

  it('validates the policy naming the field', () => {
    expect(() => worklistPolicy({ revisitDays: { A: -1, B: 90, C: 0 } })).toThrow(WorklistPolicyError);
    expect(() => worklistPolicy({ revisitDays: { A: -1, B: 90, C: 0 } })).toThrow('revisitDays.A');
    expect(worklistPolicy({ revisitDays: { A: 7, B: 30, C: 90 } }).revisitDays.C).toBe(90);
  });
});

describe('follow-up effect', () => {
  it('compares the health of customers followed up with those not, before and after', () => {
    // Two customers, both flagged on day 100 after going quiet; one is called back and buys again.
    const mk = (id: string, buysAgain: boolean) => {
      const events = [registered(id, day(0)), ...[0, 30, 60, 90].map((d) => purchased(id, day(d), 100))];
      if (buysAgain) events.push(purchased(id, day(105), 100));
      return fold(evolveCustomerHealth, events) as CustomerHealthDoc;
    };
    const health: Record<string, CustomerHealthDoc> = { a: mk('a', true), b: mk('b', false) };
    const followUps: FollowUpDoc[] = [
      { ...fold(evolveWorklist, [scheduled('f', day(100), {}, 'a')])!, status: 'completed', closedAt: day(104) },
      { ...fold(evolveWorklist, [scheduled('f', day(100), {}, 'b')])!, status: 'dismissed', closedAt: day(101) },
      // Its horizon has not passed yet: left out.
      fold(evolveWorklist, [scheduled('g', day(125), {}, 'b')])!,
    ];
    const [revisit] = followUpEffect(followUps, (id) => ({ health: health[id]! }), ms(day(140)), 30);
    expect(revisit!.rule).toBe('revisit');
    expect(revisit!.followedUp.count).toBe(1);
    expect(revisit!.notFollowedUp.count).toBe(1);
    expect(revisit!.followedUp.after).toBeGreaterThan(revisit!.notFollowedUp.after!);
    expect(revisit!.effect).toBeGreaterThan(0);
    expect(revisit!.weekly).toHaveLength(6);
    expect(revisit!.weekly[0]).toEqual({
      week: 0,
      followedUp: revisit!.followedUp.before,
      notFollowedUp: revisit!.notFollowedUp.before,
    });
  });
});
