import type { createDecipheriv } from 'node:crypto';

/** One envelope to open, bound to the event and field it was sealed for. */
export interface SealedValue {
  eventId: string;
  path: string;
  envelope: string;
}

/**
 * The plaintext (the JSON of the value) of one `pd:v1:` envelope (AES-256-GCM, `iv | tag | ciphertext`,
 * with `eventId NUL path` as associated data); throws when it fails authentication. The cipher and the
 * worker thread that opens envelopes in bulk (`envelope-opener.thread.ts`) both call it.
 */
export function openEnvelopeJson(
  decipherWith: typeof createDecipheriv,
  { eventId, path, envelope }: SealedValue,
  key: Uint8Array,
): string {
  const bytes = Buffer.from(envelope.slice(6), 'base64');
  const decipher = decipherWith('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(`${eventId}\u0000${path}`, 'utf8'));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
