import fc from 'fast-check';
import { probabilityAliveUnder } from '@rapport/clv';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { customerValueAsOf, type AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import {
  customerValueProjection,
  foldCustomerValue,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import { epochDay } from '@rapport/projections/customer-value/purchase-history';
import type { LifecycleStage } from '@rapport/projections/customer-vocabulary';
import type { LifecycleHistory, StageTransition } from '@rapport/projections/lifecycle-facts/lifecycle-history';
import { lifecycleStage, type StageDecision } from './lifecycle-rules';
import { scoringConfig, type ScoringConfig } from './scoring-config';
import { stageHistory, type StageModel, type StageModelAt, type StageModelSummary } from './stage-history';
import { purchased, refunded, registered, customerHistory, handledBy } from '@rapport/testing';
import { valueTrend } from './value-trend';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.UTC(2024, 0, 1); // projected-history's (@rapport/testing) first hour

const docOf = (events: ProjectedEvent[]): CustomerValueDoc => foldCustomerValue(null, events) as CustomerValueDoc;
const asOf = (iso: string, knownAt?: string): AsOf =>
  knownAt === undefined ? { asOfMs: Date.parse(iso) } : { asOfMs: Date.parse(iso), knownAtMs: Date.parse(knownAt) };
const stages = (h: LifecycleHistory | null): Array<[string, LifecycleStage]> =>
  (h?.transitions ?? []).map((t) => [t.at, t.to]);

/** BG/NBD P(alive) (Fader, Hardie & Lee 2005): falls as T grows with frequency and recency fixed. */
const bgNbd =
  (r: number, alpha: number, a: number, b: number): StageModel =>
  ({ frequency: x, recency: tx, T }: StageModelSummary) =>
    x === 0 ? 1 : 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x));

/** Models every 90 days from BASE + 90 days on, each with other parameters; none before the first. */
function calendar(
  seed: number,
  model: (r: number, alpha: number, a: number, b: number) => StageModel = bgNbd,
): { modelAt: StageModelAt; changes: number[] } {
  // Half of the calendars change models at midnight, as quarter starts do, half at another hour.
  const changes = Array.from({ length: 9 }, (_, k) => BASE + (k + 1) * 90 * DAY + (seed % 2 ? seed % 24 : 0) * HOUR);
  // Steep enough that P(alive) crosses both thresholds, often before the lapse rules do.
  const models = changes.map((_, k) =>
    model(
      0.2 + ((seed + k) % 5) * 0.2,
      5 + ((seed * 7 + k) % 4) * 8,
      0.5 + ((seed + 3 * k) % 6) * 0.3,
      0.5 + (k % 3) * 0.5,
    ),
  );
  return {
    changes,
    modelAt: (ms) => {
      let found: StageModel | null = null;
      changes.forEach((from, k) => {
        if (from <= ms) found = models[k] as StageModel;
      });
      return found;
    },
  };
}

/**
 * The naive history: the stage a scoring run as of t would decide (score.ts's signals on the
 * customer-value document as of t, P(alive) from clvSummaryOf's summary), evaluated every hour.
 */
function naiveHistory(
  doc: CustomerValueDoc,
  until: AsOf,
  config: ScoringConfig,
  modelAt: StageModelAt,
): LifecycleHistory | null {
  const knownAtMs = until.knownAtMs ?? Number.POSITIVE_INFINITY;
  const times = doc.facts
    .filter((f) => Date.parse(f[2]) <= knownAtMs)
    .map((f) => Date.parse(f[1]))
    .sort((a, b) => a - b);
  const startMs = times[0];
  if (startMs === undefined || startMs > until.asOfMs) return null;
  const transitions: StageTransition[] = [];
  let then: CustomerValueDoc | null = null;
  let seen = -1;
  let decision: StageDecision | null = null;
  for (let t = startMs; t <= until.asOfMs; t += HOUR) {
    const occurred = times.filter((ms) => ms <= t).length;
    if (occurred !== seen) [then, seen] = [customerValueAsOf(doc, { asOfMs: t, knownAtMs }), occurred];
    const v = then as CustomerValueDoc;
    const nowDay = Math.floor(t / DAY);
    const trend = valueTrend(v.dailyRevenue, nowDay, config.trendWindowDays, config.trendFlatBand);
    const model = modelAt(t);
    let probabilityAlive: number | null = null;
    if (model && v.purchaseDays >= 1 && v.firstPurchaseAt !== null && v.lastPurchaseAt !== null) {
      const first = epochDay(v.firstPurchaseAt);
      const T = nowDay - first;
      const frequency = v.purchaseDays - 1;
      probabilityAlive = model({
        frequency,
        recency: frequency === 0 ? 0 : Math.min(T, epochDay(v.lastPurchaseAt) - first),
        T,
      });
    }
    decision = lifecycleStage(
      {
        orders: v.orders,
        purchaseDays: v.purchaseDays,
        recencyDays:
          v.lastPurchaseAt === null ? null : Math.max(0, Math.floor((t - Date.parse(v.lastPurchaseAt)) / DAY)),
        meanInterPurchaseDays: v.meanInterPurchaseDays,
        trendRatio: trend.ratio,
        trendDirection: trend.direction,
        probabilityAlive,
      },
      config,
    );
    const from = transitions[transitions.length - 1]?.to ?? null;
    if (decision.stage !== from)
      transitions.push({ at: new Date(t).toISOString(), from, to: decision.stage, reason: decision.reason });
  }
  const last = transitions[transitions.length - 1] as StageTransition;
  return {
    id: doc.customerId,
    stage: last.to,
    since: last.at,
    reason: (decision as StageDecision).reason,
    transitions,
  };
}

/**
 * * A random customer: projected-history's events (hours over 400 days), some recorded up to 60 days late;
 * some with every event at midnight, so that lapses, window edges and P(alive) crossings coincide.
 */
const lateCustomer = fc
  .tuple(
    customerHistory('c1', 60),
    fc.array(fc.integer({ min: 0, max: 60 * 24 }), { minLength: 60, maxLength: 60 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([events, delays, late, midnight]) =>
    handledBy(customerValueProjection.handles, events).map((event, i) => {
      const occurredMs = Date.parse(event.metadata.occurredAt);
      const at = midnight ? occurredMs - (occurredMs % DAY) : occurredMs;
      const recordedAt = late ? at + (delays[i] as number) * HOUR : at;
      const metadata = {
        ...event.metadata,
        occurredAt: new Date(at).toISOString(),
        recordedAt: new Date(recordedAt).toISOString(),
      };
      return { ...event, metadata } as ProjectedEvent;
    }),
  )
  .filter((events) => events.length > 0);
/** Whole hours after BASE: every change point of an hour-aligned history is an hour. */
const hourAfterBase = (maxDays: number) => fc.integer({ min: 0, max: maxDays * 24 }).map((h) => BASE + h * HOUR);
const config = fc
  .record({
    trendWindowDays: fc.constantFrom(30, 90, 120),
    minIntervalDays: fc.constantFrom(1, 7),
    defaultIntervalDays: fc.constantFrom(30, 90),
    declineIntervalFactor: fc.constantFrom(1.5, 2),
    maturityMinPurchaseDays: fc.constantFrom(3, 5),
    declineTrendDrop: fc.constantFrom(0.3, 0.5),
  })
  .map((overrides) => scoringConfig({ ...overrides, maxTransitions: 10_000 }));

describe('stageHistory against an hourly scan of the stage a scoring run would decide', () => {
  it('without a model: the same transitions, dates, reasons and current stage', () => {
    fc.assert(
      fc.property(
        lateCustomer,
        hourAfterBase(700),
        fc.option(hourAfterBase(460)),
        config,
        (events, untilMs, knownAtMs, cfg) => {
          const until: AsOf = knownAtMs === null ? { asOfMs: untilMs } : { asOfMs: untilMs, knownAtMs };
          const doc = docOf(events);
          expect(stageHistory(doc, until, cfg)).toEqual(naiveHistory(doc, until, cfg, () => null));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('with quarterly P(alive) models: the same, crossings dated at the first midnight below a threshold', () => {
    fc.assert(
      fc.property(lateCustomer, hourAfterBase(700), config, fc.nat(1000), (events, untilMs, cfg, seed) => {
        const doc = docOf(events);
        const { modelAt, changes } = calendar(seed);
        expect(stageHistory(doc, { asOfMs: untilMs }, cfg, modelAt, changes)).toEqual(
          naiveHistory(doc, { asOfMs: untilMs }, cfg, modelAt),
        );
      }),
      { numRuns: 120 },
    );
  });

  it("with the calendar's models before the as-of time and the run's own fit at it, as the scoring job asks", () => {
    fc.assert(
      fc.property(
        lateCustomer,
        hourAfterBase(700),
        config,
        fc.nat(1000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (events, untilMs, cfg, seed, own) => {
          const doc = docOf(events);
          const { modelAt: calendarAt, changes } = calendar(seed);
          const modelAt: StageModelAt = (ms) => (ms >= untilMs ? () => own : calendarAt(ms));
          expect(stageHistory(doc, { asOfMs: untilMs }, cfg, modelAt, changes)).toEqual(
            naiveHistory(doc, { asOfMs: untilMs }, cfg, modelAt),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('with BG/NBD models that name their crossings in closed form (ageBelow): the same', () => {
    const closedForm = (r: number, alpha: number, a: number, b: number) => probabilityAliveUnder({ r, alpha, a, b });
    fc.assert(
      fc.property(lateCustomer, hourAfterBase(700), config, fc.nat(1000), (events, untilMs, cfg, seed) => {
        const doc = docOf(events);
        const { modelAt, changes } = calendar(seed, closedForm);
        const single = modelAt(changes[seed % changes.length] as number);
        expect(stageHistory(doc, { asOfMs: untilMs }, cfg, modelAt, changes)).toEqual(
          naiveHistory(doc, { asOfMs: untilMs }, cfg, modelAt),
        );
        expect(stageHistory(doc, { asOfMs: untilMs }, cfg, () => single)).toEqual(
          naiveHistory(doc, { asOfMs: untilMs }, cfg, () => single),
        );
      }),
      { numRuns: 120 },
    );
  });

  it('with one model and no list of changes: asked at every change point, the same', () => {
    fc.assert(
      fc.property(lateCustomer, hourAfterBase(700), config, fc.nat(1000), (events, untilMs, cfg, seed) => {
        const doc = docOf(events);
        const { modelAt: calendarAt, changes } = calendar(seed);
        const model = calendarAt(changes[seed % changes.length] as number);
        const modelAt: StageModelAt = () => model;
        expect(stageHistory(doc, { asOfMs: untilMs }, cfg, modelAt)).toEqual(
          naiveHistory(doc, { asOfMs: untilMs }, cfg, modelAt),
        );
      }),
      { numRuns: 80 },
    );
  });
});

describe('stageHistory properties', () => {
  const noModel = scoringConfig({ maxTransitions: 10_000 });

  it('as of T equals the history as of a later T2 cut at T, when no model is involved', () => {
    fc.assert(
      fc.property(lateCustomer, hourAfterBase(700), fc.integer({ min: 0, max: 300 * DAY }), (events, t, later) => {
        const doc = docOf(events);
        const atT = stageHistory(doc, { asOfMs: t }, noModel);
        const atT2 = stageHistory(doc, { asOfMs: t + later }, noModel);
        const cut = (atT2?.transitions ?? []).filter((tr) => Date.parse(tr.at) <= t);
        expect(atT?.transitions ?? []).toEqual(cut);
        if (atT !== null) expect([atT.stage, atT.since]).toEqual([cut[cut.length - 1]?.to, cut[cut.length - 1]?.at]);
      }),
      { numRuns: 200 },
    );
  });

  it('known at K equals the history of a store holding only the events recorded by K', () => {
    fc.assert(
      fc.property(
        lateCustomer,
        hourAfterBase(700),
        hourAfterBase(460),
        fc.nat(1000),
        (events, untilMs, knownAtMs, seed) => {
          const recorded = events.filter((e) => Date.parse(e.metadata.recordedAt as string) <= knownAtMs);
          const { modelAt, changes } = calendar(seed);
          const known = stageHistory(docOf(events), { asOfMs: untilMs, knownAtMs }, noModel, modelAt, changes);
          const cut =
            recorded.length === 0
              ? null
              : stageHistory(docOf(recorded), { asOfMs: untilMs }, noModel, modelAt, changes);
          expect(known).toEqual(cut);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order events arrived in, nor on the clock, and leaves the document alone', () => {
    fc.assert(
      fc.property(lateCustomer, hourAfterBase(700), fc.nat(1000), (events, untilMs, seed) => {
        const { modelAt, changes } = calendar(seed);
        const doc = docOf(events);
        const before = structuredClone(doc);
        const history = stageHistory(doc, { asOfMs: untilMs }, noModel, modelAt, changes);
        expect(doc).toEqual(before);
        // Same-moment amounts are summed in another order: equal to the cent for the generator's amounts.
        expect(stageHistory(docOf([...events].reverse()), { asOfMs: untilMs }, noModel, modelAt, changes)).toEqual(
          history,
        );
        jest.useFakeTimers({ now: Date.UTC(2099, 0, 1) });
        try {
          expect(stageHistory(doc, { asOfMs: untilMs }, noModel, modelAt, changes)).toEqual(history);
        } finally {
          jest.useRealTimers();
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('stageHistory examples', () => {
  const cfg = scoringConfig();
  // A CDNOW-like customer: registered on New Year's Day 1997, five purchases in its first half year.
  const buyer = [
    registered('07592', '1997-01-01T09:00:00Z'),
    purchased('07592', '1997-01-05T14:30:00Z', 10),
    purchased('07592', '1997-02-10T14:30:00Z', 20),
    purchased('07592', '1997-03-20T14:30:00Z', 30),
    purchased('07592', '1997-05-01T14:30:00Z', 40),
    purchased('07592', '1997-06-15T14:30:00Z', 50),
  ];

  it('given purchases since January 1997 and silence after June, when asked in mid-1998, then each stage is dated when its rule first held', () => {
    const history = stageHistory(docOf(buyer), asOf('1998-07-01T00:00:00Z'), cfg);
    // Typical interval (1997-06-15 − 1997-01-05) / 4 = 161 / 4 = 40.25 days: decline once recency
    // exceeds 80.5 days (day 81 after the last purchase), departure once it exceeds 161 (day 162).
    expect(stages(history)).toEqual([
      ['1997-01-01T09:00:00.000Z', 'prospect'],
      ['1997-01-05T14:30:00.000Z', 'acquisition'],
      ['1997-02-10T14:30:00.000Z', 'growth'],
      ['1997-06-15T14:30:00.000Z', 'maturity'],
      ['1997-09-04T14:30:00.000Z', 'decline'],
      ['1997-11-24T14:30:00.000Z', 'departure'],
    ]);
    expect(history?.transitions[4]?.reason).toBe(
      '81 days since last purchase = 2.01 × typical interval 40.25 days > 2',
    );
    expect(history?.transitions[5]?.from).toBe('decline');
    expect([history?.stage, history?.since]).toEqual(['departure', '1997-11-24T14:30:00.000Z']);
    // The current reason is the one true at the as-of time, 380 days on.
    expect(history?.reason).toBe('380 days since last purchase = 9.44 × typical interval 40.25 days > 4');
  });

  it('given the same customer, when asked the day before the lapse, then it is still mature: no look-ahead', () => {
    const history = stageHistory(docOf(buyer), asOf('1997-09-04T14:29:59.999Z'), cfg);
    expect([history?.stage, history?.since]).toEqual(['maturity', '1997-06-15T14:30:00.000Z']);
    expect(stageHistory(docOf(buyer), asOf('1996-12-31T00:00:00Z'), cfg)).toBeNull();
  });

  it('given spend that falls off, when a big day leaves the 90-day window, then decline is dated at that midnight', () => {
    const events = [
      purchased('c2', '2024-01-10T12:00:00Z', 100),
      purchased('c2', '2024-02-10T12:00:00Z', 100),
      purchased('c2', '2024-03-10T12:00:00Z', 100),
      purchased('c2', '2024-04-10T12:00:00Z', 10),
      purchased('c2', '2024-05-10T12:00:00Z', 10),
    ];
    const history = stageHistory(docOf(events), asOf('2024-12-31T00:00:00Z'), cfg);
    // On 2024-06-08 (2024-03-10 + 90 days) the last window holds 20 against 300 before: −93%.
    // Typical interval 121 / 4 = 30.25 days: departure on day 122 after 2024-05-10.
    expect(stages(history)).toEqual([
      ['2024-01-10T12:00:00.000Z', 'acquisition'],
      ['2024-02-10T12:00:00.000Z', 'growth'],
      ['2024-05-10T12:00:00.000Z', 'maturity'],
      ['2024-06-08T00:00:00.000Z', 'decline'],
      ['2024-09-09T12:00:00.000Z', 'departure'],
    ]);
    expect(history?.transitions[3]?.reason).toBe('value trend -93.33% <= -50%');
  });

  it('given a refund of most of the recent spend, then the trend decline is dated at the refund', () => {
    const events = [
      purchased('c3', '2024-01-10T12:00:00Z', 100, 'o1'),
      purchased('c3', '2024-03-01T12:00:00Z', 100, 'o2'),
      purchased('c3', '2024-04-01T12:00:00Z', 100, 'o3'),
      refunded('c3', '2024-04-15T08:00:00Z', 'o3', 100),
      refunded('c3', '2024-04-16T08:00:00Z', 'o2', 100),
    ];
    const history = stageHistory(docOf(events), asOf('2024-04-20T00:00:00Z'), cfg);
    // On 2024-04-16 the last 90 days net 0 against 100 in the 90 days before: −100%.
    expect(stages(history).slice(-2)).toEqual([
      ['2024-03-01T12:00:00.000Z', 'growth'],
      ['2024-04-16T08:00:00.000Z', 'decline'],
    ]);
  });

  it('given 120-day trend windows, when a day is past what the customer-value document keeps, then it counts for neither window', () => {
    const events = [
      purchased('c4', '2024-01-01T12:00:00Z', 1000),
      purchased('c4', '2024-04-10T12:00:00Z', 10),
      purchased('c4', '2024-07-19T12:00:00Z', 10),
    ];
    // On 2024-04-30 (2024-01-01 + 120 days) the big day enters the earlier window: −99%, decline. On
    // 2024-07-19 the document keeps days after 2024-01-21 (180 days back), so 2024-01-01 is gone, as in
    // a scoring run then: the earlier window is empty and the trend is up.
    const history = stageHistory(docOf(events), asOf('2024-07-19T12:00:00Z'), scoringConfig({ trendWindowDays: 120 }));
    expect(stages(history)).toEqual([
      ['2024-01-01T12:00:00.000Z', 'acquisition'],
      ['2024-04-10T12:00:00.000Z', 'growth'],
      ['2024-04-30T00:00:00.000Z', 'decline'],
      ['2024-07-19T12:00:00.000Z', 'growth'],
    ]);
    expect(history?.reason).toBe('3 purchase days (repeat buyer below 5), active, trend up');
  });

  it('given a model from a date, when P(alive) falls below 0.5, then decline is dated at the first midnight it does', () => {
    const model = bgNbd(0.3, 30, 2, 1);
    const fromMs = Date.parse('1997-07-01T00:00:00Z');
    const modelAt: StageModelAt = (ms) => (ms >= fromMs ? model : null);
    const history = stageHistory(docOf(buyer), asOf('1998-07-01T00:00:00Z'), cfg, modelAt, [fromMs]);
    // The first day the model gives < 0.5 for 4 repeat days over 161 days since the first purchase.
    const first = epochDay('1997-01-05T14:30:00Z');
    let day = epochDay('1997-07-01T00:00:00Z');
    while (model({ frequency: 4, recency: 161, T: day - first }) >= 0.5) day += 1;
    const decline = history?.transitions.find((t) => t.to === 'decline');
    expect(decline?.at).toBe(new Date(day * DAY).toISOString());
    expect(decline?.reason).toMatch(/^probability alive 0\.\d+ < 0\.50$/);
    expect(Date.parse(decline?.at as string)).toBeLessThan(Date.parse('1997-09-04T14:30:00Z')); // before the lapse
  });

  it('given a lapse on the midnight a window edge falls on, then the edge does not hide it', () => {
    const cfg121 = scoringConfig({ defaultIntervalDays: 30, declineIntervalFactor: 1.5, trendWindowDays: 121 });
    const history = stageHistory(
      docOf([purchased('c5', '2024-01-01T00:00:00Z', 10)]),
      asOf('2024-12-31T00:00:00Z'),
      cfg121,
    );
    // One purchase day: typical interval 30 days; decline past 45 (day 46), departure past 120 (day 121),
    // the day the purchase leaves the 121-day window.
    expect(stages(history)).toEqual([
      ['2024-01-01T00:00:00.000Z', 'acquisition'],
      ['2024-02-16T00:00:00.000Z', 'decline'],
      ['2024-05-01T00:00:00.000Z', 'departure'],
    ]);
  });

  it('given P(alive) crossing thresholds on the midnights window edges fall on, then each is dated there', () => {
    // A model that is not BG/NBD: any P(alive) that does not rise with T will do.
    const step: StageModel = ({ T }) => (T < 50 ? 0.7 : T < 100 ? 0.3 : 0.05);
    const doc = docOf([purchased('c6', '2024-01-01T00:00:00Z', 10)]);
    const cfg50 = scoringConfig({ trendWindowDays: 50 });
    // Day 50 and day 100: the purchase moves to the earlier window, then leaves it.
    const expected = [
      ['2024-01-01T00:00:00.000Z', 'acquisition'],
      ['2024-02-20T00:00:00.000Z', 'decline'],
      ['2024-04-10T00:00:00.000Z', 'departure'],
    ];
    // With a list of model changes (none here) and without one: the two ways crossings are found.
    for (const changes of [[], undefined]) {
      const history = stageHistory(doc, asOf('2024-12-31T00:00:00Z'), cfg50, () => step, changes);
      expect(stages(history)).toEqual(expected);
      expect(history?.transitions.map((t) => t.reason).slice(1)).toEqual([
        'probability alive 0.30 < 0.50',
        'probability alive 0.05 < 0.10',
      ]);
    }
  });

  it('given a purchase recorded late, when known before it was recorded, then the customer had declined; when known after, never', () => {
    const late = purchased('07592', '1997-08-01T10:00:00Z', 100);
    const events = [...buyer, { ...late, metadata: { ...late.metadata, recordedAt: '1997-10-01T00:00:00Z' } }];
    const doc = docOf(events);
    expect(stageHistory(doc, asOf('1997-09-30T00:00:00Z', '1997-09-30T00:00:00Z'), cfg)?.stage).toBe('decline');
    const known = stageHistory(doc, asOf('1997-09-30T00:00:00Z', '1997-10-02T00:00:00Z'), cfg);
    expect([known?.stage, known?.since]).toEqual(['maturity', '1997-06-15T14:30:00.000Z']);
  });

  it('keeps the latest maxTransitions transitions, with the stage and since of the last', () => {
    const history = stageHistory(docOf(buyer), asOf('1998-07-01T00:00:00Z'), scoringConfig({ maxTransitions: 2 }));
    expect(stages(history)).toEqual([
      ['1997-09-04T14:30:00.000Z', 'decline'],
      ['1997-11-24T14:30:00.000Z', 'departure'],
    ]);
    expect(history?.since).toBe('1997-11-24T14:30:00.000Z');
  });
});
