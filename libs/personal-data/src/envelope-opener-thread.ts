import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptThread } from '@rapport/event-store/shared/typescript-thread';
import type { OpenRequest } from './envelope-opener.thread';
import type { SealedValue } from './envelope-opening';

const THREAD_FILE = join(__dirname, `envelope-opener.thread${extname(__filename)}`);

/** An opened value, or the envelope failed authentication (altered, moved, wrong key). */
export type OpenedValue = { ok: true; value: unknown } | { ok: false };

interface Reply {
  id: number;
  /** JSON array: `[value]` per opened envelope, `0` per refused one. */
  opened: string;
}

/**
 * Opens many envelopes of one customer on a worker thread while the caller goes on: a replay of a
 * long history reads and parses its stream on the event loop meanwhile, instead of spending another
 * third of its time decrypting. A batch crosses as one string each way (cloning thousands of small
 * objects would cost the event loop more than the decryption). The thread is shared and unref'd.
 */
export class EnvelopeOpenerThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(opened: OpenedValue[]): void; reject(error: unknown): void }>();
  private nextId = 0;

  open(values: readonly SealedValue[], key: Buffer): Promise<OpenedValue[]> {
    if (values.length === 0) return Promise.resolve([]);
    const worker = this.started();
    const id = this.nextId++;
    // Event ids, paths and base64 envelopes hold neither tabs nor newlines.
    const batch = values.map(({ eventId, path, envelope }) => `${eventId}\t${path}\t${envelope}`).join('\n');
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, batch, key } satisfies OpenRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startTypeScriptThread(THREAD_FILE);
    worker.on('message', ({ id, opened }: Reply) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      // Idle, it must not keep the process alive.
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve(
        (JSON.parse(opened) as Array<[unknown] | 0>).map((entry) =>
          entry === 0 ? { ok: false } : { ok: true, value: entry[0] },
        ),
      );
    });
    const fail = (error: unknown) => {
      if (this.worker === worker) this.worker = null;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`envelope opener thread exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
