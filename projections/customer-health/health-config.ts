// Weights and thresholds of the customer health score. Every weight is the most points its signal can
// take off (or, for the promoter bonus, add to) a perfect 100. Operators set them through the engine's
// configuration (HEALTH_WEIGHTS, HEALTH_BANDS); `healthConfig` validates a partial override.

export interface HealthWeights {
  /** Days since the last purchase against the customer's own typical interval: full weight at 3×. */
  recency: number;
  /** (1 − P(alive)) × weight, from the scoring run. */
  probabilityAlive: number;
  /** Revenue of the last 90 days below the 90 before: weight × the relative drop. */
  valueTrend: number;
  /** Each promise broken within the lookback. */
  brokenPromise: number;
  /** Each open promise past its due date. */
  overduePromise: number;
  /** The most promises can take off together. */
  promisesCap: number;
  /** Each open complaint. */
  openComplaint: number;
  /** Each SLA breach within the lookback. */
  breachedComplaint: number;
  complaintsCap: number;
  /** The last sentiment moment, when negative: weight × its distance below 0 (−1 takes all). */
  sentimentEnd: number;
  /** The sentiment drop alert holds. */
  sentimentDrop: number;
  /** The latest NPS answer within the lookback is 0-6. */
  npsDetractor: number;
  /** The latest NPS answer within the lookback is 9-10 (added). */
  npsPromoter: number;
}

export interface HealthConfig {
  weights: HealthWeights;
  /** Score at or above which a customer is healthy; at or above `watchFrom` (and below) watch; below, at risk. */
  healthyFrom: number;
  watchFrom: number;
  /** How far back broken promises, breaches and NPS answers count. */
  lookbackDays: number;
  /** The typical interval of a customer with fewer than two purchase days. */
  defaultIntervalDays: number;
}

export const DEFAULT_HEALTH_WEIGHTS: HealthWeights = {
  recency: 25,
  probabilityAlive: 20,
  valueTrend: 10,
  brokenPromise: 8,
  overduePromise: 6,
  promisesCap: 20,
  openComplaint: 5,
  breachedComplaint: 8,
  complaintsCap: 20,
  sentimentEnd: 10,
  sentimentDrop: 8,
  npsDetractor: 12,
  npsPromoter: 5,
};

export const DEFAULT_HEALTH_CONFIG: HealthConfig = {
  weights: DEFAULT_HEALTH_WEIGHTS,
  healthyFrom: 70,
  watchFrom: 40,
  lookbackDays: 180,
  defaultIntervalDays: 60,
};

export class HealthConfigError extends Error {
  override readonly name = 'HealthConfigError';
}

/** A validated configuration: the defaults with `override` on top. Throws HealthConfigError naming the field. */
export function healthConfig(
  override: { weights?: Partial<HealthWeights> } & Partial<Omit<HealthConfig, 'weights'>> = {},
): HealthConfig {
  const weights = { ...DEFAULT_HEALTH_WEIGHTS, ...override.weights };
  const config: HealthConfig = { ...DEFAULT_HEALTH_CONFIG, ...override, weights };
  const problems: string[] = [];
  for (const key of Object.keys(override.weights ?? {})) {
    if (!(key in DEFAULT_HEALTH_WEIGHTS))
      problems.push(`weights.${key}: unknown weight (known: ${Object.keys(DEFAULT_HEALTH_WEIGHTS).join(', ')})`);
  }
  for (const [key, value] of Object.entries(weights)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      problems.push(`weights.${key}: must be a number from 0 to 100, got ${JSON.stringify(value)}`);
    }
  }
  const inRange = (field: 'healthyFrom' | 'watchFrom', value: number) =>
    Number.isFinite(value) && value > 0 && value <= 100 ? null : `${field}: must be a number above 0 and at most 100`;
  for (const problem of [inRange('healthyFrom', config.healthyFrom), inRange('watchFrom', config.watchFrom)]) {
    if (problem) problems.push(problem);
  }
  if (!(config.watchFrom < config.healthyFrom))
    problems.push(`watchFrom (${config.watchFrom}) must be below healthyFrom (${config.healthyFrom})`);
  for (const field of ['lookbackDays', 'defaultIntervalDays'] as const) {
    if (!Number.isInteger(config[field]) || config[field] < 1 || config[field] > 3650)
      problems.push(`${field}: must be a whole number of days from 1 to 3650`);
  }
  if (problems.length > 0) throw new HealthConfigError(problems.join('; '));
  return config;
}

/** Parses `key:number,key:number` (the environment's form of weights and band thresholds). */
export function parseNumberPairs(field: string, text: string): Record<string, number> {
  const pairs: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z]+)\s*:\s*(-?\d+(\.\d+)?)$/.exec(part);
    if (!match) throw new HealthConfigError(`${field}: "${part}" is not key:number`);
    pairs[match[1]!] = Number(match[2]);
  }
  return pairs;
}
