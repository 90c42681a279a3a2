// The thread side of startScoringPartThread: reads its range of customers from its own connection when
// asked, then scores its part with the run's stage models (rebuilt from their record), a batch at a time,
// into its share of the run's bulk load or, without one, back to the run, a few batches ahead of it.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { openSharedBulkLoad, type Doc } from '@rapport/read-store';
import { openSharedReadStore } from '@rapport/read-store/sqlite';
import { asOfTimes } from '@rapport/projections/customer-value/customer-value-as-of';
import { buyersOf, readPopulationPart, type BuyersData, type PopulationPart } from './read-population';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import {
  partFigures,
  scorePart,
  type PartFigures,
  type PartReadRequest,
  type ScoredPart,
  type ScoringPartInput,
} from './scoring-part';
import type { ScoringPartMessage, ScoringPartRequest } from './scoring-part-off-thread';
import { fitStageModels, modelCalendar, type CalendarModel } from './stage-models';
import { collectGarbage } from './collect-garbage';
import { predictClvWith, type ClvFit } from './clv-model';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';

/** Documents a batch: as many as the run hands its bulk load at a time. */
const BATCH = 250;
/** Batches sent and not yet taken: enough to keep the run's load busy, few enough to bound memory. */
const AHEAD = 4;

/** Documents between two asked-for collections, and the heap from which one is worth it (as the run's own). */
const GC_EVERY = 50_000;
const THREAD_GC_FROM = 128 * 1024 * 1024;
const FITTED_GC_FROM = 32 * 1024 * 1024;

const port = parentPort as MessagePort;
if (parentPort === null) throw new Error('scoring-part.thread runs as a worker thread');
let held: PopulationPart | null = null;
let scoredCount = 0;
let untaken = 0;
let wake: (() => void) | null = null;

port.on('message', (request: ScoringPartRequest) => {
  if (request.kind === 'taken') {
    untaken -= 1;
    wake?.();
    wake = null;
    return;
  }
  const work: Promise<ScoringPartMessage> =
    request.kind === 'read'
      ? readThePart(request.request).then((figures) => ({ kind: 'read', figures }))
      : request.kind === 'fit-stage-models'
        ? Promise.resolve().then(() => fitTheStageModels(request.buyers, request.at))
        : scoreThePart(request.input).then((part) => ({ kind: 'done', part }));
  work.then(
    (message) => port.postMessage(message, message.kind === 'read' ? transferablesOf(message.figures) : []),
    (error: unknown) =>
      port.postMessage({
        kind: 'failed',
        error: error instanceof Error ? error.message : String(error),
      } satisfies ScoringPartMessage),
  );
});

/** Reads the part's customers from the store the share opens, and keeps them for scoring. */
async function readThePart(request: PartReadRequest): Promise<PartFigures> {
  const store = openSharedReadStore(request.store);
  try {
    const at = asOfTimes(request.asOf, request.knownAt);
    held = await readPopulationPart({ ...request, store, at });
    collectGarbage(THREAD_GC_FROM); // the pages read are garbage now, in this thread's own heap
    return partFigures(held);
  } finally {
    await store.close();
  }
}

/** The run's stage models, fitted here while the run fits its CLV models. */
function fitTheStageModels(buyers: BuyersData, at: AsOf): ScoringPartMessage {
  const models = fitStageModels(buyersOf(buyers), at);
  // The fits' working data is garbage now, before the part's customers come: collected from a small heap.
  collectGarbage(FITTED_GC_FROM);
  return { kind: 'stage-models', models };
}

/** Scores the part into its share of the run's load, or sends its documents back a few batches ahead. */
async function scoreThePart(input: ScoringPartInput): Promise<ScoredPart> {
  const models = Array.isArray(input.stageModels) ? (input.stageModels as CalendarModel[]) : [];
  const fit = input.clvFit as ClvFit | null;
  const predict =
    fit === null
      ? null
      : (values: Iterable<CustomerValueDoc>) => {
          const predicted = predictClvWith(fit, values, input.asOf);
          collectGarbage(THREAD_GC_FROM); // the fit's working data is garbage now
          return predicted;
        };
  const scored = scorePart(input, held, { modelAt: modelCalendar(models).modelAt, predict }, BATCH);
  held = null;
  const writer = input.load === null ? null : openSharedBulkLoad(input.load);
  for (let next = scored.next(); ; next = scored.next()) {
    if (next.done) {
      await writer?.close();
      return next.value;
    }
    if (writer !== null) await writer.write(next.value);
    else await sendBack(next.value);
    scoredCount += next.value.length;
    if (scoredCount % GC_EVERY < next.value.length) collectGarbage(THREAD_GC_FROM);
  }
}

async function sendBack(docs: readonly Doc[]): Promise<void> {
  const batch = { docs: docs.map((doc) => ({ id: doc.id, json: JSON.stringify(doc) })) };
  port.postMessage({ kind: 'batch', batch } satisfies ScoringPartMessage);
  untaken += 1;
  if (untaken >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
}

const transferablesOf = ({ values, buyers }: PartFigures): ArrayBuffer[] => [
  ...new Set(
    [...values.numbers, ...values.times, values.daily, values.dailyFrom, buyers.offsets, buyers.days].map(
      (array) => array.buffer as ArrayBuffer,
    ),
  ),
];
