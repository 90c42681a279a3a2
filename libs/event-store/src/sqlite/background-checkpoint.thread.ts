// The thread side of BackgroundCheckpointer: its own connection copies the WAL back into the database
// file every `intervalMs` (PASSIVE: never blocks the writer nor readers), once more on 'close'.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface BackgroundCheckpointPlan {
  path: string;
  intervalMs: number;
}

const port = parentPort;
if (port === null) throw new Error('background-checkpoint.thread runs as a worker thread');
const { path, intervalMs } = workerData as BackgroundCheckpointPlan;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

let db: Database.Database;
try {
  db = new Database(path);
  db.pragma('busy_timeout = 5000');
  // The WAL is synced before its pages are copied, the database file after.
  db.pragma('synchronous = FULL');
} catch (error) {
  port.postMessage(`background checkpointer could not open the store: ${messageOf(error)}`);
  process.exit(0);
}

const checkpoint = (): void => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    port.postMessage(`background checkpoint failed: ${messageOf(error)}`);
  }
};
const timer = setInterval(checkpoint, intervalMs);
port.on('message', (message: unknown) => {
  if (message !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  port.close();
});
