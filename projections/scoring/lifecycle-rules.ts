import type { LifecycleStage, TrendDirection } from './analytics-customer';
import type { ScoringConfig } from './scoring-config';

export interface LifecycleSignals {
  orders: number;
  purchaseDays: number;
  recencyDays: number | null;
  meanInterPurchaseDays: number | null;
  trendRatio: number | null;
  trendDirection: TrendDirection;
  probabilityAlive: number | null;
}

export interface StageDecision {
  stage: LifecycleStage;
  reason: string;
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The customer's typical interval: its mean inter-purchase interval, floored, or the default below two days. */
export const typicalInterval = (s: LifecycleSignals, config: ScoringConfig): number =>
  Math.max(config.minIntervalDays, s.meanInterPurchaseDays ?? config.defaultIntervalDays);

/**
 * The lifecycle stage of the seeds (获取期 acquisition, 提升期 growth, 成熟期 maturity, 衰退期 decline,
 * 离开期 departure), plus prospect before the first purchase. First matching rule wins:
 * prospect → departure → decline → acquisition → maturity → growth.
 */
export function lifecycleStage(s: LifecycleSignals, config: ScoringConfig): StageDecision {
  if (s.orders === 0 || s.recencyDays === null) return { stage: 'prospect', reason: 'registered, no purchase yet' };
  const interval = typicalInterval(s, config);
  const lapse = s.recencyDays / interval;
  const recencyDays = s.recencyDays;
  const lapseText = (): string => `${recencyDays} days since last purchase = ${fmt(lapse)} × typical interval ${fmt(interval)} days`;
  if (s.probabilityAlive !== null && s.probabilityAlive < config.departureProbabilityAlive)
    return { stage: 'departure', reason: `probability alive ${fmt(s.probabilityAlive)} < ${fmt(config.departureProbabilityAlive)}` };
  if (lapse > config.departureIntervalFactor) return { stage: 'departure', reason: `${lapseText()} > ${fmt(config.departureIntervalFactor)}` };
  if (s.probabilityAlive !== null && s.probabilityAlive < config.declineProbabilityAlive)
    return { stage: 'decline', reason: `probability alive ${fmt(s.probabilityAlive)} < ${fmt(config.declineProbabilityAlive)}` };
  if (lapse > config.declineIntervalFactor) return { stage: 'decline', reason: `${lapseText()} > ${fmt(config.declineIntervalFactor)}` };
  if (s.purchaseDays >= 2 && s.trendRatio !== null && s.trendRatio <= -config.declineTrendDrop)
    return { stage: 'decline', reason: `value trend ${fmt(s.trendRatio * 100)}% <= -${fmt(config.declineTrendDrop * 100)}%` };
  if (s.purchaseDays < 2) return { stage: 'acquisition', reason: 'one purchase day, within its expected interval' };
  if (s.purchaseDays >= config.maturityMinPurchaseDays)
    return { stage: 'maturity', reason: `${s.purchaseDays} purchase days >= ${config.maturityMinPurchaseDays}, active` };
  return {
    stage: 'growth',
    reason: `${s.purchaseDays} purchase days (repeat buyer below ${config.maturityMinPurchaseDays}), active, trend ${s.trendDirection}`,
  };
}

export interface StageTransition {
  at: string;
  from: LifecycleStage | null;
  to: LifecycleStage;
  reason: string;
}

/** Scoring-owned stage history of one customer (collection `lifecycle-history`). */
export interface LifecycleHistory {
  id: string;
  stage: LifecycleStage;
  since: string;
  reason: string;
  transitions: StageTransition[];
}

/**
 * The history after scoring at `now`: unchanged (same object) when the stage is the same, else with a
 * transition appended (oldest dropped beyond maxTransitions).
 */
export function advanceHistory(
  previous: LifecycleHistory | null,
  customerId: string,
  decision: StageDecision,
  now: string,
  maxTransitions: number,
): LifecycleHistory {
  if (previous !== null && previous.stage === decision.stage) return previous;
  const transition: StageTransition = { at: now, from: previous?.stage ?? null, to: decision.stage, reason: decision.reason };
  const transitions = [...(previous?.transitions ?? []), transition].slice(-Math.max(1, maxTransitions));
  return { id: customerId, stage: decision.stage, since: now, reason: decision.reason, transitions };
}
