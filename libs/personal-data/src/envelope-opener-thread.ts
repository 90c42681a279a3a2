import { Worker } from 'node:worker_threads';
import { openEnvelope, type SealedValue } from './envelope-opening';

/** An opened value, or the envelope failed authentication (altered, moved, wrong key). */
export type OpenedValue = { ok: true; value: unknown } | { ok: false };

interface Reply {
  id: number;
  opened: OpenedValue[];
}

/**
 * Opens many envelopes of one customer on a worker thread while the caller goes on: a replay of a
 * long history reads and parses its stream on the event loop meanwhile, instead of spending another
 * third of its time decrypting. Batches are answered in order; the thread is shared and unref'd.
 */
export class EnvelopeOpenerThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(opened: OpenedValue[]): void; reject(error: unknown): void }>();
  private nextId = 0;

  open(values: readonly SealedValue[], key: Buffer): Promise<OpenedValue[]> {
    if (values.length === 0) return Promise.resolve([]);
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, values, key });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', ({ id, opened }: Reply) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      // Idle, it must not keep the process alive.
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve(opened);
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

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createDecipheriv } = require('node:crypto');
const openEnvelope = ${openEnvelope.toString()};
parentPort.on('message', ({ id, values, key }) => {
  const opened = values.map((value) => {
    try {
      return { ok: true, value: openEnvelope(createDecipheriv, value, key) };
    } catch {
      return { ok: false };
    }
  });
  parentPort.postMessage({ id, opened });
});
`;
