import { DEFAULT_DUE_SOON_HOURS } from '@rapport/projections/promise-fulfilment/promise-deadlines';

/** Thresholds of the clock- and population-dependent scores. Defaults are documented in docs/read-models.md. */
export interface ScoringConfig {
  /** Share of net revenue tier A customers make together (80/20 rule). */
  tierAShare: number;
  /** Cumulative share where tier B ends (A + B). */
  tierBShare: number;
  /** Length of the value-trend windows, in days. */
  trendWindowDays: number;
  /** |trend ratio| within this band reads as flat. */
  trendFlatBand: number;
  /** Typical interval assumed for customers with fewer than two purchase days. */
  defaultIntervalDays: number;
  /** Floor of a customer's typical interval, so bursts of daily purchases do not lapse in days. */
  minIntervalDays: number;
  /** Decline once recency exceeds this many typical intervals. */
  declineIntervalFactor: number;
  /** Departure once recency exceeds this many typical intervals. */
  departureIntervalFactor: number;
  /** Decline when the value trend falls by at least this share (repeat customers only). */
  declineTrendDrop: number;
  /** Maturity from this many distinct purchase days. */
  maturityMinPurchaseDays: number;
  /** Decline below this probability alive (when a CLV fit is given). */
  declineProbabilityAlive: number;
  /** Departure below this probability alive (when a CLV fit is given). */
  departureProbabilityAlive: number;
  /** Open promises due within this many hours are due soon. */
  dueSoonHours: number;
  /** Stage transitions kept per customer (oldest dropped). */
  maxTransitions: number;
}

export const DEFAULT_SCORING_CONFIG: ScoringConfig = {
  tierAShare: 0.8,
  tierBShare: 0.95,
  trendWindowDays: 90,
  trendFlatBand: 0.1,
  defaultIntervalDays: 90,
  minIntervalDays: 7,
  declineIntervalFactor: 2,
  departureIntervalFactor: 4,
  declineTrendDrop: 0.5,
  maturityMinPurchaseDays: 5,
  declineProbabilityAlive: 0.5,
  departureProbabilityAlive: 0.1,
  dueSoonHours: DEFAULT_DUE_SOON_HOURS,
  maxTransitions: 50,
};

/** Merges overrides onto the defaults and checks every field; throws naming the field and the rule. */
export function scoringConfig(overrides: Partial<ScoringConfig> = {}): ScoringConfig {
  const config = { ...DEFAULT_SCORING_CONFIG, ...overrides };
  const fail = (field: keyof ScoringConfig, rule: string): never => {
    throw new RangeError(`scoring config: ${field} ${rule} (got ${String(config[field])})`);
  };
  for (const [field, value] of Object.entries(config) as Array<[keyof ScoringConfig, number]>) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(field, 'must be a finite number >= 0');
  }
  const share = (field: keyof ScoringConfig) =>
    config[field] > 0 && config[field] <= 1 ? undefined : fail(field, 'must be in (0, 1]');
  share('tierAShare');
  share('tierBShare');
  if (config.tierBShare < config.tierAShare) fail('tierBShare', 'must be >= tierAShare');
  if (config.trendWindowDays < 1) fail('trendWindowDays', 'must be >= 1');
  if (config.minIntervalDays < 1) fail('minIntervalDays', 'must be >= 1');
  if (config.departureIntervalFactor < config.declineIntervalFactor)
    fail('departureIntervalFactor', 'must be >= declineIntervalFactor');
  if (config.departureProbabilityAlive > config.declineProbabilityAlive)
    fail('departureProbabilityAlive', 'must be <= declineProbabilityAlive');
  if (config.maturityMinPurchaseDays < 2) fail('maturityMinPurchaseDays', 'must be >= 2');
  return config;
}
