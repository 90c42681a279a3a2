// A customer's lifecycle-stage history in business time, derived from its customer-value facts alone.
// Pure: no clock, no I/O; the same facts, times, config and models give the same history.
import type { AsOf } from '../customer-value/customer-value-as-of';
import { REVENUE_WINDOW_DAYS, type CustomerValueDoc } from '../customer-value/customer-value.projection';
import type { LifecycleStage } from './analytics-customer';
import {
  lifecycleStage,
  typicalInterval,
  type LifecycleHistory,
  type LifecycleSignals,
  type StageDecision,
  type StageTransition,
} from './lifecycle-rules';
import type { ScoringConfig } from './scoring-config';
import { valueTrend } from './value-trend';

const DAY = 86_400_000;

/** The BG/NBD summary of a customer at a day, in days, as `clvSummaryOf` computes it. */
export interface StageModelSummary {
  /** Distinct purchase days − 1. */
  frequency: number;
  /** Last purchase day − first purchase day (0 without repeat). */
  recency: number;
  /** The day − first purchase day. */
  T: number;
}

/**
 * P(alive) of a summary under one fitted model. Must not rise as T grows with frequency and recency
 * fixed (BG/NBD's does not): crossings of the P(alive) thresholds are found by bisection over days.
 */
export type StageModel = (summary: StageModelSummary) => number;

/** The model in force at a moment of business time (fitted on what had occurred by then); null: none. */
export type StageModelAt = (ms: number) => StageModel | null;

/** A money fact visible at the history's time, in business-time order. */
interface MoneyFact {
  ms: number;
  day: number;
  /** Net revenue of the day changes by this much (refunds negative). */
  amount: number;
  purchase: boolean;
}

/** Running signals of a sweep through business time: the facts applied so far. */
interface SweepState {
  orders: number;
  purchaseDays: number;
  firstDay: number;
  lastDay: number;
  lastMs: number;
  /** [epoch day, net revenue], ascending; entries before `dailyFrom` are past the kept horizon. */
  daily: Array<[number, number]>;
  dailyFrom: number;
  latestActivityDay: number;
}

const roundMoney = (amount: number): number => Math.round(amount * 100) / 100;

/** The smallest whole number of days k with k / interval > factor: the day recency first exceeds it. */
function lapseDays(interval: number, factor: number): number {
  let k = Math.floor(factor * interval) + 1;
  while (k > 0 && (k - 1) / interval > factor) k -= 1;
  while (!(k / interval > factor)) k += 1;
  return k;
}

function apply(state: SweepState, fact: MoneyFact): void {
  if (fact.purchase) {
    state.orders += 1;
    if (state.purchaseDays === 0) state.firstDay = fact.day;
    if (state.purchaseDays === 0 || fact.day !== state.lastDay) state.purchaseDays += 1; // days arrive ascending
    state.lastDay = fact.day;
    state.lastMs = fact.ms;
  }
  const daily = state.daily;
  const last = daily[daily.length - 1];
  if (last !== undefined && last[0] === fact.day)
    daily[daily.length - 1] = [fact.day, roundMoney(last[1] + fact.amount)];
  else daily.push([fact.day, roundMoney(fact.amount)]);
  state.latestActivityDay = fact.day;
  // The document keeps days within REVENUE_WINDOW_DAYS of its latest activity; so does the sweep.
  while ((daily[state.dailyFrom] as [number, number])[0] <= fact.day - REVENUE_WINDOW_DAYS) state.dailyFrom += 1;
}

/** P(alive) at `ms` under `model`, or null before the first purchase or without a model. */
function probabilityAliveAt(state: SweepState, model: StageModel | null, day: number): number | null {
  if (model === null || state.purchaseDays === 0) return null;
  const T = day - state.firstDay;
  const frequency = state.purchaseDays - 1;
  return model({ frequency, recency: frequency === 0 ? 0 : Math.min(T, state.lastDay - state.firstDay), T });
}

/** The P(alive) band a value falls in: 0 above decline, 1 decline, 2 departure. */
const band = (p: number | null, config: ScoringConfig): number =>
  p === null ? 0 : p < config.departureProbabilityAlive ? 2 : p < config.declineProbabilityAlive ? 1 : 0;

/**
 * The lifecycle signals a scoring run as of `ms` computes (score.ts) from the facts applied so far.
 * `wholeDaily`: the trend windows cannot reach past the kept horizon, so no day needs cutting.
 */
function signalsAt(
  state: SweepState,
  ms: number,
  config: ScoringConfig,
  model: StageModel | null,
  wholeDaily: boolean,
): LifecycleSignals {
  const day = Math.floor(ms / DAY);
  const daily = wholeDaily || state.dailyFrom === 0 ? state.daily : state.daily.slice(state.dailyFrom);
  const trend = valueTrend(daily, day, config.trendWindowDays, config.trendFlatBand);
  return {
    orders: state.orders,
    purchaseDays: state.purchaseDays,
    recencyDays: state.orders === 0 ? null : Math.max(0, Math.floor((ms - state.lastMs) / DAY)),
    meanInterPurchaseDays: state.purchaseDays >= 2 ? (state.lastDay - state.firstDay) / (state.purchaseDays - 1) : null,
    trendRatio: trend.ratio,
    trendDirection: trend.direction,
    probabilityAlive: probabilityAliveAt(state, model, day),
  };
}

/**
 * The first midnight in (fromMs, toMs) at which P(alive) under `model` leaves the band it is in at
 * `fromMs`, or null. With frequency and recency fixed P(alive) only falls as T grows, so the band only
 * rises: one evaluation at the last midnight rules most intervals out, bisection finds the day.
 */
function bandCrossing(
  state: SweepState,
  model: StageModel,
  fromMs: number,
  toMs: number,
  config: ScoringConfig,
): number | null {
  if (state.purchaseDays === 0) return null;
  let lo = Math.floor(fromMs / DAY); // band at lo is the current one
  let hi = Math.ceil(toMs / DAY) - 1; // last midnight before toMs
  if (hi <= lo) return null;
  const from = band(probabilityAliveAt(state, model, lo), config);
  if (band(probabilityAliveAt(state, model, hi), config) === from) return null;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (band(probabilityAliveAt(state, model, mid), config) === from) lo = mid;
    else hi = mid;
  }
  return hi * DAY;
}

/** Ascending distinct times in (fromMs, toMs]. */
function sortedTimes(times: number[], fromMs: number, toMs: number): Float64Array {
  const kept = Float64Array.from(times.filter((t) => t > fromMs && t <= toMs)).sort();
  let n = 0;
  for (let i = 0; i < kept.length; i += 1) if (n === 0 || kept[i] !== kept[n - 1]) kept[n++] = kept[i] as number;
  return kept.subarray(0, n);
}

/**
 * A customer's lifecycle-stage history up to `until`, from its facts alone: every fact that had
 * occurred by `until.asOfMs` (and was recorded by `until.knownAtMs`) is folded in business-time order.
 * The stage at any moment t is `lifecycleStage` of the signals a scoring run as of t computes, with
 * P(alive) from `modelAt(t)` (the model in force then) on the BG/NBD summary at t. Each transition is
 * dated at the first moment its rule held: a purchase or refund at its occurredAt, a lapse at the
 * millisecond recency (whole days) first exceeds its threshold, a trend window at the midnight a day
 * enters or leaves it, a P(alive) threshold at the first midnight the model in force falls below it, a
 * model change at its time. The stage is evaluated only at those change points, never by scanning days.
 *
 * `modelChanges` lists the times at which `modelAt` may return another model (`until` always counts as
 * one); without it `modelAt` is asked at every change point and assumed to hold until the next. `reason` is why the customer is in
 * its stage at `until`; each transition keeps why it entered. Null when nothing had occurred by then.
 */
export function stageHistory(
  doc: CustomerValueDoc,
  until: AsOf,
  config: ScoringConfig,
  modelAt: StageModelAt = () => null,
  modelChanges?: readonly number[],
): LifecycleHistory | null {
  const knownAtMs = until.knownAtMs ?? Number.POSITIVE_INFINITY;
  const money: MoneyFact[] = [];
  let startMs = Number.POSITIVE_INFINITY;
  for (const fact of doc.facts) {
    const ms = Date.parse(fact[1]);
    if (!(ms <= until.asOfMs) || !(Date.parse(fact[2]) <= knownAtMs)) continue;
    if (ms < startMs) startMs = ms;
    if (fact[0] === 'purchase') money.push({ ms, day: Math.floor(ms / DAY), amount: fact[3], purchase: true });
    else if (fact[0] === 'refund') money.push({ ms, day: Math.floor(ms / DAY), amount: -fact[3], purchase: false });
  }
  if (startMs === Number.POSITIVE_INFINITY) return null;
  money.sort((a, b) => a.ms - b.ms); // stable: stream order within one moment

  // Change points known in advance: facts, trend-window days, model changes; lapses and P(alive) come as found.
  const W = config.trendWindowDays;
  const fixed: number[] = [until.asOfMs];
  for (const fact of money) fixed.push(fact.ms, (fact.day + W) * DAY, (fact.day + 2 * W) * DAY);
  if (modelChanges) for (const t of modelChanges) fixed.push(t);
  const points = sortedTimes(fixed, startMs, until.asOfMs);
  // The model at `until` may be the run's own fit: asked afresh there too.
  const changes = modelChanges
    ? sortedTimes([...modelChanges, until.asOfMs], Number.NEGATIVE_INFINITY, until.asOfMs)
    : null;

  const state: SweepState = {
    orders: 0,
    purchaseDays: 0,
    firstDay: 0,
    lastDay: 0,
    lastMs: 0,
    daily: [],
    dailyFrom: 0,
    latestActivityDay: 0,
  };
  const wholeDaily = 2 * W <= REVENUE_WINDOW_DAYS;
  const transitions: StageTransition[] = [];
  let stage: LifecycleStage | null = null;
  let decision: StageDecision | null = null;
  let model: StageModel | null = null;
  let modelUntil = Number.NEGATIVE_INFINITY; // the cached model holds below this time
  let nextChange = 0;
  let nextFact = 0;
  let nextPoint = 0;
  let lapseDecline = Number.POSITIVE_INFINITY;
  let lapseDeparture = Number.POSITIVE_INFINITY;

  for (let t = startMs; ;) {
    let purchased = false;
    while (nextFact < money.length && (money[nextFact] as MoneyFact).ms <= t) {
      const fact = money[nextFact++] as MoneyFact;
      apply(state, fact);
      purchased ||= fact.purchase;
    }
    if (changes === null) model = modelAt(t);
    else if (t >= modelUntil) {
      while (nextChange < changes.length && (changes[nextChange] as number) <= t) nextChange += 1;
      model = modelAt(t);
      modelUntil = nextChange < changes.length ? (changes[nextChange] as number) : Number.POSITIVE_INFINITY;
    }
    const signals = signalsAt(state, t, config, model, wholeDaily);
    decision = lifecycleStage(signals, config);
    if (purchased) {
      const interval = typicalInterval(signals, config);
      lapseDecline = state.lastMs + lapseDays(interval, config.declineIntervalFactor) * DAY;
      lapseDeparture = state.lastMs + lapseDays(interval, config.departureIntervalFactor) * DAY;
    }
    if (decision.stage !== stage) {
      transitions.push({ at: new Date(t).toISOString(), from: stage, to: decision.stage, reason: decision.reason });
      stage = decision.stage;
    }

    while (nextPoint < points.length && (points[nextPoint] as number) <= t) nextPoint += 1;
    let next = nextPoint < points.length ? (points[nextPoint] as number) : Number.POSITIVE_INFINITY;
    if (lapseDecline > t && lapseDecline < next) next = lapseDecline;
    if (lapseDeparture > t && lapseDeparture < next) next = lapseDeparture;
    if (model !== null) {
      const crossing = bandCrossing(state, model, t, Math.min(next, until.asOfMs + 1), config);
      if (crossing !== null) next = crossing;
    }
    if (!(next <= until.asOfMs)) break;
    t = next;
  }

  const final = decision as StageDecision;
  const kept =
    transitions.length > config.maxTransitions ? transitions.slice(-Math.max(1, config.maxTransitions)) : transitions;
  return {
    id: doc.customerId,
    stage: final.stage,
    since: (transitions[transitions.length - 1] as StageTransition).at,
    reason: final.reason,
    transitions: kept,
  };
}
