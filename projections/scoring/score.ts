import type { CustomerValueDoc } from '../customer-value/customer-value.projection';
import { epochDay, roundMoney } from '../customer-value/purchase-history';
import type { SentimentSignal } from '../sentiment-timeline/sentiment-signal';
import type { PromiseFulfilmentDoc } from '../promise-fulfilment/promise-fulfilment.projection';
import {
  LIFECYCLE_STAGES,
  VALUE_TIERS,
  type AnalyticsCustomerDoc,
  type LifecycleStage,
  type ValueTier,
} from './analytics-customer';
import { lifecycleStage, type LifecycleHistory } from './lifecycle-rules';
import { promiseStatusAt } from './promise-deadlines';
import { quintileScores, rfmSegment } from './rfm';
import type { ScoringConfig } from './scoring-config';
import { valueTiers } from './value-tier';
import { valueTrend } from './value-trend';

const DAY = 86_400_000;

/** Per-customer output of a CLV fit (libs/clv), optional. Intervals are [low, high] at the fit's level (90%). */
export interface ClvPrediction {
  probabilityAlive: number;
  expectedPurchases90: number;
  predictedClv: number;
  /** Parameter interval of P(alive) (uncertainty of the fitted parameters); null without a covariance. */
  probabilityAliveInterval: [number, number] | null;
  /** Parameter interval of the expected purchases in 90 days: where the expectation lies, not the count. */
  expectedPurchases90Interval: [number, number] | null;
  /** Predictive interval of the purchase count in 90 days (integers): where the actual count should fall. */
  purchases90PredictiveInterval: [number, number] | null;
  /** Parameter interval of the predicted CLV (BG/NBD and Gamma-Gamma uncertainty); null without a spend model. */
  predictedClvInterval: [number, number] | null;
}

/** Everything scoring knows of one customer. */
export interface ScoringSubject {
  value: CustomerValueDoc;
  promises?: PromiseFulfilmentDoc | null;
  sentiment?: SentimentSignal | null;
  clv?: ClvPrediction | null;
  /**
   * The customer's stage history as of the scoring time, derived from its events (stage-history.ts);
   * without it the stage is decided from the signals at that time alone, with no transitions.
   */
  history?: LifecycleHistory | null;
}

export interface SegmentCell {
  customers: number;
  netRevenue: number;
}

export interface SegmentSummary {
  scoredAt: string;
  customers: number;
  netRevenue: number;
  byStageTier: Record<LifecycleStage, Record<ValueTier, SegmentCell>>;
  byRegion: Array<{ region: string | null } & SegmentCell & { tiers: Record<ValueTier, number> }>;
}

export interface ScoreResult {
  customers: AnalyticsCustomerDoc[];
  segments: SegmentSummary;
}

/** A history that knows only the stage decided at `now`. */
const stageAt = (id: string, now: string, decision: { stage: LifecycleStage; reason: string }): LifecycleHistory => ({
  id,
  stage: decision.stage,
  since: now,
  reason: decision.reason,
  transitions: [],
});

const emptyCell = (): SegmentCell => ({ customers: 0, netRevenue: 0 });

/**
 * Scores a whole population at `now`: RFM quintiles and segment, 80/20 tier, recency, value trend,
 * lifecycle stage and promise deadlines. Pure: the same population, time and config give the same result.
 */
export function score(population: readonly ScoringSubject[], now: string, config: ScoringConfig): ScoreResult {
  const customers: AnalyticsCustomerDoc[] = [];
  const each = scoreEach(population, now, config);
  for (let next = each.next(); ; next = each.next()) {
    if (next.done) return { customers, segments: next.value };
    customers.push(next.value);
  }
}

/** What the ranks (RFM quintiles, 80/20 tiers) read of every customer, by index, before any is scored. */
export interface RankFigures {
  id(index: number): string;
  orders(index: number): number;
  /** The last purchase in epoch milliseconds; NaN without one. */
  lastPurchaseMs(index: number): number;
  frequency(index: number): number;
  monetary(index: number): number;
  netRevenue(index: number): number;
}

/** A population scored by index: the figures its ranks need, and each subject made when it is scored. */
export interface ScoringPopulation {
  readonly length: number;
  readonly figures: RankFigures;
  subject(index: number): ScoringSubject;
}

/** An array of subjects as a ScoringPopulation. */
function subjectsPopulation(subjects: readonly ScoringSubject[]): ScoringPopulation {
  const value = (i: number): CustomerValueDoc => (subjects[i] as ScoringSubject).value;
  return {
    length: subjects.length,
    subject: (i) => subjects[i] as ScoringSubject,
    figures: {
      id: (i) => value(i).id,
      orders: (i) => value(i).orders,
      lastPurchaseMs: (i) => {
        const last = value(i).lastPurchaseAt;
        return last === null ? Number.NaN : Date.parse(last);
      },
      frequency: (i) => value(i).frequency,
      monetary: (i) => value(i).monetary,
      netRevenue: (i) => value(i).netRevenue,
    },
  };
}

/**
 * `score` one customer at a time, in population order, so a large run can write its documents as they
 * come instead of holding them all; returns the segments summary once every customer is scored.
 * `historyOf` gives the stage history of a subject without one, by index and subject, as it is scored.
 */
export function* scoreEach(
  subjects: readonly ScoringSubject[] | ScoringPopulation,
  now: string,
  config: ScoringConfig,
  historyOf?: (index: number, subject: ScoringSubject) => LifecycleHistory | null,
): Generator<AnalyticsCustomerDoc, SegmentSummary> {
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs)) throw new RangeError(`score: now must be an ISO-8601 time (got ${now})`);
  const nowDay = epochDay(now);
  const population = Array.isArray(subjects)
    ? subjectsPopulation(subjects as readonly ScoringSubject[])
    : (subjects as ScoringPopulation);
  const { figures } = population;

  // RFM over the customers with at least one purchase.
  const buyers: number[] = [];
  for (let i = 0; i < population.length; i += 1) if (figures.orders(i) > 0) buyers.push(i);
  const recency = new Float64Array(population.length);
  for (let i = 0; i < population.length; i += 1) {
    const last = figures.lastPurchaseMs(i);
    recency[i] = Number.isNaN(last) ? Number.NaN : Math.max(0, Math.floor((nowMs - last) / DAY));
  }
  const r = quintileScores(
    buyers.map((i) => recency[i] as number),
    false,
  );
  const f = quintileScores(
    buyers.map((i) => figures.frequency(i)),
    true,
  );
  const m = quintileScores(
    buyers.map((i) => figures.monetary(i)),
    true,
  );
  const rfmAt = new Int32Array(population.length).fill(-1);
  buyers.forEach((populationIndex, buyerIndex) => (rfmAt[populationIndex] = buyerIndex));

  const tiers = valueTiers(
    Array.from({ length: population.length }, (_, i) => ({ id: figures.id(i), netRevenue: figures.netRevenue(i) })),
    config.tierAShare,
    config.tierBShare,
  );

  const byStageTier = Object.fromEntries(
    LIFECYCLE_STAGES.map((stage) => [stage, Object.fromEntries(VALUE_TIERS.map((tier) => [tier, emptyCell()]))]),
  ) as Record<LifecycleStage, Record<ValueTier, SegmentCell>>;
  const byRegion = new Map<string | null, SegmentCell & { tiers: Record<ValueTier, number> }>();
  let totalRevenue = 0;

  for (let i = 0; i < population.length; i += 1) {
    const subject = population.subject(i);
    const v = subject.value;
    const trend = valueTrend(v.dailyRevenue, nowDay, config.trendWindowDays, config.trendFlatBand);
    const recencyDays = v.lastPurchaseAt === null ? null : (recency[i] as number);
    const clv = subject.clv ?? null;
    const history =
      subject.history ??
      historyOf?.(i, subject) ??
      stageAt(
        v.customerId,
        now,
        lifecycleStage(
          {
            orders: v.orders,
            purchaseDays: v.purchaseDays,
            recencyDays,
            meanInterPurchaseDays: v.meanInterPurchaseDays,
            trendRatio: trend.ratio,
            trendDirection: trend.direction,
            probabilityAlive: clv?.probabilityAlive ?? null,
          },
          config,
        ),
      );

    let promisesOpen = 0;
    let promisesDueSoon = 0;
    let promisesOverdue = 0;
    for (const p of subject.promises?.promises ?? []) {
      const status = promiseStatusAt(p, nowMs, config.dueSoonHours);
      if (status === 'open' || status === 'due_soon' || status === 'overdue') promisesOpen += 1;
      if (status === 'due_soon') promisesDueSoon += 1;
      if (status === 'overdue') promisesOverdue += 1;
    }

    const b = rfmAt[i] as number;
    const rs = b >= 0 ? (r[b] as number) : null;
    const fs = b >= 0 ? (f[b] as number) : null;
    const ms = b >= 0 ? (m[b] as number) : null;
    const tier = tiers[i] as ValueTier;
    const doc: AnalyticsCustomerDoc = {
      id: v.customerId,
      customerId: v.customerId,
      region: v.region,
      acquisitionChannel: v.acquisitionChannel,
      registeredAt: v.registeredAt,
      erased: v.erased,
      orders: v.orders,
      netRevenue: v.netRevenue,
      averageOrderValue: v.averageOrderValue,
      firstPurchaseAt: v.firstPurchaseAt,
      lastPurchaseAt: v.lastPurchaseAt,
      meanInterPurchaseDays: v.meanInterPurchaseDays === null ? null : Math.round(v.meanInterPurchaseDays * 100) / 100,
      historicalLifetimeValue: v.historicalLifetimeValue,
      recencyDays,
      frequency: v.frequency,
      monetary: v.monetary,
      revenueLast90: trend.revenueLast,
      revenuePrev90: trend.revenuePrev,
      valueTrend: trend.trend,
      valueTrendRatio: trend.ratio === null ? null : Math.round(trend.ratio * 10_000) / 10_000,
      valueTrendDirection: trend.direction,
      rScore: rs,
      fScore: fs,
      mScore: ms,
      rfm: rs === null ? null : `${rs}${fs}${ms}`,
      segment: rs === null ? null : rfmSegment(rs, fs as number, ms as number),
      tier,
      stage: history.stage,
      stageSince: history.since,
      stageReason: history.reason,
      probabilityAlive: clv?.probabilityAlive ?? null,
      expectedPurchases90: clv?.expectedPurchases90 ?? null,
      predictedClv: clv?.predictedClv ?? null,
      probabilityAliveLow: clv?.probabilityAliveInterval?.[0] ?? null,
      probabilityAliveHigh: clv?.probabilityAliveInterval?.[1] ?? null,
      expectedPurchases90Low: clv?.expectedPurchases90Interval?.[0] ?? null,
      expectedPurchases90High: clv?.expectedPurchases90Interval?.[1] ?? null,
      purchases90Low: clv?.purchases90PredictiveInterval?.[0] ?? null,
      purchases90High: clv?.purchases90PredictiveInterval?.[1] ?? null,
      predictedClvLow: clv?.predictedClvInterval?.[0] ?? null,
      predictedClvHigh: clv?.predictedClvInterval?.[1] ?? null,
      sentimentDrop: subject.sentiment?.drop ?? false,
      sentimentMean: subject.sentiment?.mean ?? null,
      promisesOpen,
      promisesDueSoon,
      promisesOverdue,
      scoredAt: now,
    };

    const cell = byStageTier[history.stage][tier];
    cell.customers += 1;
    cell.netRevenue += v.netRevenue;
    let region = byRegion.get(v.region);
    if (region === undefined) {
      region = { customers: 0, netRevenue: 0, tiers: { A: 0, B: 0, C: 0 } };
      byRegion.set(v.region, region);
    }
    region.customers += 1;
    region.netRevenue += v.netRevenue;
    region.tiers[tier] += 1;
    totalRevenue += v.netRevenue;
    yield doc;
  }

  for (const stage of LIFECYCLE_STAGES)
    for (const tier of VALUE_TIERS)
      byStageTier[stage][tier].netRevenue = roundMoney(byStageTier[stage][tier].netRevenue);
  const regions = [...byRegion.entries()]
    .map(([region, cell]) => ({ region, ...cell, netRevenue: roundMoney(cell.netRevenue) }))
    .sort((a, b) => String(a.region).localeCompare(String(b.region)));
  return {
    scoredAt: now,
    customers: population.length,
    netRevenue: roundMoney(totalRevenue),
    byStageTier,
    byRegion: regions,
  };
}
