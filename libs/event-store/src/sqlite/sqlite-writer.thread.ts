// The writer thread of SqliteEventStore: owns the connection that appends, so the fsync of each
// commit waits here instead of on the event loop. Requests that arrive while a commit runs are
// committed together by the next one (group commit); each is answered only after its COMMIT.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { configureWriter, SqliteAppendTransaction } from './sqlite-append-transaction';
import {
  fromWireJson,
  toWireError,
  toWireOutcome,
  type WriteReply,
  type WriteRequest,
  type WriterPlan,
} from './sqlite-writer-protocol';

const port: MessagePort | null = parentPort;
if (port === null) throw new Error('sqlite-writer.thread runs as a worker thread');
const plan = workerData as WriterPlan;

const db = new Database(plan.path);
configureWriter(db, plan);
const transaction = new SqliteAppendTransaction(db);

let queue: WriteRequest[] = [];
let scheduled = false;
let closing = false;

function take(message: unknown): void {
  if (message === 'close') closing = true;
  else queue.push(message as WriteRequest);
}

function flush(): void {
  scheduled = false;
  // Requests already waiting on the port join this transaction.
  for (let next = receiveMessageOnPort(port!); next; next = receiveMessageOnPort(port!)) take(next.message);
  const requests = queue;
  queue = [];
  if (requests.length > 0) port!.postMessage(commit(requests));
  if (closing) {
    db.close();
    port!.close();
  }
}

function commit(requests: WriteRequest[]): WriteReply {
  const ids = requests.map((request) => request.id);
  const started = process.hrtime.bigint();
  const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const batch = requests.flatMap((request) => fromWireJson(request.json));
    const outcomes = transaction.run(batch).map(toWireOutcome);
    return { ids, outcomes, seconds: seconds() };
  } catch (failure) {
    return { ids, failure: toWireError(failure), seconds: seconds() };
  }
}

port.on('message', (message: unknown) => {
  take(message);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
