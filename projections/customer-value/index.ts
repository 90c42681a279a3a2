import { defineReadModel } from '@rapport/projection-engine';
import { customerValueProjection, foldCustomerValue } from './customer-value.projection';
import { valueFactsOf } from './customer-value.query';

/**
 * Each customer's orders, revenue and purchase intervals: the facts the scoring job scores (`customerValueOf` in
 * `@rapport/analytics` joins them with a run's scores).
 */
export const customerValueReadModel = defineReadModel({
  projection: customerValueProjection,
  fastFold: foldCustomerValue,
  asOf: { name: 'value' },
  query: { valueFactsOf },
});
