// The thread side of startScoringPartThread: scores the part it is sent with the run's stage models
// (rebuilt from their record), a batch at a time, into its share of the run's bulk load or, without one,
// back to the run, at most a few batches ahead of the run taking them.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { openSharedBulkLoad, type Doc } from '@rapport/read-store';
import { scorePart, type ScoredPart, type ScoringPartInput } from '@rapport/projections/scoring/scoring-part';
import type { ScoringPartMessage, ScoringPartRequest } from './scoring-part-off-thread';
import { modelCalendar, type CalendarModel } from './stage-models';

/** Documents a batch: as many as the run hands its bulk load at a time. */
const BATCH = 250;
/** Batches sent and not yet taken: enough to keep the run's load busy, few enough to bound memory. */
const AHEAD = 4;

const port = parentPort;
if (port === null) throw new Error('scoring-part.thread runs as a worker thread');
let untaken = 0;
let wake: (() => void) | null = null;

port.on('message', (request: ScoringPartRequest) => {
  if (request.kind === 'taken') {
    untaken -= 1;
    wake?.();
    wake = null;
    return;
  }
  const { input } = request;
  void scoreThePart(input).then(
    (part) => port.postMessage({ kind: 'done', part } satisfies ScoringPartMessage),
    (error: unknown) =>
      port.postMessage({
        kind: 'failed',
        error: error instanceof Error ? error.message : String(error),
      } satisfies ScoringPartMessage),
  );
});

/** Scores the part into its share of the run's load, or sends its documents back a few batches ahead. */
async function scoreThePart(input: ScoringPartInput): Promise<ScoredPart> {
  const models = Array.isArray(input.stageModels) ? (input.stageModels as CalendarModel[]) : [];
  const scored = scorePart(input, modelCalendar(models).modelAt, BATCH);
  const writer = input.load === null ? null : openSharedBulkLoad(input.load);
  for (let next = scored.next(); ; next = scored.next()) {
    if (next.done) {
      await writer?.close();
      return next.value;
    }
    if (writer !== null) await writer.write(next.value);
    else await sendBack(next.value);
  }
}

async function sendBack(docs: readonly Doc[]): Promise<void> {
  const batch = { docs: docs.map((doc) => ({ id: doc.id, json: JSON.stringify(doc) })) };
  (port as MessagePort).postMessage({ kind: 'batch', batch } satisfies ScoringPartMessage);
  untaken += 1;
  if (untaken >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
}
