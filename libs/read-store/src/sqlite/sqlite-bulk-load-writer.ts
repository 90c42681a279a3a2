import type { BulkLoadShare, Doc } from '../read-store.port';
import type { BulkLoadReply, BulkLoadRequest, BulkLoadValue } from './sqlite-bulk-load.protocol';
import { columnValue } from './sqlite-filter';

/** Batches in flight from one writer: enough to keep the load's thread busy, few enough to bound memory. */
const MAX_QUEUED = 2;

/** Documents as a bulk load's thread inserts them: one flat array, id, JSON, position and field columns a row. */
export function encodeRows(docs: readonly Doc[], fields: readonly string[], position: number): BulkLoadValue[] {
  const values: BulkLoadValue[] = [];
  for (const doc of docs) {
    values.push(doc.id, JSON.stringify(doc), position);
    for (const field of fields) values.push(columnValue(doc, field));
  }
  return values;
}

/** A writer into a bulk load from another thread: `write` as the load's own, `close` once every row is stored. */
export interface SharedBulkLoadWriter {
  write(docs: readonly Doc[]): Promise<void>;
  /** Resolves once every row written is stored (throws the first failure); the share is done with. */
  close(): Promise<void>;
}

/** The other side of SqliteBulkLoad.shareWithThread: documents from this thread, stored by the load's writer. */
export function openSharedBulkLoad({ port, fields, position }: BulkLoadShare): SharedBulkLoadWriter {
  const waiting = new Map<number, () => void>();
  let queued: Promise<void>[] = [];
  let seq = 0;
  let failure: Error | null = null;
  port.on('message', ({ seq: answered, error }: BulkLoadReply) => {
    if (error !== null) failure ??= new Error(`shared bulk load: ${error}`);
    waiting.get(answered)?.();
    waiting.delete(answered);
  });
  const check = (): void => {
    if (failure !== null) throw failure;
  };
  return {
    async write(docs) {
      check();
      if (docs.length === 0) return;
      const request: BulkLoadRequest = {
        kind: 'rows',
        width: 3 + fields.length,
        values: encodeRows(docs, fields, position),
        seq: ++seq,
      };
      queued.push(new Promise<void>((resolve) => waiting.set(request.seq, resolve)));
      port.postMessage(request);
      if (queued.length > MAX_QUEUED) await queued.shift();
      check();
    },
    async close() {
      await Promise.all(queued);
      queued = [];
      port.close();
      check();
    },
  };
}
