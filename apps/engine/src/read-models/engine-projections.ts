import { READ_MODELS, READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

/** Every read model's projection the engine runs (the registry is `@rapport/projections/read-models`). */
export const ENGINE_PROJECTIONS = READ_MODEL_PROJECTIONS;

/** Each read model's projection name, by its key in the registry. */
export const PROJECTION_NAMES = {
  customerProfile: READ_MODELS.customerProfile.name,
  customerValue: READ_MODELS.customerValue.name,
  lifecycleStage: READ_MODELS.lifecycleStage.name,
  promiseFulfilment: READ_MODELS.promiseFulfilment.name,
  sentimentTimeline: READ_MODELS.sentimentTimeline.name,
  complaintSla: READ_MODELS.complaintSla.name,
  serviceKpi: READ_MODELS.serviceKpi.name,
  customerHealth: READ_MODELS.customerHealth.name,
  worklist: READ_MODELS.worklist.name,
} as const;
