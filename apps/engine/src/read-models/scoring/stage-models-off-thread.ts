import { extname, join } from 'node:path';
import { startTypeScriptThread } from '@rapport/event-store/shared/typescript-thread';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { BuyerDays } from '@rapport/projections/scoring/scoring-job';
import { fitStageModels, type CalendarModel } from './stage-models';

/** Buyers as a thread receives them: ids, and buyer i's days at `days[offsets[i]..offsets[i+1])`. */
export interface StageModelsThreadInput {
  ids: string[];
  offsets: Int32Array;
  days: Int32Array;
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
  const offsets = new Int32Array(buyers.length + 1);
  buyers.forEach((buyer, i) => (offsets[i + 1] = (offsets[i] as number) + buyer.days.length));
  const days = new Int32Array(offsets[buyers.length] as number);
  buyers.forEach((buyer, i) => days.set(buyer.days, offsets[i]));
  const input: StageModelsThreadInput = { ids: buyers.map((b) => b.id), offsets, days, at };
  const thread = startTypeScriptThread(THREAD_FILE, { workerData: input, transferList: [offsets.buffer, days.buffer] });
  return new Promise<CalendarModel[]>((resolve, reject) => {
    thread.once('message', (models: CalendarModel[]) => {
      resolve(models);
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`stage-model fits: the thread exited (code ${code})`)));
  });
}
