import { extname, join } from 'node:path';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { startTypeScriptThread } from '@rapport/event-store/shared/typescript-thread';
import type { BulkLoad, BulkLoadShare, Doc, SerialisedDoc } from '../read-store.port';
import type {
  BulkLoadReply,
  BulkLoadRequest,
  BulkLoadThreadPlan,
  BulkLoadValue,
  BulkLoadWork,
} from './sqlite-bulk-load.protocol';
import { BulkLoadReplies } from './bulk-load-replies';
import { encodeRows } from './sqlite-bulk-load-writer';

export interface SqliteBulkLoadPlan extends BulkLoadThreadPlan {
  collection: string;
  position: number;
  /** The collection's field columns, in the insert's order. */
  fields: readonly string[];
  /** The collection's index statements, run once the rows are in. */
  indexSql: string[];
  /** Documents written on the caller's thread before a thread takes over: small loads never start one. */
  threadFrom: number;
  /** The caller's thread's own way to load (the store's commits), for the first `threadFrom` documents. */
  inline: BulkLoad;
}

const THREAD_FILE = join(__dirname, `sqlite-bulk-load.thread${extname(__filename)}`);

/**
 * A bulk load on SQLite that moves to a worker thread with its own connection once it is large: the
 * caller's thread only serialises documents while the thread inserts them and builds the indexes.
 * WAL lets the store's other readers and writers go on meanwhile (each batch is a short transaction).
 */
export class SqliteBulkLoad implements BulkLoad {
  private thread: Worker | null = null;
  private written = 0;
  private readonly replies: BulkLoadReplies;

  constructor(private readonly plan: SqliteBulkLoadPlan) {
    this.replies = new BulkLoadReplies((error) => new Error(`bulk load into ${plan.collection}: ${error}`));
  }

  async write(docs: readonly Doc[]): Promise<void> {
    await this.assertUsable();
    if (docs.length === 0) return;
    if (this.inline(docs.length)) return this.plan.inline.write(docs);
    const { position, fields } = this.plan;
    await this.queue({ kind: 'rows', width: 3 + fields.length, values: encodeRows(docs, fields, position) });
  }

  /** A port into this load's thread (started now if it was not) for another thread's rows: openSharedBulkLoad. */
  async shareWithThread(): Promise<BulkLoadShare> {
    await this.assertUsable();
    const { port1, port2 } = new MessageChannel();
    // Not awaited: rows posted meanwhile wait on the port until the thread (maybe still starting) serves it.
    this.replies.track(this.send({ kind: 'attach', port: port2 }, [port2]));
    return { port: port1, fields: this.plan.fields, position: this.plan.position };
  }

  async writeSerialised(docs: readonly SerialisedDoc[]): Promise<void> {
    await this.assertUsable();
    if (docs.length === 0) return;
    if (this.inline(docs.length)) return this.plan.inline.writeSerialised(docs);
    // SQLite reads the field columns from the text itself (json_extract, which columnValue mirrors).
    const values: BulkLoadValue[] = [];
    for (const { id, json } of docs) values.push(id, json, this.plan.position);
    await this.queue({ kind: 'json-rows', values });
  }

  /** Whether `count` more documents stay on the caller's thread (a small load never starts one). */
  private inline(count: number): boolean {
    const stays = this.thread === null && this.written + count <= this.plan.threadFrom;
    this.written += count;
    return stays;
  }

  private async queue(work: BulkLoadWork): Promise<void> {
    await this.replies.throttle(this.send(work));
    await this.assertUsable();
  }

  async finish(): Promise<void> {
    await this.assertUsable();
    if (this.thread === null) return this.plan.inline.finish();
    // Indexes once the rows are in: sorted in one pass, several times cheaper than kept up row by row
    // (which at 400,000 documents costs the thread more than the whole run).
    await this.send({ kind: 'exec', statements: this.plan.indexSql });
    await this.replies.drain();
    if (this.replies.failure === null) await this.send({ kind: 'close' });
    await this.stopThread();
    await this.assertUsable();
  }

  async abort(): Promise<void> {
    this.replies.fail(new Error(`bulk load into ${this.plan.collection} was aborted`));
    await this.plan.inline.abort();
    await this.stopThread();
  }

  /** Throws the load's failure, once its thread is stopped (a failed load keeps no thread). */
  private async assertUsable(): Promise<void> {
    const { failure } = this.replies;
    if (failure === null) return;
    await this.stopThread();
    throw failure;
  }

  private async stopThread(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    // A batch cut off mid-transaction is rolled back when the thread's connection goes.
    await thread?.terminate();
  }

  /** Sends one request; settles when the thread answers (a failure is kept, not thrown, so none goes unhandled). */
  private send(work: BulkLoadWork, transfer: MessagePort[] = []): Promise<void> {
    const thread = (this.thread ??= this.start());
    const { seq, replied } = this.replies.expect();
    thread.postMessage({ ...work, seq } satisfies BulkLoadRequest, transfer);
    // The reply's promise holds nothing of the work (a batch's rows kept until its reply would outlive
    // young-generation collections, and pile up in the old one).
    return replied;
  }

  private start(): Worker {
    const { filename, synchronous, insertSql, insertJsonSql } = this.plan;
    const workerData: BulkLoadThreadPlan = { filename, synchronous, insertSql, insertJsonSql };
    const thread = startTypeScriptThread(THREAD_FILE, { workerData });
    thread.on('message', (reply: BulkLoadReply) => this.replies.answer(reply));
    const fail = (error: Error): void =>
      this.replies.fail(new Error(`bulk load into ${this.plan.collection}: ${error.message}`));
    thread.on('error', fail);
    thread.on('exit', (code) => {
      if (this.replies.awaiting > 0) fail(new Error(`its thread exited (code ${code})`));
    });
    return thread;
  }
}
