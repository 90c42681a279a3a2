import { Inject, Injectable } from '@nestjs/common';
import { ERASED_TEXT, type Role } from '@rapport/domain';
import { PersonalDataCipher, PersonalDataTamperedError, REDACTED_TEXT } from '@rapport/personal-data';
import type { SealedFieldOpener } from '@rapport/projection-engine';
import { PersonalDataReader, UNREADABLE_TEXT, type PersonalDataView } from './personal-data-reader';
import { parseSealedField, SEALED_PREFIX, type SealedField } from './sealed-field';

/**
 * Reveals the sealed personal-data fields of a read-model document at query time, per role, with the
 * personal-data reader: auditors and admins read plaintext (`[erased]` once the customer's key
 * is destroyed), every other role reads `[redacted]`. Other fields pass through unchanged.
 */
@Injectable()
export class SealedDataRevealer {
  private readonly cipher = new PersonalDataCipher();

  constructor(@Inject(PersonalDataReader) private readonly reader: PersonalDataReader) {}

  async reveal<T>(role: Role, customerId: string, doc: T): Promise<T> {
    return this.revealWith(await this.viewFor(role, customerId), doc);
  }

  /** What `role` sees of the customer's personal data; look it up once to reveal several documents. */
  viewFor(role: Role, customerId: string): Promise<PersonalDataView> {
    return this.reader.viewFor(role, customerId);
  }

  /** `reveal` with the view already looked up. */
  revealWith<T>(view: PersonalDataView, doc: T): T {
    return this.map(doc, view) as T;
  }

  /** The view as the opener a read model's reveal rules take (`ReadModelDefinition.reveal`). */
  openerFor(view: PersonalDataView): SealedFieldOpener {
    return { open: (value) => this.revealWith(view, value) };
  }

  /** Copies only what holds a sealed field; everything else is returned as it is. */
  private map(value: unknown, view: PersonalDataView): unknown {
    if (typeof value === 'string') {
      if (!value.startsWith(SEALED_PREFIX)) return value;
      const sealed = parseSealedField(value);
      return sealed ? this.open(sealed, view) : value;
    }
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      value.forEach((item: unknown, index) => {
        const mapped = this.map(item, view);
        if (mapped !== item) (copy ??= [...value])[index] = mapped;
      });
      return copy ?? value;
    }
    let copy: Record<string, unknown> | null = null;
    for (const [key, item] of Object.entries(value)) {
      const mapped = this.map(item, view);
      if (mapped !== item) (copy ??= { ...value })[key] = mapped;
    }
    return copy ?? value;
  }

  private open(sealed: SealedField, view: PersonalDataView): unknown {
    switch (view.kind) {
      case 'redacted':
        return REDACTED_TEXT;
      case 'erased':
        return ERASED_TEXT;
      case 'plain':
        try {
          return this.cipher.open(sealed.eventId, sealed.path, sealed.envelope, view.key);
        } catch (error) {
          if (error instanceof PersonalDataTamperedError) return UNREADABLE_TEXT;
          throw error;
        }
      default: {
        const _exhaustive: never = view;
        return _exhaustive;
      }
    }
  }
}
