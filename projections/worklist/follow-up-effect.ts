import { DAY_MS, type FollowUpRule } from '@rapport/domain';
import { customerHealthAt, type HealthInputs } from '../customer-health/customer-health-at';
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from '../customer-health/health-config';
import type { FollowUpDoc } from './worklist.projection';

export interface EffectGroup {
  /** Follow-ups (triggers) in the group. */
  count: number;
  /** Mean health when the follow-up was scheduled, and `horizonDays` later. */
  before: number | null;
  after: number | null;
  /** Mean of after − before. */
  change: number | null;
}

export interface RuleEffect {
  rule: FollowUpRule;
  horizonDays: number;
  /** Completed within the horizon. */
  followedUp: EffectGroup;
  /** Same trigger, not completed within the horizon (dismissed or left open). */
  notFollowedUp: EffectGroup;
  /** followedUp.change − notFollowedUp.change (difference in differences); null without both groups. */
  effect: number | null;
  /** Series for a chart: per week after scheduling, the mean health of each group. */
  weekly: Array<{ week: number; followedUp: number | null; notFollowedUp: number | null }>;
}

/**
 * Per rule, the health of customers whose follow-up was completed within `horizonDays` against those
 * of the same trigger whose follow-up was not (the comparable group: flagged for the same reason at the
 * same kind of moment), before (at scheduling) and after (horizon later). Only follow-ups whose horizon
 * has passed by `nowMs` count. Health here is the event-based score (P(alive) left out: scoring runs are
 * not kept for every past date).
 */
export function followUpEffect(
  followUps: Iterable<FollowUpDoc>,
  inputsOf: (customerId: string) => HealthInputs | null,
  nowMs: number,
  horizonDays = 30,
  config: HealthConfig = DEFAULT_HEALTH_CONFIG,
): RuleEffect[] {
  const horizon = horizonDays * DAY_MS;
  const weeks = Math.max(1, Math.ceil(horizonDays / 7));
  const acc = new Map<FollowUpRule, { treated: number[][]; control: number[][] }>();
  for (const f of followUps) {
    const start = Date.parse(f.scheduledAt);
    if (start + horizon > nowMs) continue;
    const inputs = inputsOf(f.customerId);
    if (!inputs) continue;
    const series: number[] = [];
    for (let week = 0; week <= weeks; week += 1) {
      const health = customerHealthAt(inputs, Math.min(start + week * 7 * DAY_MS, start + horizon), nowMs, config);
      if (!health) break;
      series.push(health.score);
    }
    if (series.length !== weeks + 1) continue;
    const treated = f.status === 'completed' && f.closedAt !== null && Date.parse(f.closedAt) <= start + horizon;
    const groups = acc.get(f.rule) ?? { treated: [], control: [] };
    (treated ? groups.treated : groups.control).push(series);
    acc.set(f.rule, groups);
  }
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, { treated, control }]) => {
      const followedUp = group(treated);
      const notFollowedUp = group(control);
      return {
        rule,
        horizonDays,
        followedUp,
        notFollowedUp,
        effect:
          followedUp.change !== null && notFollowedUp.change !== null
            ? round1(followedUp.change - notFollowedUp.change)
            : null,
        weekly: Array.from({ length: weeks + 1 }, (_, week) => ({
          week,
          followedUp: mean(treated.map((s) => s[week]!)),
          notFollowedUp: mean(control.map((s) => s[week]!)),
        })),
      };
    });
}

function group(series: number[][]): EffectGroup {
  const before = mean(series.map((s) => s[0]!));
  const after = mean(series.map((s) => s[s.length - 1]!));
  return {
    count: series.length,
    before,
    after,
    change: before !== null && after !== null ? round1(after - before) : null,
  };
}

const mean = (xs: number[]): number | null =>
  xs.length === 0 ? null : round1(xs.reduce((a, b) => a + b, 0) / xs.length);
const round1 = (x: number): number => Math.round(x * 10) / 10;
