import { extname, join } from 'node:path';
import { startTypeScriptThread } from '@rapport/event-store/shared/typescript-thread';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import { buyersData, type BuyerDays, type BuyersData } from './read-population';
import { fitStageModels, type CalendarModel } from './stage-models';

/** What the thread fits on: the buyers flat, as of when. */
export interface StageModelsThreadInput {
  buyers: BuyersData;
  at: AsOf;
}

/** Buyers from which the fits move to a thread: below it, starting one costs more than it saves. */
export const STAGE_MODELS_THREAD_FROM = 20_000;
const THREAD_FILE = join(__dirname, `stage-models.thread${extname(__filename)}`);

/**
 * fitStageModels on a worker thread for a large population, so that a scoring run fits its CLV model
 * meanwhile: the same fits, the same models. The buyers are copied once, flat; the caller may drop them.
 */
export function fitStageModelsOffThread(
  buyers: readonly BuyerDays[],
  at: AsOf,
  threadFrom = STAGE_MODELS_THREAD_FROM,
): Promise<CalendarModel[]> {
  if (buyers.length < threadFrom) return Promise.resolve(fitStageModels(buyers, at));
  const input: StageModelsThreadInput = { buyers: buyersData(buyers), at };
  const transferList = [input.buyers.offsets.buffer as ArrayBuffer, input.buyers.days.buffer as ArrayBuffer];
  const thread = startTypeScriptThread(THREAD_FILE, { workerData: input, transferList });
  return new Promise<CalendarModel[]>((resolve, reject) => {
    thread.once('message', (models: CalendarModel[]) => {
      resolve(models);
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`stage-model fits: the thread exited (code ${code})`)));
  });
}
