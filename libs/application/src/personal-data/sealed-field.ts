import { isEnvelope } from '@rapport/personal-data';

/**
 * What a read model keeps of a personal-data field: the stored ciphertext envelope together with the
 * event id and field path its authentication is bound to (so it can be decrypted at query time),
 * `pdref:v1:<eventId>:<path>:<envelope>`. It holds no plaintext.
 */
export const SEALED_PREFIX = 'pdref:v1:';

export interface SealedField {
  eventId: string;
  path: string;
  envelope: string;
}

const SEALED = /^pdref:v1:([^:]+):([^:]+):(pd:v1:[A-Za-z0-9+/=]+)$/;

export function sealFieldReference(eventId: string, path: string, envelope: string): string {
  if (eventId.includes(':') || path.includes(':'))
    throw new Error(`cannot seal ${path} of event ${eventId}: ':' in an id or path`);
  if (!isEnvelope(envelope)) throw new Error(`${path} of event ${eventId} is not an encrypted envelope`);
  return `${SEALED_PREFIX}${eventId}:${path}:${envelope}`;
}

export function parseSealedField(value: unknown): SealedField | null {
  if (typeof value !== 'string' || !value.startsWith(SEALED_PREFIX)) return null;
  const match = SEALED.exec(value);
  return match ? { eventId: match[1] as string, path: match[2] as string, envelope: match[3] as string } : null;
}
