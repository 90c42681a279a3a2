import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { eventHash, GENESIS_HASH } from '@rapport/event-store';
import {
  EXPORT_FORMAT,
  signedStatement,
  type ExportEventLine,
  type ExportHeader,
  type ExportTrailer,
} from './export-format';

export type ExportVerdict =
  | { ok: true; events: number; streams: number; header: ExportHeader; trustedKey: 'given' | 'embedded' }
  | { ok: false; reason: string; line?: number };

export interface VerifyExportOptions {
  /** The key the export must be signed with; without it, the key embedded in the header is used (and said so). */
  publicKey?: KeyObject;
  onProgress?: (bytes: number) => void;
}

/**
 * Checks a signed export offline from its raw bytes: the digest and Ed25519 signature over every
 * byte before the trailer, the event count, and each stream's hash chain from genesis.
 */
export async function verifyExport(
  chunks: AsyncIterable<Buffer | string>,
  options: VerifyExportOptions = {},
): Promise<ExportVerdict> {
  const digest = createHash('sha256');
  const chains = new Map<string, { revision: number; hash: string }>();
  let header: ExportHeader | undefined;
  let pending: Buffer | undefined;
  let lineNumber = 0;
  let events = 0;
  let bytes = 0;
  let failure: ExportVerdict | undefined;

  const take = (line: Buffer) => {
    lineNumber++;
    digest.update(line);
    if (failure) return;
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      failure = { ok: false, line: lineNumber, reason: 'not valid JSON' };
      return;
    }
    const record = value as { kind?: string };
    if (lineNumber === 1) {
      if (record.kind !== EXPORT_FORMAT)
        failure = { ok: false, line: 1, reason: `not a ${EXPORT_FORMAT} file (header missing)` };
      else header = value as ExportHeader;
      return;
    }
    if (record.kind !== 'event') {
      failure = {
        ok: false,
        line: lineNumber,
        reason: `expected an event line, found kind ${JSON.stringify(record.kind)}`,
      };
      return;
    }
    events++;
    const event = value as ExportEventLine;
    const chain = chains.get(event.streamId) ?? { revision: -1, hash: GENESIS_HASH };
    if (event.revision !== chain.revision + 1) {
      failure = {
        ok: false,
        line: lineNumber,
        reason: `${event.streamId}: revision ${event.revision} follows ${chain.revision}`,
      };
    } else if (event.metadata?.prevHash !== chain.hash || eventHash(chain.hash, event) !== event.metadata.hash) {
      failure = {
        ok: false,
        line: lineNumber,
        reason: `${event.streamId}: hash chain broken at revision ${event.revision}`,
      };
    } else chains.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
  };

  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buffer.length;
    options.onProgress?.(bytes);
    rest = rest.length === 0 ? buffer : Buffer.concat([rest, buffer]);
    let newline: number;
    while ((newline = rest.indexOf(0x0a)) !== -1) {
      const line = rest.subarray(0, newline + 1);
      rest = rest.subarray(newline + 1);
      if (pending) take(pending);
      pending = line;
    }
  }
  if (rest.length > 0) {
    if (pending) take(pending);
    pending = rest;
  }
  if (!pending || !header) return failure ?? { ok: false, reason: 'empty or truncated export' };

  let trailer: ExportTrailer;
  try {
    trailer = JSON.parse(pending.toString('utf8')) as ExportTrailer;
  } catch {
    return { ok: false, line: lineNumber + 1, reason: 'the signature trailer is not valid JSON' };
  }
  if (trailer.kind !== 'signature' || trailer.algorithm !== 'Ed25519')
    return { ok: false, line: lineNumber + 1, reason: 'the last line is not an Ed25519 signature trailer' };
  const sha256 = digest.digest('hex');
  if (sha256 !== trailer.sha256)
    return { ok: false, reason: 'the content does not match the signed digest: the file was altered' };
  const key = options.publicKey ?? safeKey(header.publicKey);
  if (!key) return { ok: false, line: 1, reason: 'the embedded public key is unreadable' };
  let signatureOk = false;
  try {
    signatureOk = verify(
      null,
      signedStatement(trailer.sha256, trailer.events),
      key,
      Buffer.from(trailer.signature, 'base64'),
    );
  } catch {
    signatureOk = false;
  }
  if (!signatureOk)
    return { ok: false, line: lineNumber + 1, reason: 'the signature does not verify with the public key' };
  if (failure) return failure;
  if (trailer.events !== events)
    return { ok: false, reason: `the trailer counts ${trailer.events} events, the file holds ${events}` };
  return { ok: true, events, streams: chains.size, header, trustedKey: options.publicKey ? 'given' : 'embedded' };
}

function safeKey(pem: string): KeyObject | undefined {
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}
