import { extname, join } from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { startTypeScriptThread } from '@rapport/event-store/shared/typescript-thread';
import type {
  ScoredBatch,
  ScoredPart,
  ScoringPartInput,
  ScoringPartWorker,
} from '@rapport/projections/scoring/scoring-part';

/** What the part's thread says: a batch of documents, the end of its part, or why it failed. */
export type ScoringPartMessage =
  { kind: 'batch'; batch: ScoredBatch } | { kind: 'done'; part: ScoredPart } | { kind: 'failed'; error: string };

/** What the run says to the part's thread: the part to score, or that a batch has been taken. */
export type ScoringPartRequest = { kind: 'score'; input: ScoringPartInput } | { kind: 'taken' };

const THREAD_FILE = join(__dirname, `scoring-part.thread${extname(__filename)}`);

/**
 * A scoring run's part worker on a thread of its own (scoring-part.thread.ts), started before the part is
 * known so that its start-up overlaps the run's read. One part per worker.
 */
export function startScoringPartThread(): ScoringPartWorker {
  const thread: Worker = startTypeScriptThread(THREAD_FILE);
  let failure: Error | null = null;
  let fail: (error: Error) => void = (error) => (failure ??= error);
  thread.on('error', (error) => fail(error));
  thread.on('exit', (code) => fail(new Error(`scoring part: its thread exited (code ${code})`)));
  return {
    score(input, onBatch) {
      return new Promise<ScoredPart>((resolve, reject) => {
        if (failure !== null) return reject(failure);
        fail = (error) => reject((failure ??= error));
        thread.on('message', (message: ScoringPartMessage) => {
          if (message.kind === 'done') resolve(message.part);
          else if (message.kind === 'failed') fail(new Error(`scoring part: ${message.error}`));
          else
            onBatch(message.batch).then(
              () => thread.postMessage({ kind: 'taken' } satisfies ScoringPartRequest),
              (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
            );
        });
        thread.postMessage({ kind: 'score', input } satisfies ScoringPartRequest, transferablesOf(input));
      });
    },
    async stop() {
      fail = () => undefined;
      await thread.terminate();
    },
  };
}

/** The part's typed arrays, moved to the thread rather than copied (the run keeps no use for them), and its share of the load. */
function transferablesOf(input: ScoringPartInput): Array<ArrayBuffer | MessagePort> {
  const { values, timelines, predictions, ranks } = input;
  const arrays = [
    ...values.numbers,
    ...values.times,
    values.daily,
    values.dailyFrom,
    ...Object.values(timelines),
    ...(predictions ? [predictions.values] : []),
    ranks.recency,
    ranks.r,
    ranks.f,
    ranks.m,
  ];
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer)), ...(input.load ? [input.load.port] : [])];
}
