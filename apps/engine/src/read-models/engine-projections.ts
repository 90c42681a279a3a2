import type { Projection } from '@rapport/projection-engine';
import { complaintSlaProjection } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import { customerHealthProjection } from '@rapport/projections/customer-health/customer-health.projection';
import { customerProfileProjection } from '@rapport/projections/customer-profile/customer-profile.projection';
import { customerValueProjection } from '@rapport/projections/customer-value/customer-value.projection';
import { lifecycleStageProjection } from '@rapport/projections/lifecycle-stage/lifecycle-stage.projection';
import { promiseFulfilmentProjection } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { sentimentTimelineProjection } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import { worklistProjection } from '@rapport/projections/worklist/worklist.projection';
import { serviceKpiProjection } from '@rapport/projections/service-kpi/service-kpi.projection';

/** Every read model the engine runs, by name. */
export const ENGINE_PROJECTIONS: readonly Projection[] = [
  customerProfileProjection as unknown as Projection,
  customerValueProjection as unknown as Projection,
  lifecycleStageProjection as unknown as Projection,
  promiseFulfilmentProjection as unknown as Projection,
  sentimentTimelineProjection as unknown as Projection,
  complaintSlaProjection as unknown as Projection,
  serviceKpiProjection as unknown as Projection,
  customerHealthProjection as unknown as Projection,
  worklistProjection as unknown as Projection,
];

export const PROJECTION_NAMES = {
  customerProfile: customerProfileProjection.name,
  customerValue: customerValueProjection.name,
  lifecycleStage: lifecycleStageProjection.name,
  promiseFulfilment: promiseFulfilmentProjection.name,
  sentimentTimeline: sentimentTimelineProjection.name,
  complaintSla: complaintSlaProjection.name,
  serviceKpi: serviceKpiProjection.name,
  customerHealth: customerHealthProjection.name,
  worklist: worklistProjection.name,
} as const;
