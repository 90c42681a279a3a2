import { PERSONAL_DATA_FIELDS, upcast, type CustomerEventType } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import { isEnvelope, PersonalDataCipher, type CipherableEvent, type KeyStore } from '@rapport/personal-data';
import type { EventDecoder, ProjectedEvent } from '@rapport/projection-engine';
import { sealFieldReference } from './sealed-field';

function valueAt(data: unknown, path: string): unknown {
  let node = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Stored event → what projections see: upcast, personal fields decrypted with the customer's key
 * (ERASED_TEXT once it is destroyed) so derived values such as sentiment can be computed, and
 * `sealed` holding each personal field's stored envelope, the only form a read model may keep.
 */
export function createProjectionDecoder(keys: KeyStore): EventDecoder {
  const cipher = new PersonalDataCipher();
  return async (stored: StoredEvent): Promise<ProjectedEvent | null> => {
    const event = upcast(stored);
    const paths = PERSONAL_DATA_FIELDS[event.type as CustomerEventType] ?? [];
    const sealed: Record<string, string> = {};
    for (const path of paths) {
      const value = valueAt(event.data, path);
      if (isEnvelope(value)) sealed[path] = sealFieldReference(event.metadata.eventId, path, value);
    }
    const cipherable = event as unknown as CipherableEvent;
    const decoded = cipher.hasPersonalData(cipherable)
      ? (cipher.decrypt(cipherable, await keys.getKey(event.data.customerId)) as unknown as typeof event)
      : event;
    return { ...decoded, streamId: stored.streamId, revision: stored.revision, position: stored.position, sealed };
  };
}
