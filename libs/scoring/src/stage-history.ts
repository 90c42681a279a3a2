// A customer's lifecycle-stage history in business time, derived from its customer-value facts alone.
// Pure: no clock, no I/O; the same facts, times, config and models give the same history.
import { DAY_MS } from '@rapport/domain';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import {
  REVENUE_WINDOW_DAYS,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import { roundMoney } from '@rapport/projections/customer-value/purchase-history';
import type { LifecycleStage } from '@rapport/projections/customer-vocabulary';
import type { LifecycleHistory, StageTransition } from '@rapport/projections/lifecycle-facts/lifecycle-history';
import {
  ruleReason,
  STAGE_OF_RULE,
  stageRule,
  trendMayDecide,
  typicalInterval,
  type LifecycleSignals,
  type StageRule,
} from './lifecycle-rules';
import type { ScoringConfig } from './scoring-config';
import { valueTrend } from './value-trend';
import { isoOf } from '@rapport/projections/customer-value/iso-time';
import { stageTimeline, type MoneyColumns, type StageTimeline } from './stage-timeline';

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
 * fixed (BG/NBD's does not): crossings of the P(alive) thresholds are found by bisection over days,
 * started from `ageBelow` when the model has it in closed form (BG/NBD's ProbabilityAliveModel).
 */
export interface StageModel {
  (summary: StageModelSummary): number;
  /** The age beyond which P(alive) < p, frequency (> 0) and recency fixed: a guess the bisection confirms. */
  ageBelow?(frequency: number, recency: number, p: number): number;
}

/** The model in force at a moment of business time (fitted on what had occurred by then); null: none. */
export type StageModelAt = (ms: number) => StageModel | null;

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
}

/** The smallest whole number of days k with k / interval > factor: the day recency first exceeds it. */
function lapseDays(interval: number, factor: number): number {
  let k = Math.floor(factor * interval) + 1;
  while (k > 0 && (k - 1) / interval > factor) k -= 1;
  while (!(k / interval > factor)) k += 1;
  return k;
}

/** Applies the money fact at `i`. */
function apply(state: SweepState, money: MoneyColumns, i: number): void {
  const ms = money.ms[i] as number;
  const day = Math.floor(ms / DAY_MS);
  const amount = money.amount[i] as number;
  if (money.purchase[i] === 1) {
    state.orders += 1;
    if (state.purchaseDays === 0) state.firstDay = day;
    if (state.purchaseDays === 0 || day !== state.lastDay) state.purchaseDays += 1; // days arrive ascending
    state.lastDay = day;
    state.lastMs = ms;
  }
  const daily = state.daily;
  const last = daily[daily.length - 1];
  if (last !== undefined && last[0] === day) daily[daily.length - 1] = [day, roundMoney(last[1] + amount)];
  else daily.push([day, roundMoney(amount)]);
  // The document keeps days within REVENUE_WINDOW_DAYS of its latest activity; so does the sweep.
  while ((daily[state.dailyFrom] as [number, number])[0] <= day - REVENUE_WINDOW_DAYS) state.dailyFrom += 1;
}

/**
 * valueTrend's ratio on `day` over the kept days, summed as it sums them (ascending, the same adds),
 * without the rest: the run of days in the two windows is at the end of the ascending daily array.
 */
function trendRatioOn(state: SweepState, day: number, windowDays: number): number | null {
  const daily = state.daily;
  let i = daily.length;
  while (i > state.dailyFrom && day - (daily[i - 1] as [number, number])[0] < 2 * windowDays) i -= 1;
  let last = 0;
  let prev = 0;
  for (; i < daily.length; i += 1) {
    const entry = daily[i] as [number, number];
    if (day - entry[0] < windowDays) last += entry[1];
    else prev += entry[1];
  }
  const revenuePrev = roundMoney(prev);
  return revenuePrev > 0 ? roundMoney(roundMoney(last) - revenuePrev) / revenuePrev : null;
}

/** P(alive) on `day` under `model` (clvSummaryOf's summary), or null before the first purchase or without a model. */
function probabilityAliveOn(state: SweepState, model: StageModel | null, day: number): number | null {
  if (model === null || state.purchaseDays === 0) return null;
  const T = day - state.firstDay;
  const frequency = state.purchaseDays - 1;
  return model({ frequency, recency: frequency === 0 ? 0 : Math.min(T, state.lastDay - state.firstDay), T });
}

/** The P(alive) band a value falls in: 0 above decline, 1 decline, 2 departure. */
const band = (p: number | null, config: ScoringConfig): number =>
  p === null ? 0 : p < config.departureProbabilityAlive ? 2 : p < config.declineProbabilityAlive ? 1 : 0;

/**
 * The first midnight in (fromMs, toMs] at which P(alive) under `model` leaves `from`, the band it is
 * in at `fromMs`, or null. With frequency and recency fixed P(alive) only falls as T grows, so the band only
 * rises: one evaluation at the last midnight rules most intervals out. Asked at every change point when
 * there is no list of model changes.
 */
function bandCrossing(
  state: SweepState,
  model: StageModel,
  from: number,
  fromMs: number,
  toMs: number,
  config: ScoringConfig,
): number | null {
  const lo = Math.floor(fromMs / DAY_MS); // the band on lo is `from`
  const hi = Math.floor(toMs / DAY_MS); // the last midnight at or before toMs
  if (hi <= lo) return null;
  if (band(probabilityAliveOn(state, model, hi), config) === from) return null;
  return firstDayInBand(state, model, from + 1, lo, hi, config) * DAY_MS;
}

/**
 * The first midnight in (fromMs, toMs] on which P(alive) under `model` is in band `level` or above,
 * or INF; `fromBand` is the band at `fromMs`, `toBand` the band on toMs's day.
 */
function levelCrossing(
  state: SweepState,
  model: StageModel,
  level: number,
  fromBand: number,
  fromMs: number,
  toMs: number,
  toBand: number,
  config: ScoringConfig,
): number {
  const lo = Math.floor(fromMs / DAY_MS);
  const hi = Math.floor(toMs / DAY_MS);
  if (fromBand >= level || toBand < level || hi <= lo) return INF;
  return firstDayInBand(state, model, level, lo, hi, config) * DAY_MS;
}

/**
 * The first day in (lo, hi] in band `level` or above, lo's band being below it and hi's not. Bisection
 * over days, narrowed first to the day the model's closed form names (`ageBelow`): two evaluations
 * instead of eight, and the same day, since each step asks the model itself.
 */
function firstDayInBand(
  state: SweepState,
  model: StageModel,
  level: number,
  lo: number,
  hi: number,
  config: ScoringConfig,
): number {
  const inBand = (day: number): boolean => band(probabilityAliveOn(state, model, day), config) >= level;
  if (model.ageBelow !== undefined && state.purchaseDays > 1) {
    const p = level >= 2 ? config.departureProbabilityAlive : config.declineProbabilityAlive;
    const age = model.ageBelow(state.purchaseDays - 1, state.lastDay - state.firstDay, p);
    const guess = state.firstDay + Math.floor(age) + 1;
    if (Number.isFinite(guess))
      for (const day of [guess - 1, guess])
        if (day > lo && day < hi) {
          if (inBand(day)) hi = day;
          else lo = day;
        }
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (inBand(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

const NO_MODEL: StageModelAt = () => null;
const INF = Number.POSITIVE_INFINITY;

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
 * `modelChanges` lists the times at which `modelAt` may return another model (`until` always counts
 * as one); without it `modelAt` is asked at every change point and assumed to hold until the next.
 * `reason` is why the customer is in its stage at `until`; each transition keeps why it entered. The
 * latest `config.maxTransitions` transitions are kept. Null when nothing had occurred by then.
 */
export function stageHistory(
  doc: CustomerValueDoc,
  until: AsOf,
  config: ScoringConfig,
  modelAt: StageModelAt = NO_MODEL,
  modelChanges?: readonly number[],
): LifecycleHistory | null {
  const timeline = stageTimeline(doc, until);
  return timeline === null ? null : stageHistoryOf(doc.customerId, timeline, until, config, modelAt, modelChanges);
}

/**
 * `stageHistory` from a customer's timeline (see stageTimeline). Without `keepTransitions` it words no
 * transition: only the stage, its since and its reason at `until`, what a scoring run keeps.
 */
export function stageHistoryOf(
  customerId: string,
  { startMs, money, from: first, to: end }: StageTimeline,
  until: AsOf,
  config: ScoringConfig,
  modelAt: StageModelAt = NO_MODEL,
  modelChanges?: readonly number[],
  keepTransitions = true,
): LifecycleHistory {
  const asOfMs = until.asOfMs;
  // Without a model nothing changes with it; with one and no list, it is asked at every point.
  let changes = modelChanges ?? (modelAt === NO_MODEL ? [] : null);
  if (changes !== null && changes.some((c, i) => i > 0 && c < (changes as readonly number[])[i - 1]!))
    changes = [...changes].sort((a, b) => a - b);

  const W = config.trendWindowDays;
  const state: SweepState = { orders: 0, purchaseDays: 0, firstDay: 0, lastDay: 0, lastMs: 0, daily: [], dailyFrom: 0 };
  const signals: LifecycleSignals = {
    orders: 0,
    purchaseDays: 0,
    recencyDays: null,
    meanInterPurchaseDays: null,
    trendRatio: null,
    trendDirection: 'flat',
    probabilityAlive: null,
  };
  const atMs: number[] = [];
  const stages: LifecycleStage[] = [];
  const reasons: string[] = [];
  let rule: StageRule = 'prospect';
  let model: StageModel | null = null;
  // Cursors of the change-point streams: facts, the two trend-window edges, model changes.
  const { ms, purchase } = money;
  const dayOf = (i: number): number => Math.floor((ms[i] as number) / DAY_MS);
  let nextFact = first;
  let enters = first; // (day + W) · DAY_MS: a day leaves the later window for the earlier one
  let leaves = first; // (day + 2W) · DAY_MS: a day leaves the earlier window
  let nextChange = 0;
  let lapseDecline = INF;
  let lapseDeparture = INF;
  let trendOnly = false;
  let finalReason = '';
  let bandNow = 0; // the P(alive) band at the last point: constant until a crossing or a new model
  // With a list of model changes, P(alive) crossings are found once per stretch without purchase or
  // model change (a segment): the first midnights it falls into the decline and departure bands.
  let declineAt = INF;
  let departureAt = INF;

  for (let t = startMs; ;) {
    let purchased = false;
    while (nextFact < end && (ms[nextFact] as number) <= t) {
      apply(state, money, nextFact);
      purchased ||= purchase[nextFact] === 1;
      nextFact += 1;
    }
    while (enters < end && (dayOf(enters) + W) * DAY_MS <= t) enters += 1;
    while (leaves < end && (dayOf(leaves) + 2 * W) * DAY_MS <= t) leaves += 1;
    let modelChanged = changes === null || t === startMs || t === asOfMs;
    if (changes !== null)
      while (nextChange < changes.length && (changes[nextChange] as number) <= t) {
        nextChange += 1;
        modelChanged = true;
      }
    if (modelChanged) model = modelAt(t);

    // A window edge alone moves only the trend: skip it unless the trend rule can decide.
    if (!(trendOnly && (state.purchaseDays < 2 || !(trendMayDecide(rule) || rule === 'decline-trend')))) {
      const day = Math.floor(t / DAY_MS);
      signals.orders = state.orders;
      signals.purchaseDays = state.purchaseDays;
      signals.recencyDays = state.orders === 0 ? null : Math.max(0, Math.floor((t - state.lastMs) / DAY_MS));
      signals.meanInterPurchaseDays =
        state.purchaseDays >= 2 ? (state.lastDay - state.firstDay) / (state.purchaseDays - 1) : null;
      signals.probabilityAlive = probabilityAliveOn(state, model, day);
      signals.trendRatio = null;
      signals.trendDirection = 'flat';
      rule = stageRule(signals, config);
      if (trendMayDecide(rule)) {
        signals.trendRatio = trendRatioOn(state, day, W);
        rule = stageRule(signals, config);
      }
      bandNow = band(signals.probabilityAlive, config);
      const stage = STAGE_OF_RULE[rule];
      const entered = stage !== stages[stages.length - 1];
      // Words cost more than rules: only for a kept transition, and for the stage at `until`.
      if ((entered && keepTransitions) || t === asOfMs) {
        if (rule === 'growth') {
          const daily = state.dailyFrom === 0 ? state.daily : state.daily.slice(state.dailyFrom);
          signals.trendDirection = valueTrend(daily, day, W, config.trendFlatBand).direction;
        }
        const reason = ruleReason(rule, signals, config);
        if (entered) reasons.push(reason);
        if (t === asOfMs) finalReason = reason;
      }
      if (entered) {
        atMs.push(t);
        stages.push(stage);
      }
      if (changes !== null && (purchased || modelChanged)) {
        declineAt = INF;
        departureAt = INF;
        if (model !== null && state.purchaseDays > 0) {
          let segmentEnd = Math.min(asOfMs, nextChange < changes.length ? (changes[nextChange] as number) : INF);
          for (let i = nextFact; i < end; i += 1)
            if (purchase[i] === 1) {
              segmentEnd = Math.min(segmentEnd, ms[i] as number);
              break;
            }
          const endBand = band(probabilityAliveOn(state, model, Math.floor(segmentEnd / DAY_MS)), config);
          declineAt = levelCrossing(state, model, 1, bandNow, t, segmentEnd, endBand, config);
          departureAt = levelCrossing(state, model, 2, bandNow, t, segmentEnd, endBand, config);
        }
      }
      if (purchased) {
        const interval = typicalInterval(signals, config);
        lapseDecline = state.lastMs + lapseDays(interval, config.declineIntervalFactor) * DAY_MS;
        lapseDeparture = state.lastMs + lapseDays(interval, config.departureIntervalFactor) * DAY_MS;
      }
    }
    if (t === asOfMs) break;

    // The next change point: the earliest of every stream's next, and of the lapses still ahead.
    const factAt = nextFact < end ? (ms[nextFact] as number) : INF;
    const edgeAt = Math.min(
      enters < end ? (dayOf(enters) + W) * DAY_MS : INF,
      leaves < end ? (dayOf(leaves) + 2 * W) * DAY_MS : INF,
    );
    let next = Math.min(factAt, edgeAt, asOfMs);
    if (changes !== null && nextChange < changes.length) next = Math.min(next, changes[nextChange] as number);
    if (lapseDecline > t) next = Math.min(next, lapseDecline);
    if (lapseDeparture > t) next = Math.min(next, lapseDeparture);
    let crossing: number | null = null;
    if (declineAt > t) next = Math.min(next, declineAt);
    if (departureAt > t) next = Math.min(next, departureAt);
    if (
      changes === null &&
      model !== null &&
      state.purchaseDays > 0 &&
      rule !== 'departure-lapse' &&
      rule !== 'departure-probability-alive'
    ) {
      crossing = bandCrossing(state, model, bandNow, t, next, config);
      if (crossing !== null) next = crossing;
    }
    // Only with a list of model changes: without one, the model may change at any point.
    trendOnly =
      next === edgeAt &&
      next !== factAt &&
      next !== asOfMs &&
      next !== lapseDecline &&
      next !== lapseDeparture &&
      next !== declineAt &&
      next !== departureAt &&
      changes !== null &&
      next !== changes[nextChange];
    t = next;
  }

  const n = atMs.length;
  if (!keepTransitions) {
    const stage = stages[n - 1] as LifecycleStage;
    return { id: customerId, stage, since: isoOf(atMs[n - 1] as number), reason: finalReason, transitions: [] };
  }
  const from = Math.max(0, n - Math.max(1, config.maxTransitions));
  const transitions: StageTransition[] = [];
  for (let i = from; i < n; i += 1)
    transitions.push({
      at: isoOf(atMs[i] as number),
      from: i === 0 ? null : (stages[i - 1] as LifecycleStage),
      to: stages[i] as LifecycleStage,
      reason: reasons[i] as string,
    });
  const last = transitions[transitions.length - 1] as StageTransition;
  return { id: customerId, stage: last.to, since: last.at, reason: finalReason, transitions };
}

/** P(alive) models over business time: the one in force at a moment, and the moments it changes. */
export interface ModelCalendar {
  modelAt: StageModelAt;
  changes: readonly number[];
}

export const NO_MODELS: ModelCalendar = { modelAt: () => null, changes: [] };

/**
 * The models a run's stage histories use: the run's own fit (the customer's P(alive) in it) at the
 * run's as-of time, and before it the calendar's models. The run and the lifecycle query both use it,
 * so the history a query derives is the one the run scored.
 */
export function withRunModel(calendar: StageModelAt, asOfMs: number, probabilityAlive: number | null): StageModelAt {
  if (probabilityAlive === null) return calendar;
  const own: StageModel = () => probabilityAlive;
  return (ms) => (ms >= asOfMs ? own : calendar(ms));
}
