import { Inject, Injectable } from '@nestjs/common';
import { ERASED_TEXT } from '@rapport/domain';
import { PersonalDataCipher, PersonalDataTamperedError, REDACTED_TEXT } from '@rapport/personal-data';
import { PersonalDataReader, UNREADABLE_TEXT, type PersonalDataView } from '../audit/personal-data-reader';
import type { ApiRole } from '../auth/roles';
import { parseSealedField, type SealedField } from './sealed-field';

/** One field type per path, so the cipher binds the envelope to the very path it was sealed under. */
const FIELD = 'SealedField';

function nest(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((inner, part, index) => ({ [part]: index === 0 ? value : inner }), {});
}

function at(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), data);
}

/**
 * Reveals the sealed personal-data fields of a read-model document at query time, per role, with the
 * engine's personal-data reader: auditors and admins read plaintext (`[erased]` once the customer's key
 * is destroyed), every other role reads `[redacted]`. Other fields pass through unchanged.
 */
@Injectable()
export class SealedDataRevealer {
  constructor(@Inject(PersonalDataReader) private readonly reader: PersonalDataReader) {}

  async reveal<T>(role: ApiRole, customerId: string, doc: T): Promise<T> {
    const view = await this.reader.viewFor(role, customerId);
    return this.map(doc, view) as T;
  }

  private map(value: unknown, view: PersonalDataView): unknown {
    if (typeof value === 'string') {
      const sealed = parseSealedField(value);
      return sealed ? this.open(sealed, view) : value;
    }
    if (Array.isArray(value)) return value.map((item) => this.map(item, view));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.map(item, view)]));
    }
    return value;
  }

  private open(sealed: SealedField, view: PersonalDataView): unknown {
    switch (view.kind) {
      case 'redacted':
        return REDACTED_TEXT;
      case 'erased':
        return ERASED_TEXT;
      case 'plain': {
        const cipher = new PersonalDataCipher({ [FIELD]: [sealed.path] });
        try {
          const event = cipher.decrypt({ type: FIELD, data: nest(sealed.path, sealed.envelope), metadata: { eventId: sealed.eventId } }, view.key);
          return at(event.data, sealed.path);
        } catch (error) {
          if (error instanceof PersonalDataTamperedError) return UNREADABLE_TEXT;
          throw error;
        }
      }
      default: {
        const _exhaustive: never = view;
        return _exhaustive;
      }
    }
  }
}
