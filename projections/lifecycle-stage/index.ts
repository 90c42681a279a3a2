import { defineReadModel } from '@rapport/projection-engine';
import { foldLifecycleFacts, lifecycleStageProjection } from './lifecycle-stage.projection';
import { lifecycleOf } from './lifecycle-stage.query';

export const lifecycleStageReadModel = defineReadModel({
  projection: lifecycleStageProjection,
  fastFold: foldLifecycleFacts,
  asOf: { name: 'lifecycle' },
  query: { lifecycleOf },
});
