import type { LifecycleStage } from '@rapport/projections/customer-vocabulary';
import type { TrendDirection } from './analytics-customer';
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

/** The rule that decides a stage: the first that matches, in this order. */
export type StageRule =
  | 'prospect'
  | 'departure-probability-alive'
  | 'departure-lapse'
  | 'decline-probability-alive'
  | 'decline-lapse'
  | 'decline-trend'
  | 'acquisition'
  | 'maturity'
  | 'growth';

export const STAGE_OF_RULE: Readonly<Record<StageRule, LifecycleStage>> = {
  prospect: 'prospect',
  'departure-probability-alive': 'departure',
  'departure-lapse': 'departure',
  'decline-probability-alive': 'decline',
  'decline-lapse': 'decline',
  'decline-trend': 'decline',
  acquisition: 'acquisition',
  maturity: 'maturity',
  growth: 'growth',
};

/**
 * The rule deciding the lifecycle stage of the seeds (获取期 acquisition, 提升期 growth, 成熟期 maturity,
 * 衰退期 decline, 离开期 departure), plus prospect before the first purchase. First matching rule wins:
 * prospect → departure → decline → acquisition → maturity → growth. No strings: stage histories ask
 * it at every change point and word the reason only where the stage changes.
 */
export function stageRule(s: LifecycleSignals, config: ScoringConfig): StageRule {
  if (s.orders === 0 || s.recencyDays === null) return 'prospect';
  const lapse = s.recencyDays / typicalInterval(s, config);
  if (s.probabilityAlive !== null && s.probabilityAlive < config.departureProbabilityAlive)
    return 'departure-probability-alive';
  if (lapse > config.departureIntervalFactor) return 'departure-lapse';
  if (s.probabilityAlive !== null && s.probabilityAlive < config.declineProbabilityAlive)
    return 'decline-probability-alive';
  if (lapse > config.declineIntervalFactor) return 'decline-lapse';
  if (s.purchaseDays >= 2 && s.trendRatio !== null && s.trendRatio <= -config.declineTrendDrop) return 'decline-trend';
  if (s.purchaseDays < 2) return 'acquisition';
  if (s.purchaseDays >= config.maturityMinPurchaseDays) return 'maturity';
  return 'growth';
}

/**
 * Whether the value trend may turn `rule` into decline-trend: only rules past it (maturity, growth;
 * acquisition has one purchase day, which the trend rule skips). So the rule decided with the trend
 * unknown (null) is final unless this says otherwise, and the trend need not be computed.
 */
export const trendMayDecide = (rule: StageRule): boolean => rule === 'maturity' || rule === 'growth';

/** Why `rule` holds for these signals, in words. */
export function ruleReason(rule: StageRule, s: LifecycleSignals, config: ScoringConfig): string {
  const interval = typicalInterval(s, config);
  const recencyDays = s.recencyDays ?? 0;
  const lapseText = (): string =>
    `${recencyDays} days since last purchase = ${fmt(recencyDays / interval)} × typical interval ${fmt(interval)} days`;
  const alive = s.probabilityAlive ?? 0;
  switch (rule) {
    case 'prospect':
      return 'registered, no purchase yet';
    case 'departure-probability-alive':
      return `probability alive ${fmt(alive)} < ${fmt(config.departureProbabilityAlive)}`;
    case 'departure-lapse':
      return `${lapseText()} > ${fmt(config.departureIntervalFactor)}`;
    case 'decline-probability-alive':
      return `probability alive ${fmt(alive)} < ${fmt(config.declineProbabilityAlive)}`;
    case 'decline-lapse':
      return `${lapseText()} > ${fmt(config.declineIntervalFactor)}`;
    case 'decline-trend':
      return `value trend ${fmt((s.trendRatio ?? 0) * 100)}% <= -${fmt(config.declineTrendDrop * 100)}%`;
    case 'acquisition':
      return 'one purchase day, within its expected interval';
    case 'maturity':
      return `${s.purchaseDays} purchase days >= ${config.maturityMinPurchaseDays}, active`;
    case 'growth':
      return `${s.purchaseDays} purchase days (repeat buyer below ${config.maturityMinPurchaseDays}), active, trend ${s.trendDirection}`;
    default: {
      const unknown: never = rule;
      throw new Error(`lifecycle: unknown rule ${String(unknown)}`);
    }
  }
}

/** The lifecycle stage and its reason (see stageRule). */
export function lifecycleStage(s: LifecycleSignals, config: ScoringConfig): StageDecision {
  const rule = stageRule(s, config);
  return { stage: STAGE_OF_RULE[rule], reason: ruleReason(rule, s, config) };
}
