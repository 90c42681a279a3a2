// The thread side of fitStageModelsOffThread: the quarterly P(alive) fits of one run, from buyers sent
// flat (ids, and each buyer's purchase days between two offsets), answered with the models.
import { parentPort, workerData } from 'node:worker_threads';
import type { BuyerDays } from '@rapport/projections/scoring/scoring-job';
import { fitStageModels } from './stage-models';
import type { StageModelsThreadInput } from './stage-models-off-thread';

const port = parentPort;
if (port === null) throw new Error('stage-models.thread runs as a worker thread');
const { ids, offsets, days, at } = workerData as StageModelsThreadInput;
const buyers: BuyerDays[] = ids.map((id, i) => ({ id, days: days.subarray(offsets[i], offsets[i + 1]) }));
port.postMessage(fitStageModels(buyers, at));
