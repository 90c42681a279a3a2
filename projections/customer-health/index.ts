import { defineReadModel } from '@rapport/projection-engine';
import { customerHealthProjection } from './customer-health.projection';
import { healthFactsOf } from './customer-health.query';

/** Each customer's health signals as dated facts, scored as of any time by the health watcher. */
export const customerHealthReadModel = defineReadModel({
  projection: customerHealthProjection,
  query: { healthFactsOf },
});
