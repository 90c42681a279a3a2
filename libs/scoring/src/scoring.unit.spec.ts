import {
  evolveCustomerValue,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import { epochDay } from '@rapport/projections/customer-value/purchase-history';
import { lifecycleStage, type LifecycleSignals } from './lifecycle-rules';
import { quintileScores, rfmSegment } from './rfm';
import { score } from './score';
import { DEFAULT_SCORING_CONFIG, scoringConfig } from './scoring-config';
import { fold, purchased, registered } from '@rapport/testing';
import { valueTiers } from './value-tier';
import { valueTrend } from './value-trend';

const config = DEFAULT_SCORING_CONFIG;
const customer = (id: string, purchases: Array<[string, number]>) =>
  fold<CustomerValueDoc>(evolveCustomerValue, [
    registered(id, '2023-01-01T00:00:00Z'),
    ...purchases.map(([at, total]) => purchased(id, at, total)),
  ]) as CustomerValueDoc;

describe('RFM quintiles', () => {
  it('scores 1 to 5 by rank, higher values higher when higher is better', () => {
    expect([...quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], true)]).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    expect([...quintileScores([10, 20, 30, 40, 50], false)]).toEqual([5, 4, 3, 2, 1]);
    expect([...quintileScores([1, 2, 3, 4], true)]).toEqual([1, 2, 4, 5]);
  });

  it('gives equal values the same score whatever the input order (deterministic ties)', () => {
    const values = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5];
    expect([...quintileScores(values, true)]).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect([...quintileScores([...values].reverse(), true)]).toEqual([5, 5, 4, 4, 1, 1, 1, 1, 1, 1]);
  });

  it('maps R × FM to the usual segment names', () => {
    expect(rfmSegment(5, 5, 5)).toBe('Champions');
    expect(rfmSegment(5, 1, 1)).toBe('New');
    expect(rfmSegment(4, 1, 1)).toBe('Promising');
    expect(rfmSegment(4, 4, 5)).toBe('Loyal');
    expect(rfmSegment(5, 2, 3)).toBe('Potential Loyalist');
    expect(rfmSegment(3, 3, 3)).toBe('Need Attention');
    expect(rfmSegment(3, 1, 2)).toBe('About to Sleep');
    expect(rfmSegment(2, 3, 4)).toBe('At Risk');
    expect(rfmSegment(1, 5, 5)).toBe("Can't Lose Them");
    expect(rfmSegment(2, 1, 1)).toBe('Hibernating');
    expect(rfmSegment(1, 1, 1)).toBe('Lost');
  });
});

describe('80/20 value tiers', () => {
  it('puts in A the top customers who together make 80% of net revenue, B the next 15%, C the rest', () => {
    const customers = [
      { id: 'a', netRevenue: 500 },
      { id: 'b', netRevenue: 300 },
      { id: 'c', netRevenue: 100 },
      { id: 'd', netRevenue: 60 },
      { id: 'e', netRevenue: 40 },
      { id: 'f', netRevenue: 0 },
      { id: 'g', netRevenue: -5 },
    ];
    // cumulative share before each: a 0, b .5, c .8, d .9, e .96
    expect(valueTiers(customers, 0.8, 0.95)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'C']);
  });

  it('breaks revenue ties by id and gives C to everyone when nobody has revenue', () => {
    expect(
      valueTiers(
        [
          { id: 'b', netRevenue: 10 },
          { id: 'a', netRevenue: 10 },
        ],
        0.5,
        0.95,
      ),
    ).toEqual(['B', 'A']);
    expect(valueTiers([{ id: 'a', netRevenue: 0 }], 0.8, 0.95)).toEqual(['C']);
  });
});

describe('value trend', () => {
  const now = epochDay('2024-07-01T00:00:00Z');
  it('compares the last 90 days with the 90 before', () => {
    expect(
      valueTrend(
        [
          [now - 100, 100],
          [now - 10, 150],
        ],
        now,
        90,
        0.1,
      ),
    ).toEqual({ revenueLast: 150, revenuePrev: 100, trend: 50, ratio: 0.5, direction: 'up' });
    expect(
      valueTrend(
        [
          [now - 100, 100],
          [now - 10, 95],
        ],
        now,
        90,
        0.1,
      ).direction,
    ).toBe('flat');
    expect(
      valueTrend(
        [
          [now - 100, 100],
          [now - 200, 1000],
        ],
        now,
        90,
        0.1,
      ),
    ).toMatchObject({ revenueLast: 0, revenuePrev: 100, ratio: -1, direction: 'down' });
    expect(valueTrend([], now, 90, 0.1)).toMatchObject({ ratio: null, direction: 'flat' });
  });
});

describe('lifecycle stage', () => {
  const base: LifecycleSignals = {
    orders: 1,
    purchaseDays: 1,
    recencyDays: 10,
    meanInterPurchaseDays: null,
    trendRatio: null,
    trendDirection: 'flat',
    probabilityAlive: null,
  };
  const stage = (s: Partial<LifecycleSignals>) => lifecycleStage({ ...base, ...s }, config).stage;

  it('follows the seeds: prospect, acquisition, growth, maturity, decline, departure', () => {
    expect(stage({ orders: 0, purchaseDays: 0, recencyDays: null })).toBe('prospect');
    expect(stage({})).toBe('acquisition');
    expect(stage({ orders: 3, purchaseDays: 3, recencyDays: 20, meanInterPurchaseDays: 30 })).toBe('growth');
    expect(stage({ orders: 8, purchaseDays: 6, recencyDays: 20, meanInterPurchaseDays: 30 })).toBe('maturity');
    expect(stage({ orders: 8, purchaseDays: 6, recencyDays: 70, meanInterPurchaseDays: 30 })).toBe('decline');
    expect(stage({ orders: 8, purchaseDays: 6, recencyDays: 130, meanInterPurchaseDays: 30 })).toBe('departure');
    expect(stage({ recencyDays: 181 })).toBe('decline'); // one purchase: the default 90-day interval applies
    expect(stage({ recencyDays: 361 })).toBe('departure');
  });

  it('reads a falling value trend and a low probability alive as decline, a very low one as departure', () => {
    expect(
      stage({
        orders: 8,
        purchaseDays: 6,
        recencyDays: 5,
        meanInterPurchaseDays: 30,
        trendRatio: -0.6,
        trendDirection: 'down',
      }),
    ).toBe('decline');
    expect(
      stage({ orders: 8, purchaseDays: 6, recencyDays: 5, meanInterPurchaseDays: 30, probabilityAlive: 0.3 }),
    ).toBe('decline');
    expect(
      stage({ orders: 8, purchaseDays: 6, recencyDays: 5, meanInterPurchaseDays: 30, probabilityAlive: 0.05 }),
    ).toBe('departure');
  });

  it('explains the decision with the numbers used', () => {
    expect(
      lifecycleStage({ ...base, orders: 8, purchaseDays: 6, recencyDays: 70, meanInterPurchaseDays: 30 }, config)
        .reason,
    ).toBe('70 days since last purchase = 2.33 × typical interval 30 days > 2');
  });
});

describe('score(population, now, config)', () => {
  const population = () => [
    {
      value: customer('big', [
        ['2024-01-05T00:00:00Z', 500],
        ['2024-02-05T00:00:00Z', 500],
        ['2024-03-05T00:00:00Z', 500],
        ['2024-04-05T00:00:00Z', 500],
        ['2024-05-05T00:00:00Z', 500],
        ['2024-06-05T00:00:00Z', 500],
      ]),
    },
    {
      value: customer('mid', [
        ['2024-05-01T00:00:00Z', 200],
        ['2024-06-20T00:00:00Z', 100],
      ]),
    },
    { value: customer('old', [['2023-02-01T00:00:00Z', 50]]) },
    { value: customer('new', [['2024-06-28T00:00:00Z', 30]]) },
    { value: customer('prospect', []) },
  ];
  const now = '2024-07-01T00:00:00Z';

  it('scores recency, RFM, segment, tier and stage per customer', () => {
    const byId = new Map(score(population(), now, config).customers.map((c) => [c.id, c]));
    expect(byId.get('big')).toMatchObject({
      recencyDays: 26,
      tier: 'A',
      stage: 'maturity',
      mScore: 5,
      fScore: 5,
      netRevenue: 3000,
    });
    expect(byId.get('new')).toMatchObject({ recencyDays: 3, rScore: 5, fScore: 1, stage: 'acquisition' });
    expect(byId.get('old')).toMatchObject({
      recencyDays: 516,
      rScore: 1,
      fScore: 1,
      mScore: 2,
      segment: 'Hibernating',
      stage: 'departure',
      tier: 'C',
    });
    expect(byId.get('prospect')).toMatchObject({
      stage: 'prospect',
      rScore: null,
      segment: null,
      recencyDays: null,
      tier: 'C',
    });
    expect(byId.get('mid')).toMatchObject({
      stage: 'growth',
      revenueLast90: 300,
      revenuePrev90: 0,
      valueTrendDirection: 'up',
    });
  });

  it('gives the same scores for the same data and time, and other recency at another time', () => {
    const a = score(population(), now, config);
    const b = score(population().reverse(), now, config);
    const sorted = (r: typeof a) => [...r.customers].sort((x, y) => x.id.localeCompare(y.id));
    expect(sorted(b)).toEqual(sorted(a));
    const later = score(population(), '2024-12-01T00:00:00Z', config);
    expect(later.customers.find((c) => c.id === 'new')?.recencyDays).toBe(156);
  });

  it('summarises counts and revenue by stage × tier and by region', () => {
    const { segments } = score(population(), now, config);
    expect(segments.customers).toBe(5);
    expect(segments.netRevenue).toBe(3380);
    expect(segments.byStageTier.maturity.A).toEqual({ customers: 1, netRevenue: 3000 });
    expect(segments.byRegion).toEqual([
      { region: 'East', customers: 5, netRevenue: 3380, tiers: { A: 1, B: 1, C: 3 } },
    ]);
  });

  it('rejects a bad time and bad thresholds naming the field', () => {
    expect(() => score([], 'yesterday', config)).toThrow(/now/);
    expect(() => scoringConfig({ tierBShare: 0.5 })).toThrow(/tierBShare/);
    expect(() => scoringConfig({ declineIntervalFactor: -1 })).toThrow(/declineIntervalFactor/);
  });
});
