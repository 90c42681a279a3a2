import {
  healthConfig,
  HealthConfigError,
  parseNumberPairs,
  type HealthConfig,
} from '@rapport/projections/customer-health/health-config';
import {
  worklistPolicy,
  WorklistPolicyError,
  type WorklistPolicy,
} from '@rapport/projections/worklist/worklist-policy';
import type { ValueTier } from '@rapport/projections/customer-vocabulary';

/** The configuration variables the health score and the worklist read (a slice of EngineConfig). */
export interface WorklistEnv {
  HEALTH_WEIGHTS?: string;
  HEALTH_BANDS?: string;
  WORKLIST_REVISIT_DAYS?: string;
  WORKLIST_PROMISE_DUE_SOON_HOURS: number;
  WORKLIST_SLA_AT_RISK_HOURS: number;
}

export const HEALTH_CONFIG = Symbol('HEALTH_CONFIG');
export const WORKLIST_POLICY = Symbol('WORKLIST_POLICY');

/** The health configuration the environment sets; throws HealthConfigError naming the variable. */
export function healthConfigOf(env: WorklistEnv): HealthConfig {
  const weights = env.HEALTH_WEIGHTS ? parseNumberPairs('HEALTH_WEIGHTS', env.HEALTH_WEIGHTS) : {};
  const bands = env.HEALTH_BANDS ? parseNumberPairs('HEALTH_BANDS', env.HEALTH_BANDS) : {};
  const unknownBand = Object.keys(bands).find((k) => k !== 'healthy' && k !== 'watch');
  if (unknownBand) throw new HealthConfigError(`HEALTH_BANDS: unknown band ${unknownBand} (healthy, watch)`);
  try {
    return healthConfig({
      weights,
      ...(bands['healthy'] !== undefined ? { healthyFrom: bands['healthy'] } : {}),
      ...(bands['watch'] !== undefined ? { watchFrom: bands['watch'] } : {}),
    });
  } catch (error) {
    if (!(error instanceof HealthConfigError)) throw error;
    throw new HealthConfigError(
      error.message
        .replace(/weights\./g, 'HEALTH_WEIGHTS.')
        .replace(/healthyFrom/g, 'HEALTH_BANDS.healthy')
        .replace(/watchFrom/g, 'HEALTH_BANDS.watch'),
    );
  }
}

/** The worklist policy the environment sets; throws WorklistPolicyError naming the variable. */
export function worklistPolicyOf(env: WorklistEnv): WorklistPolicy {
  const revisit = env.WORKLIST_REVISIT_DAYS ? parseNumberPairs('WORKLIST_REVISIT_DAYS', env.WORKLIST_REVISIT_DAYS) : {};
  try {
    return worklistPolicy({
      revisitDays: revisit as Record<ValueTier, number>,
      promiseDueSoonHours: env.WORKLIST_PROMISE_DUE_SOON_HOURS,
      slaAtRiskHours: env.WORKLIST_SLA_AT_RISK_HOURS,
    });
  } catch (error) {
    if (!(error instanceof WorklistPolicyError)) throw error;
    throw new WorklistPolicyError(error.message.replace(/revisitDays\./g, 'WORKLIST_REVISIT_DAYS.'));
  }
}

/** Every problem of the health and worklist variables, as the engine's start-up check lists them. */
export function worklistConfigProblems(env: WorklistEnv): string[] {
  const problems: string[] = [];
  for (const check of [healthConfigOf, worklistPolicyOf]) {
    try {
      check(env);
    } catch (error) {
      if (error instanceof HealthConfigError || error instanceof WorklistPolicyError) problems.push(error.message);
      else throw error;
    }
  }
  return problems;
}
