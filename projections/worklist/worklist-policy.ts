import type { FollowUpRule } from '@rapport/domain';
import type { ValueTier } from '../customer-vocabulary';

/** How the worklist engine turns signals into follow-ups. Operators set it (WORKLIST_* variables). */
export interface WorklistPolicy {
  /** Revisit every so many days since the last contact, per value tier; 0 turns a tier's revisits off. */
  revisitDays: Record<ValueTier, number>;
  /** A promise due within this many hours gets a follow-up. */
  promiseDueSoonHours: number;
  /** A complaint step whose deadline is this close is at risk. */
  slaAtRiskHours: number;
  /** A detractor answer (NPS 0-6) younger than this many days gets a follow-up. */
  detractorWithinDays: number;
  /** Tiers whose entering decline gets a follow-up. */
  highValueTiers: ValueTier[];
  /** The team that works each tier's follow-ups, and the one for complaints. */
  teams: Record<ValueTier, string>;
  complaintTeam: string;
  /** Hours from the trigger to the follow-up's due date, per rule (promises and SLAs: their own deadline). */
  respondWithinHours: Record<Exclude<FollowUpRule, 'promise_due_soon' | 'complaint_sla_at_risk' | 'manual'>, number>;
}

export const DEFAULT_WORKLIST_POLICY: WorklistPolicy = {
  revisitDays: { A: 30, B: 90, C: 0 },
  promiseDueSoonHours: 48,
  slaAtRiskHours: 4,
  detractorWithinDays: 14,
  highValueTiers: ['A'],
  teams: { A: 'key-accounts', B: 'customer-care', C: 'customer-care' },
  complaintTeam: 'complaints',
  respondWithinHours: {
    revisit: 7 * 24,
    high_value_decline: 48,
    detractor_survey: 24,
    sentiment_drop: 48,
  },
};

export class WorklistPolicyError extends Error {
  override readonly name = 'WorklistPolicyError';
}

/** The defaults with `override` on top, validated: throws WorklistPolicyError naming the field. */
export function worklistPolicy(override: Partial<WorklistPolicy> = {}): WorklistPolicy {
  const policy: WorklistPolicy = {
    ...DEFAULT_WORKLIST_POLICY,
    ...override,
    revisitDays: { ...DEFAULT_WORKLIST_POLICY.revisitDays, ...override.revisitDays },
    teams: { ...DEFAULT_WORKLIST_POLICY.teams, ...override.teams },
    respondWithinHours: { ...DEFAULT_WORKLIST_POLICY.respondWithinHours, ...override.respondWithinHours },
  };
  const problems: string[] = [];
  for (const [tier, days] of Object.entries(policy.revisitDays)) {
    if (!['A', 'B', 'C'].includes(tier)) problems.push(`revisitDays.${tier}: unknown tier (A, B, C)`);
    if (!Number.isInteger(days) || days < 0 || days > 3650)
      problems.push(`revisitDays.${tier}: whole days from 0 (off) to 3650`);
  }
  const hours: Array<[string, number]> = [
    ['promiseDueSoonHours', policy.promiseDueSoonHours],
    ['slaAtRiskHours', policy.slaAtRiskHours],
    ['detractorWithinDays', policy.detractorWithinDays],
    ...Object.entries(policy.respondWithinHours).map(([rule, h]): [string, number] => [
      `respondWithinHours.${rule}`,
      h,
    ]),
  ];
  for (const [field, value] of hours) {
    if (!Number.isFinite(value) || value <= 0 || value > 24 * 3650)
      problems.push(`${field}: must be a positive number`);
  }
  if (problems.length > 0) throw new WorklistPolicyError(problems.join('; '));
  return policy;
}
