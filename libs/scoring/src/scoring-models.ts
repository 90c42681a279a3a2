import type { ScoringJobOptions } from './scoring-job';
import { fitClvModels, predictClvWith, withFailures, type ClvFit } from './clv-model';
import { modelCalendar } from './stage-models';
import { fitStageModelsOffThread } from './stage-models-off-thread';
import { startScoringPartThread } from './scoring-part-off-thread';

/**
 * The models a scoring run uses, point in time: the BG/NBD + Gamma-Gamma fit as of the run's as-of
 * time, and the quarterly P(alive) fits the stage histories use before it; and the thread a large run
 * scores part of its customers on. Shared by the engine's
 * scoring service and the tests that hold a run on the full store equal to one on a cut store.
 */
export function scoringModels(
  warn: (message: string) => void = () => undefined,
): Required<Pick<ScoringJobOptions, 'clv' | 'stageModels' | 'scoringPart'>> {
  return {
    clv: {
      fit: (values, asOf) => {
        const fit = fitClvModels(values, asOf);
        if (fit.record.errors.length > 0) warn(`CLV fit as of ${asOf}: ${fit.record.errors.join('; ')}`);
        return fit;
      },
      predict: (fit, values, asOf) => predictClvWith(fit as ClvFit, values, asOf),
      record: (fit, failures) => withFailures((fit as ClvFit).record, failures),
    },
    stageModels: async (buyers, at) => {
      const models = await fitStageModelsOffThread(buyers, at);
      return { ...modelCalendar(models), record: models };
    },
    scoringPart: startScoringPartThread,
  };
}
