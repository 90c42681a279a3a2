import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ERASED_TEXT, PERSONAL_DATA_FIELDS, type CustomerEventType } from '@rapport/domain';

/** What a personal-data field reads as for a role not allowed to see personal data. */
export const REDACTED_TEXT = '[redacted]';

/** Prefix of an encrypted field: `pd:v1:<base64(iv | tag | ciphertext)>`. */
export const ENVELOPE_PREFIX = 'pd:v1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CipherableEvent {
  type: string;
  data: object;
  metadata: { eventId: string };
}

export class PersonalDataTamperedError extends Error {
  constructor(
    readonly eventId: string,
    readonly path: string,
  ) {
    super(`personal data at ${path} of event ${eventId} fails authentication: altered, moved or wrong key`);
    this.name = 'PersonalDataTamperedError';
  }
}

export const isEnvelope = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);

/**
 * Encrypts the personal-data fields of an event (AES-256-GCM, a fresh IV per field) and restores
 * them. The associated data binds each envelope to its event id and field path, so an envelope
 * copied into another event or field does not decrypt. Events are never mutated.
 */
export class PersonalDataCipher {
  constructor(private readonly fields: Readonly<Record<string, readonly string[]>> = PERSONAL_DATA_FIELDS) {}

  /** The personal-data paths of an event type (dot paths into `data`). */
  pathsOf(type: string): readonly string[] {
    return this.fields[type as CustomerEventType] ?? [];
  }

  encrypt<E extends CipherableEvent>(event: E, key: Buffer): E {
    return this.mapFields(event, (value, path) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(associatedData(event.metadata.eventId, path));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return ENVELOPE_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
    });
  }

  /** Restores the fields; with no key (destroyed) every personal field reads ERASED_TEXT. */
  decrypt<E extends CipherableEvent>(event: E, key: Buffer | null): E {
    return this.mapFields(event, (value, path) => {
      if (key === null) return ERASED_TEXT;
      if (!isEnvelope(value)) return value; // written before encryption existed
      const bytes = Buffer.from(value.slice(ENVELOPE_PREFIX.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(associatedData(event.metadata.eventId, path));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as unknown;
      } catch {
        throw new PersonalDataTamperedError(event.metadata.eventId, path);
      }
    });
  }

  /** Replaces every personal field with REDACTED_TEXT, for roles that may not read personal data. */
  redact<E extends CipherableEvent>(event: E, marker: string = REDACTED_TEXT): E {
    return this.mapFields(event, () => marker);
  }

  /** True when the event carries any personal-data field. */
  hasPersonalData(event: CipherableEvent): boolean {
    return this.pathsOf(event.type).some((path) => getPath(event.data, path) !== undefined);
  }

  private mapFields<E extends CipherableEvent>(event: E, map: (value: unknown, path: string) => unknown): E {
    const paths = this.pathsOf(event.type).filter((path) => getPath(event.data, path) !== undefined);
    if (paths.length === 0) return event;
    const data = structuredClone(event.data) as Record<string, unknown>;
    for (const path of paths) setPath(data, path, map(getPath(event.data, path), path));
    return { ...event, data };
  }
}

function associatedData(eventId: string, path: string): Buffer {
  return Buffer.from(`${eventId}\u0000${path}`, 'utf8');
}

function getPath(data: object, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let node = data;
  for (const part of parts) node = node[part] as Record<string, unknown>;
  node[last] = value;
}
