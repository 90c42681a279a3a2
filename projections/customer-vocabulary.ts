// The words for a customer's lifecycle stage and value tier. The scoring job decides both from the read
// models' facts; the read models speak them too (the lifecycle view, the worklist's triggers and policy),
// so they live here, below the job, owned by no one read model.

export type LifecycleStage = 'prospect' | 'acquisition' | 'growth' | 'maturity' | 'decline' | 'departure';
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  'prospect',
  'acquisition',
  'growth',
  'maturity',
  'decline',
  'departure',
];

export type ValueTier = 'A' | 'B' | 'C';
export const VALUE_TIERS: readonly ValueTier[] = ['A', 'B', 'C'];
