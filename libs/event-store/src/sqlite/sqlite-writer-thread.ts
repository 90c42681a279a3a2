import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptThread } from '../shared/typescript-thread';
import type { AppendOutcome } from './sqlite-append-transaction';
import { settle, type AppendWriter, type OnCommitted, type PendingAppend } from './sqlite-append-writer';
import {
  fromWireError,
  toWireJson,
  type WriteReply,
  type WriteRequest,
  type WriterPlan,
} from './sqlite-writer-protocol';

const THREAD_FILE = join(__dirname, `sqlite-writer.thread${extname(__filename)}`);

/**
 * Hands each turn's appends to a worker thread that owns the writing connection: the event loop
 * serves requests while the thread's COMMIT waits for its fsync, and the appends that arrive
 * meanwhile share the next commit. An append is answered only when the thread reports its COMMIT
 * done, so nothing acknowledged is lost. The thread starts with the first append (a store that only
 * reads never starts one) and keeps the process alive only while appends are in flight.
 */
export class SqliteWriterThread implements AppendWriter {
  private worker: Worker | null = null;
  private exited: Promise<void> = Promise.resolve();
  private nextId = 1;
  private readonly inFlight = new Map<number, PendingAppend[]>();
  private drained: Array<() => void> = [];
  private broken: Error | null = null;
  private closing = false;

  /**
   * @param alone commits a lone append on the event loop when nothing is in flight: a caller that
   * awaits each append in turn would otherwise pay two thread hand-overs on top of every fsync
   * (measured ~200 µs an append when the fsync takes ~150 µs). Under concurrent load something is
   * nearly always in flight, so the thread takes the commits; the two connections never write at
   * once, as the thread has answered everything before the event loop writes.
   */
  constructor(
    private readonly plan: WriterPlan,
    private readonly onCommitted: OnCommitted,
    private readonly alone?: AppendWriter,
  ) {}

  submit(batch: PendingAppend[]): void {
    if (this.alone && batch.length === 1 && this.inFlight.size === 0 && !this.broken) {
      this.alone.submit(batch);
      return;
    }
    if (this.broken) {
      for (const pending of batch) pending.reject(this.broken);
      return;
    }
    let sent = batch;
    let json: string;
    try {
      json = toWireJson(batch);
    } catch {
      // A value JSON cannot hold (a BigInt, a cycle): that append alone fails.
      sent = batch.filter((pending) => {
        try {
          toWireJson([pending]);
          return true;
        } catch (error) {
          pending.reject(error);
          return false;
        }
      });
      if (sent.length === 0) return;
      json = toWireJson(sent);
    }
    const worker = this.started();
    const id = this.nextId++;
    if (this.inFlight.size === 0) worker.ref();
    this.inFlight.set(id, sent);
    worker.postMessage({ id, json } satisfies WriteRequest);
  }

  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    const worker = this.worker;
    if (worker === null || this.broken) return;
    // Referenced while closing: a process whose last work is this close must wait for the thread.
    worker.ref();
    worker.postMessage('close');
    await this.exited;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startTypeScriptThread(THREAD_FILE, { workerData: this.plan });
    worker.on('message', (reply: WriteReply) => this.answer(reply));
    worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        if (!this.closing || this.inFlight.size > 0) this.fail(new Error(`event store writer thread exited (${code})`));
        resolve();
      }),
    );
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answer(reply: WriteReply): void {
    const batch = reply.ids.flatMap((id) => {
      const pending = this.inFlight.get(id) ?? [];
      this.inFlight.delete(id);
      return pending;
    });
    if (reply.failure) {
      const error = fromWireError(reply.failure);
      for (const pending of batch) pending.reject(error);
    } else {
      const outcomes = reply.outcomes!.map((o): AppendOutcome =>
        o.ok ? o : { ok: false, error: fromWireError(o.error) },
      );
      settle(batch, outcomes);
      this.onCommitted(
        batch.length,
        reply.seconds,
        outcomes.some((o) => o.ok),
      );
    }
    if (this.inFlight.size === 0) this.idle();
  }

  /** The thread failed or exited early: what it had not answered fails (it may or may not be stored). */
  private fail(error: Error): void {
    this.broken ??= error;
    for (const batch of this.inFlight.values()) for (const pending of batch) pending.reject(error);
    this.inFlight.clear();
    this.idle();
  }

  private idle(): void {
    if (!this.closing) this.worker?.unref();
    const waiting = this.drained;
    this.drained = [];
    for (const resolve of waiting) resolve();
  }
}
