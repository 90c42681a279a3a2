import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { StoredEvent } from '@rapport/event-store';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  signedStatement,
  type ExportEventLine,
  type ExportHeader,
  type ExportTrailer,
} from './export-format';

export interface SignedExportOptions {
  privateKey: KeyObject;
  scope?: ExportHeader['scope'];
  /** Creation time written in the header (given, so that the module reads no clock). */
  createdAt: string;
}

/**
 * Turns stored events into the lines of a signed export (each ending in a newline). Streaming:
 * write the lines as they come; the trailer comes last.
 */
export async function* signedExportLines(
  events: AsyncIterable<StoredEvent>,
  options: SignedExportOptions,
): AsyncGenerator<string> {
  const digest = createHash('sha256');
  const emit = (value: object) => {
    const line = `${JSON.stringify(value)}\n`;
    digest.update(line, 'utf8');
    return line;
  };
  const header: ExportHeader = {
    kind: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    createdAt: options.createdAt,
    scope: options.scope ?? {},
    publicKey: createPublicKey(options.privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
  yield emit(header);
  let count = 0;
  for await (const event of events) {
    const line: ExportEventLine = {
      kind: 'event',
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    };
    count++;
    yield emit(line);
  }
  const sha256 = digest.digest('hex');
  const trailer: ExportTrailer = {
    kind: 'signature',
    algorithm: 'Ed25519',
    events: count,
    sha256,
    signature: sign(null, signedStatement(sha256, count), options.privateKey).toString('base64'),
  };
  yield `${JSON.stringify(trailer)}\n`;
}
