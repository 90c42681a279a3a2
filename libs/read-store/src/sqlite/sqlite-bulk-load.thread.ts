// The thread side of SqliteBulkLoad: its own connection to the store's file, running the load's insert
// over each batch it is sent (one transaction a batch) and the index statements at the end; batches may
// also come from other threads, through ports of shares of the load (SqliteBulkLoad.shareWithThread).
import Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { BulkLoadReply, BulkLoadRequest, BulkLoadThreadPlan, BulkLoadValue } from './sqlite-bulk-load.protocol';

const plan = workerData as BulkLoadThreadPlan;
const port = parentPort;
if (port === null) throw new Error('sqlite-bulk-load.thread runs as a worker thread');

const db = new Database(plan.filename);
db.pragma('busy_timeout = 5000');
db.pragma(`synchronous = ${plan.synchronous}`);
const insert = db.prepare(plan.insertSql);
const insertJson = db.prepare(plan.insertJsonSql);
// A batch's rows come as one flat array (`width` values a row): one clone, not one per row.
const insertAll = db.transaction((width: number, values: BulkLoadValue[]) => {
  for (let i = 0; i < values.length; i += width) insert.run(values.slice(i, i + width));
});
const insertAllJson = db.transaction((values: BulkLoadValue[]) => {
  for (let i = 0; i < values.length; i += 3)
    insertJson.run({ id: values[i], doc: values[i + 1], position: values[i + 2] });
});

/** Answers each request `on` sends (rows, indexes, the end), and serves the ports of shares it is handed. */
function serve(on: MessagePort): void {
  on.on('message', (request: BulkLoadRequest) => {
    let reply: BulkLoadReply;
    try {
      if (request.kind === 'rows') insertAll(request.width, request.values);
      else if (request.kind === 'json-rows') insertAllJson(request.values);
      else if (request.kind === 'exec') for (const sql of request.statements) db.exec(sql);
      else if (request.kind === 'attach') serve(request.port);
      else db.close();
      reply = { seq: request.seq, error: null };
    } catch (error) {
      reply = { seq: request.seq, error: error instanceof Error ? error.message : String(error) };
    }
    on.postMessage(reply);
    if (request.kind === 'close') on.close();
  });
}

serve(port);
