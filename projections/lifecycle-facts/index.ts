import { defineReadModel } from '@rapport/projection-engine';
import { foldLifecycleFacts, lifecycleFactsProjection } from './lifecycle-facts.projection';
import { lifecycleOf } from './lifecycle-facts.query';

/**
 * The purchase and registration facts a lifecycle stage is decided from. The stage itself depends on the
 * clock and the population: the scoring job decides it; `lifecycleOf` answers the facts with a run's stage history.
 */
export const lifecycleFactsReadModel = defineReadModel({
  projection: lifecycleFactsProjection,
  fastFold: foldLifecycleFacts,
  asOf: { name: 'lifecycle' },
  query: { lifecycleOf },
});
