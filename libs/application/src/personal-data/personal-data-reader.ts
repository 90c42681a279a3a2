import { Inject, Injectable } from '@nestjs/common';
import { ERASED_TEXT, type Role } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import {
  KEY_STORE,
  PersonalDataCipher,
  PersonalDataTamperedError,
  type CipherableEvent,
  type KeyStore,
} from '@rapport/personal-data';

/** The roles that read personal data in plaintext (while the customer's key exists). */
export const PERSONAL_DATA_READERS: readonly Role[] = ['auditor', 'admin'];

/** What a personal-data field reads as when its envelope fails authentication. */
export const UNREADABLE_TEXT = '[unreadable]';

/** What a role sees of one customer's personal data: a key (plaintext), erased, or redacted. */
export type PersonalDataView = { kind: 'plain'; key: Buffer } | { kind: 'erased' } | { kind: 'redacted' };

/**
 * The read side of personal-data protection (the command side only encrypts): auditors and admins
 * read plaintext, or `[erased]` once the customer's key is destroyed; every other role reads
 * `[redacted]`. The stored (encrypted) event is never changed.
 */
@Injectable()
export class PersonalDataReader {
  private readonly cipher = new PersonalDataCipher();

  constructor(@Inject(KEY_STORE) private readonly keys: KeyStore) {}

  canRead(role: Role): boolean {
    return PERSONAL_DATA_READERS.includes(role);
  }

  /** Looks the customer's key up once; apply the view to each of the customer's events. */
  async viewFor(role: Role, customerId: string): Promise<PersonalDataView> {
    if (!this.canRead(role)) return { kind: 'redacted' };
    const key = await this.keys.getKey(customerId);
    return key ? { kind: 'plain', key } : { kind: 'erased' };
  }

  apply(view: PersonalDataView, event: StoredEvent): StoredEvent {
    const cipherable = event as unknown as CipherableEvent;
    if (!this.cipher.hasPersonalData(cipherable)) return event;
    switch (view.kind) {
      case 'plain':
        try {
          return this.cipher.decrypt(cipherable, view.key) as unknown as StoredEvent;
        } catch (error) {
          // An altered envelope must not hide the rest of the history; verification reports the tampering.
          if (error instanceof PersonalDataTamperedError)
            return this.cipher.redact(cipherable, UNREADABLE_TEXT) as unknown as StoredEvent;
          throw error;
        }
      case 'erased':
        return this.cipher.redact(cipherable, ERASED_TEXT) as unknown as StoredEvent;
      case 'redacted':
        return this.cipher.redact(cipherable) as unknown as StoredEvent;
      default: {
        const _exhaustive: never = view;
        return _exhaustive;
      }
    }
  }
}
