import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { epochDay } from '@rapport/projections/customer-value/purchase-history';
import type { SentimentSignal } from '@rapport/projections/sentiment-timeline/sentiment-signal';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import type { LifecycleStage, ValueTier } from '@rapport/projections/customer-vocabulary';
import type { LifecycleHistory } from '@rapport/projections/lifecycle-facts/lifecycle-history';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import { lifecycleStage, type LifecycleSignals } from './lifecycle-rules';
import { populationRanks, type PopulationRanks, type RfmScores } from './population-ranks';
import { promiseStatusAt } from '@rapport/projections/promise-fulfilment/promise-deadlines';
import { rfmSegment } from './rfm';
import type { ScoringConfig } from './scoring-config';
import { SegmentTally } from './segment-tally';
import { valueTrend, type ValueTrend } from './value-trend';

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
  const population = Array.isArray(subjects)
    ? subjectsPopulation(subjects as readonly ScoringSubject[])
    : (subjects as ScoringPopulation);
  const ranks = populationRanks(population.figures, population.length, nowMs, config);
  const tally = new SegmentTally();
  yield* scoreRange(population, ranks, { from: 0, to: population.length }, now, config, historyOf, tally);
  return tally.summary(now, population.length);
}

/**
 * Scores customers [from, to) of a population whose ranks are known (the whole population's, indexed as
 * `population` is), in order, each counted in `tally` when there is one: what scoreEach does for all, and
 * what a part of the population scored on its own thread does for its customers.
 */
export function* scoreRange(
  population: Pick<ScoringPopulation, 'subject'>,
  ranks: PopulationRanks,
  { from, to }: { from: number; to: number },
  now: string,
  config: ScoringConfig,
  historyOf?: (index: number, subject: ScoringSubject) => LifecycleHistory | null,
  tally?: SegmentTally,
): Generator<AnalyticsCustomerDoc, void> {
  const nowMs = Date.parse(now);
  const nowDay = epochDay(now);
  for (let i = from; i < to; i += 1) {
    const subject = population.subject(i);
    const v = subject.value;
    const trend = valueTrend(v.dailyRevenue, nowDay, config.trendWindowDays, config.trendFlatBand);
    const recencyDays = v.lastPurchaseAt === null ? null : ranks.recencyDays(i);
    const history =
      subject.history ??
      historyOf?.(i, subject) ??
      stageAt(v.customerId, now, lifecycleStage(signalsOf(v, recencyDays, trend, subject.clv ?? null), config));
    const tier = ranks.tier(i);
    tally?.add(history.stage, tier, v.region, v.netRevenue);
    yield analyticsDoc(
      subject,
      now,
      { trend, recencyDays, rfm: ranks.rfm(i), tier, history },
      promiseCounts(subject, nowMs, config),
    );
  }
}

/** The signals the stage rules read of a customer without a stage history. */
function signalsOf(
  v: CustomerValueDoc,
  recencyDays: number | null,
  trend: ValueTrend,
  clv: ClvPrediction | null,
): LifecycleSignals {
  return {
    orders: v.orders,
    purchaseDays: v.purchaseDays,
    recencyDays,
    meanInterPurchaseDays: v.meanInterPurchaseDays,
    trendRatio: trend.ratio,
    trendDirection: trend.direction,
    probabilityAlive: clv?.probabilityAlive ?? null,
  };
}

interface PromiseCounts {
  promisesOpen: number;
  promisesDueSoon: number;
  promisesOverdue: number;
}

/** Promises open at `nowMs`, and of those the ones due soon and overdue then. */
function promiseCounts(subject: ScoringSubject, nowMs: number, config: ScoringConfig): PromiseCounts {
  const counts = { promisesOpen: 0, promisesDueSoon: 0, promisesOverdue: 0 };
  for (const p of subject.promises?.promises ?? []) {
    const status = promiseStatusAt(p, nowMs, config.dueSoonHours);
    if (status === 'open' || status === 'due_soon' || status === 'overdue') counts.promisesOpen += 1;
    if (status === 'due_soon') counts.promisesDueSoon += 1;
    if (status === 'overdue') counts.promisesOverdue += 1;
  }
  return counts;
}

/** What scoring decided of one customer, beside its figures. */
interface Scored {
  trend: ValueTrend;
  recencyDays: number | null;
  rfm: RfmScores | null;
  tier: ValueTier;
  history: LifecycleHistory;
}

/** A customer's analytics document: its figures, ranks, stage, CLV, sentiment and promises. */
function analyticsDoc(
  subject: ScoringSubject,
  now: string,
  { trend, recencyDays, rfm, tier, history }: Scored,
  promises: PromiseCounts,
): AnalyticsCustomerDoc {
  const v = subject.value;
  const clv = subject.clv ?? null;
  return {
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
    rScore: rfm?.r ?? null,
    fScore: rfm?.f ?? null,
    mScore: rfm?.m ?? null,
    rfm: rfm === null ? null : `${rfm.r}${rfm.f}${rfm.m}`,
    segment: rfm === null ? null : rfmSegment(rfm.r, rfm.f, rfm.m),
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
    ...promises,
    scoredAt: now,
  };
}
