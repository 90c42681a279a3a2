import type { LifecycleStage } from '../customer-vocabulary';

/** One change of stage, dated in business time, with the rule's reason in words. */
export interface StageTransition {
  at: string;
  from: LifecycleStage | null;
  to: LifecycleStage;
  reason: string;
}

/**
 * One customer's stage history as a scoring run derived it from these facts (the scoring job writes it,
 * collection `lifecycle-history`; `lifecycleOf` answers the facts with it).
 */
export interface LifecycleHistory {
  id: string;
  stage: LifecycleStage;
  since: string;
  reason: string;
  transitions: StageTransition[];
}
