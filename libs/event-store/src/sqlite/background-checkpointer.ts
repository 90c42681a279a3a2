import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptThread } from '../shared/typescript-thread';
import type { BackgroundCheckpointPlan } from './background-checkpoint.thread';

const THREAD_FILE = join(__dirname, `background-checkpoint.thread${extname(__filename)}`);

/**
 * Copies the WAL back into the database file from a worker thread, on its own connection, so the
 * writer's own checkpoints (every `walAutocheckpointPages`) find most pages copied and stall the
 * event loop only briefly. The
 * checkpoint connection runs with `synchronous = FULL`: the WAL is synced before its pages are
 * copied and the database file after, before SQLite may restart the WAL. PASSIVE mode never blocks
 * the writer nor readers.
 */
export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(path: string, intervalMs: number, onError: (message: string) => void) {
    this.worker = startTypeScriptThread(THREAD_FILE, {
      workerData: { path, intervalMs } satisfies BackgroundCheckpointPlan,
    });
    this.worker.on('message', (message: unknown) => onError(String(message)));
    this.worker.on('error', (error) => onError(error.message));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // A store left open must not keep the process alive.
    this.worker.unref();
  }

  /** A last checkpoint, then the worker's connection is closed. */
  async close(): Promise<void> {
    // Referenced again while closing: otherwise a process whose last work is this close exits
    // before the worker does, and `close()` never resolves.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
