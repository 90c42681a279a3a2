import { Worker } from 'node:worker_threads';

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
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') },
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

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage('background checkpoint failed: ' + (error && error.message));
  }
};
try {
  db = new Database(workerData.path);
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
} catch (error) {
  parentPort.postMessage('background checkpointer could not open the store: ' + (error && error.message));
  process.exit(0);
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;
