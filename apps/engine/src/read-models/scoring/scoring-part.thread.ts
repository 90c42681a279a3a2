// The thread side of startScoringPartThread: scores the part it is sent with the run's stage models
// (rebuilt from their record), a batch at a time, at most a few batches ahead of the run taking them.
import { parentPort } from 'node:worker_threads';
import { scorePart } from '@rapport/projections/scoring/scoring-part';
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
  const send = (message: ScoringPartMessage): void => port.postMessage(message);
  void (async () => {
    try {
      const models = Array.isArray(input.stageModels) ? (input.stageModels as CalendarModel[]) : [];
      const scored = scorePart(input, modelCalendar(models).modelAt, BATCH);
      for (let next = scored.next(); ; next = scored.next()) {
        if (next.done) return send({ kind: 'done', part: next.value });
        send({ kind: 'batch', batch: next.value });
        untaken += 1;
        if (untaken >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
      }
    } catch (error) {
      send({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
