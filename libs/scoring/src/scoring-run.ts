import type { Doc } from '@rapport/read-store';
import type { AgentPromiseRates } from '@rapport/projections/promise-fulfilment/promise-deadlines';
import type { SegmentSummary } from './score';
import type { ScoringConfig } from './scoring-config';

/** Who asked for a run: an API key's owner, or the engine's scheduler. */
export interface RunActor {
  id: string;
  role: string;
}

export type ScoringRunTrigger = 'scheduled' | 'on-demand';
export type ScoringRunStatus = 'running' | 'succeeded' | 'failed';

/** Population counts of one run, as of its as-of time. */
export interface RunPopulation {
  /** Customers with at least one fact by the as-of time (the scored population). */
  customers: number;
  /** Customers with at least one purchase. */
  buyers: number;
  /** Customers with purchases on two or more days. */
  repeatBuyers: number;
  /** Customers whose stage history gained a transition dated in the run's last 30 days. */
  recentStageChanges: number;
}

/**
 * One scoring run, kept as a record: runs never overwrite each other. Its customers are written to a
 * collection of their own (`customers`); results of old scheduled runs may be pruned, the record stays.
 */
export interface ScoringRunRecord extends Doc {
  /** `run-000042`: ids sort in the order runs started. */
  id: string;
  run: number;
  /** Business time the scores are true at. */
  asOf: string;
  /** Recording time: only what Rapport had recorded by then was used. */
  knownAt: string;
  trigger: ScoringRunTrigger;
  ranBy: RunActor;
  startedAt: string;
  finishedAt: string | null;
  status: ScoringRunStatus;
  error: string | null;
  /** Collection holding this run's scored customers; null once pruned. */
  customers: string | null;
  population: RunPopulation | null;
  segments: SegmentSummary | null;
  agents: AgentPromiseRates[] | null;
  /** The CLV fit of the run (its parameters, status, errors), as the engine's predictor reported it. */
  clvModel: unknown;
  /** The P(alive) models the stage histories used over business time (quarterly fits, point in time). */
  stageModels: unknown;
  /** The thresholds the run scored with. */
  config: ScoringConfig;
  durationMs: number | null;
  /** Milliseconds per phase: read, clv, stageModels, score (stage histories within), write (what the bulk load had left). */
  phases: Record<string, number> | null;
}

export const SCORING_RUNS_COLLECTION = 'scoring-runs';
export const ANALYTICS_CUSTOMERS_PREFIX = 'analytics-customers_';

export const runId = (run: number): string => `run-${String(run).padStart(6, '0')}`;
/** What `runId` writes: the one rule every route that names a run checks. */
export const RUN_ID_PATTERN = /^run-\d{6,}$/;
export const runCustomersCollection = (id: string): string => `${ANALYTICS_CUSTOMERS_PREFIX}${id}`;
