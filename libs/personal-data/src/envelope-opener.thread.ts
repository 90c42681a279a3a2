// The thread side of EnvelopeOpenerThread: opens a batch of one customer's envelopes and answers with
// one JSON array (`[value]` per opened envelope, `0` per refused one), one string each way.
import { createDecipheriv } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { openEnvelopeJson } from './envelope-opening';

/** A batch: `eventId TAB path TAB envelope` per line (none of them holds a tab or a newline). */
export interface OpenRequest {
  id: number;
  batch: string;
  key: Uint8Array;
}

const port = parentPort;
if (port === null) throw new Error('envelope-opener.thread runs as a worker thread');
port.on('message', ({ id, batch, key }: OpenRequest) => {
  const opened = batch.split('\n').map((line) => {
    const [eventId = '', path = '', envelope = ''] = line.split('\t');
    try {
      return `[${openEnvelopeJson(createDecipheriv, { eventId, path, envelope }, key)}]`;
    } catch {
      return '0';
    }
  });
  port.postMessage({ id, opened: `[${opened.join(',')}]` });
});
