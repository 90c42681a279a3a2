import { defineReadModel } from '@rapport/projection-engine';
import { complaintSlaProjection } from './complaint-sla.projection';
import { complaintSlaOf, findComplaintSla } from './complaint-sla.query';

/** Every complaint of a customer with its steps, waits and recorded breaches; deadlines come from the policy at query time. */
export const complaintSlaReadModel = defineReadModel({
  projection: complaintSlaProjection,
  asOf: { name: 'complaints' },
  query: { complaintSlaOf, findComplaintSla },
});
