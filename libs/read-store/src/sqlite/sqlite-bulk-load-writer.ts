import type { BulkLoadShare, Doc } from '../read-store.port';
import type { BulkLoadReply, BulkLoadRequest, BulkLoadValue } from './sqlite-bulk-load.protocol';
import { BulkLoadReplies } from './bulk-load-replies';
import { columnValue } from './sqlite-filter';

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
  const replies = new BulkLoadReplies((error) => new Error(`shared bulk load: ${error}`));
  port.on('message', (reply: BulkLoadReply) => replies.answer(reply));
  const check = (): void => {
    if (replies.failure !== null) throw replies.failure;
  };
  return {
    async write(docs) {
      check();
      if (docs.length === 0) return;
      const { seq, replied } = replies.expect();
      const request: BulkLoadRequest = {
        kind: 'rows',
        width: 3 + fields.length,
        values: encodeRows(docs, fields, position),
        seq,
      };
      port.postMessage(request);
      await replies.throttle(replied);
      check();
    },
    async close() {
      await replies.drain();
      port.close();
      check();
    },
  };
}
