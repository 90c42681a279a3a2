import { extname, join } from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { startTypeScriptThread } from '@rapport/event-store/shared/typescript-thread';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import { buyersData, type BuyersData } from './read-population';
import { modelCalendar, type CalendarModel } from './stage-models';
import type {
  PartFigures,
  PartReadRequest,
  ScoredBatch,
  ScoredPart,
  ScoringPartInput,
  ScoringPartWorker,
} from './scoring-part';

/** What the part's thread says: its customers read, a batch of documents, the end of its part, or why it failed. */
export type ScoringPartMessage =
  | { kind: 'read'; figures: PartFigures }
  | { kind: 'stage-models'; models: CalendarModel[] }
  | { kind: 'batch'; batch: ScoredBatch }
  | { kind: 'done'; part: ScoredPart }
  | { kind: 'failed'; error: string };

/** What the run says to the part's thread: read a range, score the part, or that a batch has been taken. */
export type ScoringPartRequest =
  | { kind: 'read'; request: PartReadRequest }
  | { kind: 'fit-stage-models'; buyers: BuyersData; at: AsOf }
  | { kind: 'score'; input: ScoringPartInput }
  | { kind: 'taken' };

const THREAD_FILE = join(__dirname, `scoring-part.thread${extname(__filename)}`);

/**
 * A scoring run's part worker on a thread of its own (scoring-part.thread.ts), started before the part is
 * known so that its start-up overlaps the run's read. One part per worker: at most one read, one score.
 */
export function startScoringPartThread(): ScoringPartWorker {
  const thread: Worker = startTypeScriptThread(THREAD_FILE);
  let failure: Error | null = null;
  let waiting: { resolve(message: ScoringPartMessage): void; reject(error: Error): void } | null = null;
  const fail = (error: Error): void => {
    failure ??= error;
    waiting?.reject(failure);
    waiting = null;
  };
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`scoring part: its thread exited (code ${code})`)));
  thread.on('message', (message: ScoringPartMessage) => {
    if (message.kind === 'failed') fail(new Error(`scoring part: ${message.error}`));
    else waiting?.resolve(message);
  });
  /** Posts a request; settles with the first answer `settles` accepts, the others given to `other`. */
  const ask = <T>(
    request: ScoringPartRequest,
    transfer: Array<ArrayBuffer | MessagePort>,
    settles: (m: ScoringPartMessage) => T | undefined,
    other?: (m: ScoringPartMessage) => void,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure !== null) return reject(failure);
      waiting = {
        resolve: (message) => {
          const answer = settles(message);
          if (answer === undefined) return other?.(message);
          waiting = null;
          resolve(answer);
        },
        reject,
      };
      thread.postMessage(request, transfer);
    });
  return {
    read: (request) =>
      ask({ kind: 'read', request }, [], (message) => (message.kind === 'read' ? message.figures : undefined)),
    stageModels: async (buyers, at) => {
      const flat = buyersData(buyers);
      const transfer = [flat.offsets.buffer as ArrayBuffer, flat.days.buffer as ArrayBuffer];
      const models = await ask({ kind: 'fit-stage-models', buyers: flat, at }, transfer, (message) =>
        message.kind === 'stage-models' ? message.models : undefined,
      );
      return { ...modelCalendar(models), record: models };
    },
    score: (input, onBatch) =>
      ask(
        { kind: 'score', input },
        transferablesOf(input),
        (message) => (message.kind === 'done' ? message.part : undefined),
        (message) => {
          if (message.kind !== 'batch') return;
          onBatch(message.batch).then(
            () => thread.postMessage({ kind: 'taken' } satisfies ScoringPartRequest),
            (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
          );
        },
      ),
    async stop() {
      waiting = null;
      failure ??= new Error('scoring part: stopped');
      await thread.terminate();
    },
  };
}

/** The part's typed arrays, moved to the thread rather than copied (the run keeps no use for them), and its share of the load. */
function transferablesOf(input: ScoringPartInput): Array<ArrayBuffer | MessagePort> {
  const { customers, ranks } = input;
  const arrays = [
    ...(customers === null
      ? []
      : [
          ...customers.values.numbers,
          ...customers.values.times,
          customers.values.daily,
          customers.values.dailyFrom,
          ...Object.values(customers.timelines),
        ]),
    ranks.recency,
    ranks.r,
    ranks.f,
    ranks.m,
  ];
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer)), ...(input.load ? [input.load.port] : [])];
}
