import { defineReadModel } from '@rapport/projection-engine';
import { worklistProjection } from './worklist.projection';
import { followUpsOfCustomer, worklistOf } from './worklist.query';

/** One document per follow-up: an agent's or a team's worklist, and a customer's follow-ups. */
export const worklistReadModel = defineReadModel({
  projection: worklistProjection,
  query: { worklistOf, followUpsOfCustomer },
});
