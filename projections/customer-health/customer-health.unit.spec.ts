import { fold, projected, purchased, registered } from '@rapport/testing';
import { evolveSentimentTimeline } from '../sentiment-timeline/sentiment-timeline.projection';
import type { SentimentTimelineDoc } from '../sentiment-timeline/sentiment-timeline.projection';
import { customerHealthAt, bandOf } from './customer-health-at';
import { evolveCustomerHealth, type CustomerHealthDoc } from './customer-health.projection';
import { bandChangeAt } from './health-band-change';
import { DEFAULT_HEALTH_CONFIG, healthConfig, HealthConfigError, parseNumberPairs } from './health-config';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { DAY_MS } from '@rapport/domain';

const C = 'c-health';
const ms = (iso: string) => Date.parse(iso);
const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * DAY_MS).toISOString();

const healthOf = (events: ProjectedEvent[]) => fold(evolveCustomerHealth, events) as CustomerHealthDoc;
const sentimentOf = (events: ProjectedEvent[]) => fold(evolveSentimentTimeline, events) as SentimentTimelineDoc | null;

/** A regular buyer: a purchase every 30 days from day 0 to day 150. */
const regular = () => [registered(C, day(0)), ...[0, 30, 60, 90, 120, 150].map((d) => purchased(C, day(d), 100))];

describe('customer health', () => {
  it('given a regular buyer, when asked a week after the last purchase, then the score is 100 and healthy', () => {
    const health = customerHealthAt({ health: healthOf(regular()) }, ms(day(157)));
    expect(health).toMatchObject({ score: 100, band: 'healthy', reasons: [] });
  });

  it('given a regular buyer gone quiet, when asked 90 days on (3× its interval), then recency takes the full weight, naming the last purchase', () => {
    const events = regular();
    const health = customerHealthAt({ health: healthOf(events) }, ms(day(240)))!;
    const recency = health.reasons.find((r) => r.signal === 'recency')!;
    expect(recency.points).toBe(-DEFAULT_HEALTH_CONFIG.weights.recency);
    expect(recency.eventIds).toEqual([events[6]!.metadata.eventId]);
    // and the value trend: nothing in the last 90 days against 100 the 90 before
    expect(health.reasons.find((r) => r.signal === 'valueTrend')?.points).toBe(-10);
    expect(health.score).toBe(65);
    expect(health.band).toBe('watch');
  });

  it('given broken and overdue promises, open and breached complaints, and a detractor answer, then each is a reason naming its events', () => {
    const bought = regular();
    const made = projected('PromiseMade', day(151), {
      customerId: C,
      promiseId: 'p1',
      description: 'x',
      dueAt: day(153),
      madeBy: 'a',
      withinPolicy: true,
    });
    const broken = projected('PromiseBroken', day(154), { customerId: C, promiseId: 'p1' });
    const made2 = projected('PromiseMade', day(151), {
      customerId: C,
      promiseId: 'p2',
      description: 'x',
      dueAt: day(152),
      madeBy: 'a',
      withinPolicy: true,
    });
    const filed = projected('ComplaintFiled', day(151), {
      customerId: C,
      complaintId: 'k1',
      category: 'delivery',
      severity: 'high',
      description: 'late',
    });
    const breach = projected('ComplaintSlaBreached', day(152), {
      customerId: C,
      complaintId: 'k1',
      sla: 'acknowledgement',
      dueAt: day(152),
    });
    const survey = projected('SurveyResponded', day(155), { customerId: C, surveyId: 's1', kind: 'nps', score: 3 });
    const events = [...bought, made, broken, made2, filed, breach, survey];
    const health = customerHealthAt({ health: healthOf(events) }, ms(day(156)))!;
    const by = Object.fromEntries(health.reasons.map((r) => [r.signal, r]));
    expect(by['promises']).toMatchObject({
      points: -14,
      eventIds: [made.metadata.eventId, broken.metadata.eventId, made2.metadata.eventId],
    });
    expect(by['complaints']).toMatchObject({
      points: -13,
      eventIds: [filed.metadata.eventId, breach.metadata.eventId],
    });
    expect(by['nps']).toMatchObject({ points: -12, eventIds: [survey.metadata.eventId] });
    expect(health.score).toBe(61);
  });

  it('never looks ahead: as of a time, later facts (and, known at a time, later-recorded facts) do not count', () => {
    const events = regular();
    const late = projected('SurveyResponded', day(100), { customerId: C, surveyId: 's1', kind: 'nps', score: 0 });
    late.metadata.recordedAt = day(200);
    const doc = healthOf([...events, late]);
    expect(customerHealthAt({ health: doc }, ms(day(101)), ms(day(150)))!.reasons).toEqual([]);
    expect(customerHealthAt({ health: doc }, ms(day(101)))!.reasons.map((r) => r.signal)).toEqual(['nps']);
    expect(customerHealthAt({ health: doc }, ms(day(-1)))).toBeNull();
    // the same answer as a document folded from only what had occurred by then
    expect(customerHealthAt({ health: healthOf(events.slice(0, 4)) }, ms(day(61)))).toEqual(
      customerHealthAt({ health: doc }, ms(day(61))),
    );
  });

  it('takes P(alive) from the scoring run and names it; negative sentiment end and drops name their moments', () => {
    const events = regular();
    const health = customerHealthAt(
      { health: healthOf(events), population: { run: 'run-7', probabilityAlive: 0.25 } },
      ms(day(151)),
    )!;
    expect(health.reasons).toEqual([
      {
        signal: 'probabilityAlive',
        points: -15,
        detail: 'P(alive) 0.25 in scoring run run-7',
        eventIds: [events[6]!.metadata.eventId],
        run: 'run-7',
      },
    ]);
    const surveys = [10, 10, 10, 10, 10, 0, 0, 0, 0, 0].map((score, i) =>
      projected('SurveyResponded', day(151 + i), { customerId: C, surveyId: `s${i}`, kind: 'nps', score }),
    );
    const all = [...events, ...surveys];
    const withSentiment = customerHealthAt({ health: healthOf(all), sentiment: sentimentOf(all) }, ms(day(161)))!;
    const end = withSentiment.reasons.find((r) => r.signal === 'sentimentEnd')!;
    expect(end).toMatchObject({ points: -10, eventIds: [surveys[9]!.metadata.eventId] });
    expect(withSentiment.reasons.find((r) => r.signal === 'sentimentDrop')?.eventIds).toContain(
      surveys[9]!.metadata.eventId,
    );
  });

  it('treats an erased customer as having no health', () => {
    const bought = regular();
    const erased = projected('CustomerErased', day(10), { customerId: C, reason: 'asked' });
    expect(customerHealthAt({ health: healthOf([...bought, erased]) }, ms(day(11)))).toBeNull();
  });

  it('ignores an event folded twice (replay)', () => {
    const events = regular();
    const doc = healthOf(events);
    expect(evolveCustomerHealth(doc, events[3]!)).toBe(doc);
  });
});

describe('health configuration', () => {
  it('bands by the configured thresholds', () => {
    expect([bandOf(70), bandOf(69.9), bandOf(40), bandOf(39.9)]).toEqual(['healthy', 'watch', 'watch', 'at_risk']);
    expect(bandOf(50, healthConfig({ healthyFrom: 50, watchFrom: 20 }))).toBe('healthy');
  });

  it.each([
    [{ weights: { recency: -1 } }, 'weights.recency'],
    [{ weights: { bogus: 3 } as never }, 'weights.bogus'],
    [{ healthyFrom: 30, watchFrom: 40 }, 'watchFrom (40) must be below healthyFrom (30)'],
    [{ lookbackDays: 0 }, 'lookbackDays'],
  ])('refuses %j naming the field', (override, field) => {
    expect(() => healthConfig(override)).toThrow(HealthConfigError);
    expect(() => healthConfig(override)).toThrow(field);
  });

  it('parses key:number pairs and names a bad one', () => {
    expect(parseNumberPairs('HEALTH_WEIGHTS', 'recency: 30, npsPromoter:0')).toEqual({ recency: 30, npsPromoter: 0 });
    expect(() => parseNumberPairs('HEALTH_WEIGHTS', 'recency=3')).toThrow(
      'HEALTH_WEIGHTS: "recency=3" is not key:number',
    );
  });

  it('weights change the score: recency weighted 50 takes 50', () => {
    const health = customerHealthAt(
      { health: healthOf(regular()) },
      ms(day(300)),
      undefined,
      healthConfig({ weights: { recency: 50, valueTrend: 0 } }),
    )!;
    expect(health.score).toBe(50);
  });
});

describe('health band changes', () => {
  it('given a healthy buyer going quiet, then the change to watch is dated when recency crossed the threshold, not when noticed', () => {
    const doc = healthOf(regular());
    const change = bandChangeAt({ health: doc }, { band: 'healthy', atMs: ms(day(0)) }, ms(day(300)))!;
    expect(change.to).toBe('watch');
    expect(change.from).toBe('healthy');
    // Not later than now, after the last purchase, in the band it changed to.
    expect(change.changedAtMs).toBeGreaterThan(ms(day(150)));
    expect(change.changedAtMs).toBeLessThan(ms(day(300)));
    expect(customerHealthAt({ health: doc }, change.changedAtMs)!.band).toBe('watch');
    expect(customerHealthAt({ health: doc }, change.changedAtMs - 60_000)!.band).toBe('healthy');
  });

  it('given a band moved by an event, then the change is dated at that event', () => {
    const events = regular();
    const filed = ['k1', 'k2', 'k3', 'k4'].map((complaintId) =>
      projected('ComplaintFiled', day(152), {
        customerId: C,
        complaintId,
        category: 'x',
        severity: 'high',
        description: 'y',
      }),
    );
    const breaches = ['k1', 'k2'].map((complaintId) =>
      projected('ComplaintSlaBreached', day(153), {
        customerId: C,
        complaintId,
        sla: 'acknowledgement',
        dueAt: day(153),
      }),
    );
    const survey = projected('SurveyResponded', day(154), { customerId: C, surveyId: 's', kind: 'nps', score: 1 });
    const doc = healthOf([...events, ...filed, ...breaches, survey]);
    const change = bandChangeAt({ health: doc }, { band: 'healthy', atMs: ms(day(0)) }, ms(day(155)))!;
    // Complaints alone stay within their cap (healthy); the detractor answer on day 154 tips it.
    expect(change).toMatchObject({ from: 'healthy', to: 'watch', changedAtMs: ms(day(154)) });
  });

  it('records nothing when the band is the one last recorded', () => {
    expect(
      bandChangeAt({ health: healthOf(regular()) }, { band: 'healthy', atMs: ms(day(1)) }, ms(day(155))),
    ).toBeNull();
  });
});
