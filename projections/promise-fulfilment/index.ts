import { defineReadModel } from '@rapport/projection-engine';
import { promiseFulfilmentProjection } from './promise-fulfilment.projection';
import { promisesOf } from './promise-fulfilment.query';

/** Every promise of a customer with its deadline and outcome; the descriptions stay sealed. */
export const promiseFulfilmentReadModel = defineReadModel({
  projection: promiseFulfilmentProjection,
  reveal: (doc, sealed) => sealed.open(doc),
  asOf: { name: 'promises' },
  query: { promisesOf },
});
