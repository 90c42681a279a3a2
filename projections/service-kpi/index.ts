import { defineReadModel } from '@rapport/projection-engine';
import { kpiFactsOf } from './kpi-source';
import { serviceKpiProjection } from './service-kpi.projection';

/** Each customer's service facts (touchpoints, outcomes, times) the KPI and cohort reports are computed from. */
export const serviceKpiReadModel = defineReadModel({
  projection: serviceKpiProjection,
  query: { kpiFactsOf },
});
