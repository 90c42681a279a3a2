import { complaintSlaProjection } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import { customerValueProjection } from '@rapport/projections/customer-value/customer-value.projection';
import { lifecycleFactsProjection } from '@rapport/projections/lifecycle-facts/lifecycle-facts.projection';
import { promiseFulfilmentProjection } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { sentimentTimelineProjection } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import type { Projection } from '../projection';

/** The read models the worker tests and the failover benchmark share out: six real projections. */
export const WORKER_PROJECTIONS: readonly Projection[] = [
  customerProfileProjection,
  customerValueProjection,
  lifecycleFactsProjection,
  promiseFulfilmentProjection,
  complaintSlaProjection,
  sentimentTimelineProjection,
];
