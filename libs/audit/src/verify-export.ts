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

type Failure = Extract<ExportVerdict, { ok: false }>;

/** Every line before the trailer: digested, parsed, the header kept, each stream's hash chain followed. */
class ExportLines {
  readonly digest = createHash('sha256');
  readonly chains = new Map<string, { revision: number; hash: string }>();
  header: ExportHeader | undefined;
  lineNumber = 0;
  events = 0;
  /** The first problem found; later lines are still digested (the signature covers them all). */
  failure: Failure | undefined;

  take(line: Buffer): void {
    this.lineNumber++;
    this.digest.update(line);
    if (this.failure) return;
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      this.failure = { ok: false, line: this.lineNumber, reason: 'not valid JSON' };
      return;
    }
    const record = value as { kind?: string };
    if (this.lineNumber === 1) {
      if (record.kind !== EXPORT_FORMAT)
        this.failure = { ok: false, line: 1, reason: `not a ${EXPORT_FORMAT} file (header missing)` };
      else this.header = value as ExportHeader;
      return;
    }
    if (record.kind !== 'event') {
      this.failure = {
        ok: false,
        line: this.lineNumber,
        reason: `expected an event line, found kind ${JSON.stringify(record.kind)}`,
      };
      return;
    }
    this.events++;
    this.failure = this.chainEvent(value as ExportEventLine);
  }

  private chainEvent(event: ExportEventLine): Failure | undefined {
    const chain = this.chains.get(event.streamId) ?? { revision: -1, hash: GENESIS_HASH };
    if (event.revision !== chain.revision + 1)
      return {
        ok: false,
        line: this.lineNumber,
        reason: `${event.streamId}: revision ${event.revision} follows ${chain.revision}`,
      };
    if (event.metadata?.prevHash !== chain.hash || eventHash(chain.hash, event) !== event.metadata.hash)
      return {
        ok: false,
        line: this.lineNumber,
        reason: `${event.streamId}: hash chain broken at revision ${event.revision}`,
      };
    this.chains.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
    return undefined;
  }
}

/** Splits the bytes into lines for `lines`, holding the last one back: it is the trailer (returned). */
async function readLines(
  chunks: AsyncIterable<Buffer | string>,
  lines: ExportLines,
  onProgress: ((bytes: number) => void) | undefined,
): Promise<Buffer | undefined> {
  let pending: Buffer | undefined;
  let bytes = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buffer.length;
    onProgress?.(bytes);
    rest = rest.length === 0 ? buffer : Buffer.concat([rest, buffer]);
    let newline: number;
    while ((newline = rest.indexOf(0x0a)) !== -1) {
      const line = rest.subarray(0, newline + 1);
      rest = rest.subarray(newline + 1);
      if (pending) lines.take(pending);
      pending = line;
    }
  }
  if (rest.length > 0) {
    if (pending) lines.take(pending);
    pending = rest;
  }
  return pending;
}

/** The trailer, once its digest and Ed25519 signature match the lines before it; else the failure. */
function checkSignature(
  pending: Buffer,
  lines: ExportLines,
  header: ExportHeader,
  publicKey: KeyObject | undefined,
): { failure: Failure } | { trailer: ExportTrailer } {
  let trailer: ExportTrailer;
  try {
    trailer = JSON.parse(pending.toString('utf8')) as ExportTrailer;
  } catch {
    return { failure: { ok: false, line: lines.lineNumber + 1, reason: 'the signature trailer is not valid JSON' } };
  }
  if (trailer.kind !== 'signature' || trailer.algorithm !== 'Ed25519')
    return {
      failure: { ok: false, line: lines.lineNumber + 1, reason: 'the last line is not an Ed25519 signature trailer' },
    };
  const sha256 = lines.digest.digest('hex');
  if (sha256 !== trailer.sha256)
    return { failure: { ok: false, reason: 'the content does not match the signed digest: the file was altered' } };
  const key = publicKey ?? safeKey(header.publicKey);
  if (!key) return { failure: { ok: false, line: 1, reason: 'the embedded public key is unreadable' } };
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
    return {
      failure: { ok: false, line: lines.lineNumber + 1, reason: 'the signature does not verify with the public key' },
    };
  return { trailer };
}

/**
 * Checks a signed export offline from its raw bytes: the digest and Ed25519 signature over every
 * byte before the trailer, the event count, and each stream's hash chain from genesis.
 */
export async function verifyExport(
  chunks: AsyncIterable<Buffer | string>,
  options: VerifyExportOptions = {},
): Promise<ExportVerdict> {
  const lines = new ExportLines();
  const pending = await readLines(chunks, lines, options.onProgress);
  const { header, failure, events } = lines;
  if (!pending || !header) return failure ?? { ok: false, reason: 'empty or truncated export' };
  const signed = checkSignature(pending, lines, header, options.publicKey);
  if ('failure' in signed) return signed.failure;
  const { trailer } = signed;
  if (failure) return failure;
  if (trailer.events !== events)
    return { ok: false, reason: `the trailer counts ${trailer.events} events, the file holds ${events}` };
  return {
    ok: true,
    events,
    streams: lines.chains.size,
    header,
    trustedKey: options.publicKey ? 'given' : 'embedded',
  };
}

function safeKey(pem: string): KeyObject | undefined {
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}
