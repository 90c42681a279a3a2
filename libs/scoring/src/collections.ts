import { customerValueProjection } from '@rapport/projections/customer-value/customer-value.projection';
import { lifecycleFactsProjection } from '@rapport/projections/lifecycle-facts/lifecycle-facts.projection';
import { promiseFulfilmentProjection } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { sentimentTimelineProjection } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';

/**
 * Physical collection names the scoring job and the analyst queries read and write. The engine may
 * serve a projection from a versioned collection; it passes the live names in.
 */
export interface CollectionNames {
  customerValue: string;
  lifecycleStage: string;
  promiseFulfilment: string;
  sentimentTimeline: string;
  /** Written by the scoring job: one denormalised document per customer. */
  analyticsCustomers: string;
}

/** Each read model's own name (its unversioned collection), and the job's own output. */
export const DEFAULT_COLLECTIONS: CollectionNames = {
  customerValue: customerValueProjection.name,
  lifecycleStage: lifecycleFactsProjection.name,
  promiseFulfilment: promiseFulfilmentProjection.name,
  sentimentTimeline: sentimentTimelineProjection.name,
  analyticsCustomers: 'analytics-customers',
};

export const withCollections = (names?: Partial<CollectionNames>): CollectionNames => ({
  ...DEFAULT_COLLECTIONS,
  ...names,
});
