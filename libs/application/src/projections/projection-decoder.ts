import { ERASED_TEXT, upcast } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import {
  isEnvelope,
  parentCopy,
  PersonalDataCipher,
  PersonalDataTamperedError,
  valueAt,
  type KeyStore,
  type OpenedValue,
} from '@rapport/personal-data';
import type { EventDecoder, ProjectedEvent } from '@rapport/projection-engine';
import { UNREADABLE_TEXT } from '../personal-data/personal-data-reader';
import { sealFieldReference } from '../personal-data/sealed-field';

/** What a personal field whose envelope fails authentication reads as. */
export type TamperedFieldPolicy =
  /** Reading it throws PersonalDataTamperedError: the runner parks the event for the projection that read it. */
  | 'throw'
  /** It reads UNREADABLE_TEXT: an audit answer goes on (verification reports the tampering). */
  | 'unreadable';

/** Decodes one stored event of a customer whose key (null: destroyed or never made) is already known. */
export type KeyedDecoder = (stored: StoredEvent, key: Buffer | null) => ProjectedEvent;

/** Personal-field paths (as in PERSONAL_DATA_FIELDS) by event type. */
export type OpenedFields = ReadonlyMap<string, readonly string[]>;

/** Values of `openAtDecode` fields the caller opened ahead (in bulk, elsewhere); undefined: open it here. */
export type PreOpened = (eventId: string, path: string) => OpenedValue | undefined;

const NONE_SEALED: Readonly<Record<string, string>> = Object.freeze({});
const NONE_OPENED: OpenedFields = new Map();

// Stateless apart from its per-type cache of split field paths: one serves every decoder.
const cipher = new PersonalDataCipher();

/** A field decrypted on its first read, then kept: a field no projection reads is never decrypted. */
function defineDecryptedOnRead(target: Record<string, unknown>, name: string, open: () => unknown): void {
  let opened = false;
  let value: unknown;
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      if (!opened) {
        value = open();
        opened = true;
      }
      return value;
    },
    set(replacement: unknown) {
      value = replacement;
      opened = true;
    },
  });
}

/**
 * Stored event → what projections see, the one decode path of the runner and of the as-of replay:
 * upcast; each personal field's stored envelope in `sealed` (as a sealed reference, the only form a
 * read model may keep); and each personal field in `data` readable as plaintext (ERASED_TEXT once
 * the key is destroyed), so derived values such as sentiment can be computed. The plaintext is
 * decrypted when a projection first reads it: fields only kept sealed are never decrypted. Fields
 * in `openAtDecode` (those a caller knows its projections read) are decrypted as the event is
 * decoded instead: the same value without the cost of a lazy accessor, but a tampered one fails
 * (policy 'throw') when the event is decoded rather than when the field is read; `preOpened` gives
 * those already opened in bulk.
 */
export function keyedProjectionDecoder(
  onTampered: TamperedFieldPolicy = 'throw',
  openAtDecode: OpenedFields = NONE_OPENED,
  preOpened?: PreOpened,
): KeyedDecoder {
  return (stored, key) => {
    const event = upcast(stored);
    const { eventId } = event.metadata;
    let data = event.data as unknown as Record<string, unknown>;
    let copied = false;
    let sealed = NONE_SEALED;
    let copies: Set<object> | null = null;
    const opened = openAtDecode.get(event.type);
    for (const { path, parts } of cipher.fieldPaths(event.type)) {
      const value = valueAt(data, parts);
      if (value === undefined) continue;
      if (!copied) {
        data = { ...data };
        copied = true;
      }
      const parent = parts.length === 1 ? data : parentCopy(data, parts, (copies ??= new Set()));
      const name = parts[parts.length - 1] as string;
      const encrypted = isEnvelope(value);
      if (encrypted) {
        if (sealed === NONE_SEALED) sealed = {};
        (sealed as Record<string, string>)[path] = sealFieldReference(eventId, path, value);
      }
      if (key === null) parent[name] = ERASED_TEXT;
      else if (!encrypted)
        continue; // written before encryption existed: already plaintext
      else if (opened?.includes(path))
        parent[name] = openOrTake(eventId, path, value, key, onTampered, preOpened?.(eventId, path));
      else defineDecryptedOnRead(parent, name, () => open(eventId, path, value, key, onTampered));
    }
    const { type, metadata } = event;
    return {
      type,
      data,
      metadata,
      streamId: stored.streamId,
      revision: stored.revision,
      position: stored.position,
      sealed,
    } as ProjectedEvent;
  };
}

function open(eventId: string, path: string, envelope: string, key: Buffer, onTampered: TamperedFieldPolicy): unknown {
  try {
    return cipher.open(eventId, path, envelope, key);
  } catch (error) {
    if (onTampered === 'unreadable' && error instanceof PersonalDataTamperedError) return UNREADABLE_TEXT;
    throw error;
  }
}

function openOrTake(
  eventId: string,
  path: string,
  envelope: string,
  key: Buffer,
  onTampered: TamperedFieldPolicy,
  taken: OpenedValue | undefined,
): unknown {
  if (taken === undefined) return open(eventId, path, envelope, key, onTampered);
  if (taken.ok) return taken.value;
  if (onTampered === 'unreadable') return UNREADABLE_TEXT;
  throw new PersonalDataTamperedError(eventId, path);
}

/** The runner's decoder: events of any customer, each one's key looked up when its type has personal fields. */
export function createProjectionDecoder(keys: KeyStore): EventDecoder {
  const decode = keyedProjectionDecoder('throw');
  return async (stored: StoredEvent): Promise<ProjectedEvent | null> =>
    decode(
      stored,
      cipher.fieldPaths(stored.type).length > 0 ? await keys.getKey(String(stored.data['customerId'])) : null,
    );
}

/**
 * One customer's decoder (the as-of replay): the same decoding, with the customer's key looked up
 * once. Refuses an event of another customer rather than decoding it with the wrong key.
 */
export async function createCustomerDecoder(
  keys: KeyStore,
  customerId: string,
  onTampered: TamperedFieldPolicy = 'throw',
  openAtDecode?: OpenedFields,
  preOpened?: PreOpened,
): Promise<(stored: StoredEvent) => ProjectedEvent> {
  const key = await keys.getKey(customerId);
  const decode = keyedProjectionDecoder(onTampered, openAtDecode, preOpened);
  return (stored) => {
    if (stored.data['customerId'] !== customerId) {
      throw new Error(
        `event ${String(stored.metadata['eventId'])} at ${stored.streamId}@${stored.revision} is not of customer ${customerId}`,
      );
    }
    return decode(stored, key);
  };
}
