import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { openEnvelopeJson } from './envelope-opening';
import { parentCopy, valueAt } from './field-paths';
import { ERASED_TEXT, PERSONAL_DATA_FIELDS, type CustomerEventType } from '@rapport/domain';

/** What a personal-data field reads as for a role not allowed to see personal data. */
export const REDACTED_TEXT = '[redacted]';

/** Prefix of an encrypted field: `pd:v1:<base64(iv | tag | ciphertext)>`. */
export const ENVELOPE_PREFIX = 'pd:v1:';

/** The layout `openEnvelope` reads: a 12-byte IV, then the 16-byte tag. */
const IV_BYTES = 12;

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

/** One personal-data field: its dot path, and that path split once. */
export interface FieldPath {
  path: string;
  parts: readonly string[];
}

/**
 * Encrypts the personal-data fields of an event (AES-256-GCM, a fresh IV per field) and restores
 * them. The associated data binds each envelope to its event id and field path, so an envelope
 * copied into another event or field does not decrypt. Events are never mutated: only the objects
 * along a field's path are copied.
 */
export class PersonalDataCipher {
  /** Field paths by event type, split once. */
  private readonly paths = new Map<string, readonly FieldPath[]>();

  constructor(private readonly fields: Readonly<Record<string, readonly string[]>> = PERSONAL_DATA_FIELDS) {}

  /** The personal-data paths of an event type (dot paths into `data`). */
  pathsOf(type: string): readonly string[] {
    return this.fields[type as CustomerEventType] ?? [];
  }

  encrypt<E extends CipherableEvent>(event: E, key: Buffer): E {
    return this.mapFields(event, (value, path) => this.seal(event.metadata.eventId, path, value, key));
  }

  /** Restores the fields; with no key (destroyed) every personal field reads ERASED_TEXT. */
  decrypt<E extends CipherableEvent>(event: E, key: Buffer | null): E {
    return this.mapFields(event, (value, path) =>
      key === null ? ERASED_TEXT : this.open(event.metadata.eventId, path, value, key),
    );
  }

  /** Replaces every personal field with REDACTED_TEXT, for roles that may not read personal data. */
  redact<E extends CipherableEvent>(event: E, marker: string = REDACTED_TEXT): E {
    return this.mapFields(event, () => marker);
  }

  /** True when the event carries any personal-data field. */
  hasPersonalData(event: CipherableEvent): boolean {
    return this.fieldPaths(event.type).some(({ parts }) => valueAt(event.data, parts) !== undefined);
  }

  /**
   * One field's value from its stored form: an envelope bound to `eventId` and `path` is decrypted
   * (PersonalDataTamperedError when it fails authentication), anything else was written before
   * encryption existed and is returned as it is.
   */
  open(eventId: string, path: string, stored: unknown, key: Buffer): unknown {
    if (!isEnvelope(stored)) return stored;
    try {
      return JSON.parse(openEnvelopeJson(createDecipheriv, { eventId, path, envelope: stored }, key)) as unknown;
    } catch {
      throw new PersonalDataTamperedError(eventId, path);
    }
  }

  private seal(eventId: string, path: string, value: unknown, key: Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(eventId, path));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ENVELOPE_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** The personal-data paths of an event type, each split once (cached per type). */
  fieldPaths(type: string): readonly FieldPath[] {
    let paths = this.paths.get(type);
    if (!paths) {
      paths = this.pathsOf(type).map((path) => ({ path, parts: path.split('.') }));
      this.paths.set(type, paths);
    }
    return paths;
  }

  private mapFields<E extends CipherableEvent>(event: E, map: (value: unknown, path: string) => unknown): E {
    let data: Record<string, unknown> | null = null;
    const copies = new Set<object>();
    for (const { path, parts } of this.fieldPaths(event.type)) {
      const value = valueAt(event.data, parts);
      if (value === undefined) continue;
      data ??= { ...(event.data as Record<string, unknown>) };
      setCopyingPath(data, parts, map(value, path), copies);
    }
    return data === null ? event : { ...event, data };
  }
}

function associatedData(eventId: string, path: string): Buffer {
  return Buffer.from(`${eventId}\u0000${path}`, 'utf8');
}

/** Sets the value at `parts` in `data` (already a copy) without writing to the input's nested objects. */
function setCopyingPath(
  data: Record<string, unknown>,
  parts: readonly string[],
  value: unknown,
  copies: Set<object>,
): void {
  parentCopy(data, parts, copies)[parts[parts.length - 1] as string] = value;
}
