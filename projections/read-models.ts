import type { AsOfEntry, Projection, ReadModel } from '@rapport/projection-engine';
import { complaintSlaReadModel } from './complaint-sla';
import { customerHealthReadModel } from './customer-health';
import { customerProfileReadModel } from './customer-profile';
import { customerValueReadModel } from './customer-value';
import { lifecycleFactsReadModel } from './lifecycle-facts';
import { promiseFulfilmentReadModel } from './promise-fulfilment';
import { sentimentTimelineReadModel } from './sentiment-timeline';
import { serviceKpiReadModel } from './service-kpi';
import { worklistReadModel } from './worklist';

/**
 * Every read model Rapport runs, the one registry, keyed by its projection's name (camel case): the
 * projection runner, rebuilds (engine and CLI), the replay-twice suite and the as-of replay all take
 * theirs from here. A folder added here is run, rebuilt, tested for idempotency and, when it declares
 * `asOf`, part of every as-of state.
 */
export const READ_MODELS = {
  customerProfile: customerProfileReadModel,
  customerValue: customerValueReadModel,
  lifecycleStage: lifecycleFactsReadModel,
  promiseFulfilment: promiseFulfilmentReadModel,
  sentimentTimeline: sentimentTimelineReadModel,
  complaintSla: complaintSlaReadModel,
  serviceKpi: serviceKpiReadModel,
  customerHealth: customerHealthReadModel,
  worklist: worklistReadModel,
} as const satisfies Readonly<Record<string, ReadModel>>;

/** The registry as a list, in the order above. */
export const READ_MODEL_LIST: readonly ReadModel[] = Object.values(READ_MODELS);

/** Their projections, for the runner and rebuilds. */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = READ_MODEL_LIST.map((model) => model.projection);

/** The per-customer read models an as-of state replays, in the order above. */
export const AS_OF_READ_MODELS: ReadonlyArray<ReadModel & { readonly asOf: AsOfEntry }> = READ_MODEL_LIST.filter(
  (model): model is ReadModel & { readonly asOf: AsOfEntry } => model.asOf !== null,
);
