import { defineReadModel } from '@rapport/projection-engine';
import { customerValueProjection, foldCustomerValue } from './customer-value.projection';
import { customerValueOf } from './customer-value.query';

/** Each customer's orders, revenue and purchase intervals: the facts the scoring job scores. */
export const customerValueReadModel = defineReadModel({
  projection: customerValueProjection,
  fastFold: foldCustomerValue,
  asOf: { name: 'value' },
  query: { customerValueOf },
});
