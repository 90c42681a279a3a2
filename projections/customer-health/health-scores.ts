import type { HealthBand } from '@rapport/domain';
import type { Doc } from '@rapport/read-store';
import type { CustomerHealth, HealthSignal } from './customer-health-at';

/** The collection a health pass keeps its scores in, one document per customer (replaced by each pass). */
export const HEALTH_SCORES_COLLECTION = 'customer-health-scores';

/**
 * One customer's score as a pass keeps it: the band, the score and each signal's points, small enough
 * to write for every customer each pass. The reasons with their events are answered per customer
 * (`GET /customers/:id/health`), computed again for the time asked.
 */
export interface HealthScoreDoc extends Doc {
  customerId: string;
  asOf: string;
  score: number;
  band: HealthBand;
  points: Partial<Record<HealthSignal, number>>;
  lastPurchaseAt: string | null;
  run: string | null;
  tier: string | null;
}

export function healthScoreDoc(health: CustomerHealth, run: string | null, tier: string | null): HealthScoreDoc {
  const points: Partial<Record<HealthSignal, number>> = {};
  for (const reason of health.reasons) points[reason.signal] = reason.points;
  return {
    id: health.customerId,
    customerId: health.customerId,
    asOf: health.asOf,
    score: health.score,
    band: health.band,
    points,
    lastPurchaseAt: health.lastPurchaseAt,
    run,
    tier,
  };
}

export const HEALTH_SCORES_INDEXES = [{ fields: ['band', 'score'] }, { fields: ['score'] }];
