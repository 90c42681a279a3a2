import { randomBytes } from 'node:crypto';
import { ERASED_TEXT, PERSONAL_DATA_FIELDS, type CustomerEvent } from '@rapport/domain';
import { withMetadata } from '@rapport/testing';
import {
  ENVELOPE_PREFIX,
  isEnvelope,
  PersonalDataCipher,
  PersonalDataTamperedError,
  REDACTED_TEXT,
} from './personal-data-cipher';

const cipher = new PersonalDataCipher();
const key = randomBytes(32);

const registered = withMetadata({
  type: 'CustomerRegistered',
  data: {
    customerId: 'c-1',
    name: '王小明',
    email: 'xiaoming@example.com',
    phone: '+86 138 0013 8000',
    acquisitionChannel: 'web',
    acquisitionCost: 3,
    region: 'east',
    city: 'Shanghai',
    demographics: {},
  },
});
const profileUpdated = withMetadata({
  type: 'CustomerProfileUpdated',
  data: { customerId: 'c-1', changes: { address: '1 Nanjing Road', city: 'Shanghai' } },
});

describe('PersonalDataCipher', () => {
  it('encrypts exactly the personal fields, into pd:v1 envelopes', () => {
    const encrypted = cipher.encrypt(registered, key);
    for (const field of ['name', 'email', 'phone'] as const) {
      expect(isEnvelope(encrypted.data[field])).toBe(true);
      expect(String(encrypted.data[field]).startsWith(ENVELOPE_PREFIX)).toBe(true);
    }
    expect(encrypted.data).not.toHaveProperty('address'); // absent stays absent
    expect({ ...encrypted.data, name: 0, email: 0, phone: 0 }).toEqual({
      ...registered.data,
      name: 0,
      email: 0,
      phone: 0,
    });
    expect(encrypted.metadata).toEqual(registered.metadata);
  });

  it('never leaves plaintext in the ciphertext', () => {
    const stored = JSON.stringify(cipher.encrypt(registered, key));
    for (const plain of ['王小明', 'xiaoming', '138 0013', 'example.com']) expect(stored).not.toContain(plain);
  });

  it('uses a fresh IV each time: the same value never encrypts to the same envelope', () => {
    expect(cipher.encrypt(registered, key).data.name).not.toEqual(cipher.encrypt(registered, key).data.name);
  });

  it('round-trips every event type, nested paths included, without mutating its input', () => {
    const before = JSON.stringify(profileUpdated);
    const encrypted = cipher.encrypt(profileUpdated, key);
    expect(isEnvelope((encrypted.data as { changes: { address: string } }).changes.address)).toBe(true);
    expect(cipher.decrypt(encrypted, key)).toEqual(profileUpdated);
    expect(cipher.decrypt(cipher.encrypt(registered, key), key)).toEqual(registered);
    expect(JSON.stringify(profileUpdated)).toBe(before);
  });

  it('encrypts several fields under one nested object without touching the input object', () => {
    const changes = { name: 'Li', email: 'li@example.com', address: '1 Nanjing Road', city: 'Shanghai' };
    const event = withMetadata({ type: 'CustomerProfileUpdated', data: { customerId: 'c-1', changes } });
    const encrypted = cipher.encrypt(event, key);
    const sealed = (encrypted.data as { changes: Record<string, unknown> }).changes;
    expect([sealed.name, sealed.email, sealed.address].every(isEnvelope)).toBe(true);
    expect(sealed.city).toBe('Shanghai');
    expect(changes).toEqual({ name: 'Li', email: 'li@example.com', address: '1 Nanjing Road', city: 'Shanghai' });
    expect(cipher.decrypt(encrypted, key)).toEqual(event);
  });

  it('opens one stored field bound to its event id and path, and passes a value that is not an envelope through', () => {
    const encrypted = cipher.encrypt(registered, key);
    expect(cipher.open(registered.metadata.eventId, 'name', encrypted.data.name, key)).toBe('王小明');
    expect(() => cipher.open(registered.metadata.eventId, 'email', encrypted.data.name, key)).toThrow(
      PersonalDataTamperedError,
    );
    expect(cipher.open('e', 'name', 'written before encryption', key)).toBe('written before encryption');
  });

  it('reads every personal field as ERASED_TEXT once the key is gone, and nothing else changes', () => {
    const erased = cipher.decrypt(cipher.encrypt(registered, key), null);
    expect(erased.data).toEqual({ ...registered.data, name: ERASED_TEXT, email: ERASED_TEXT, phone: ERASED_TEXT });
  });

  it('detects a tampered envelope', () => {
    const encrypted = cipher.encrypt(registered, key);
    const bytes = Buffer.from(String(encrypted.data.name).slice(ENVELOPE_PREFIX.length), 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    const tampered = { ...encrypted, data: { ...encrypted.data, name: ENVELOPE_PREFIX + bytes.toString('base64') } };
    expect(() => cipher.decrypt(tampered, key)).toThrow(PersonalDataTamperedError);
  });

  it('refuses an envelope moved to another field or another event', () => {
    const encrypted = cipher.encrypt(registered, key);
    const swapped = { ...encrypted, data: { ...encrypted.data, email: encrypted.data.name } };
    expect(() => cipher.decrypt(swapped, key)).toThrow(PersonalDataTamperedError);
    const moved = { ...encrypted, metadata: { ...encrypted.metadata, eventId: 'another-event' } };
    expect(() => cipher.decrypt(moved, key)).toThrow(/fails authentication/);
  });

  it('refuses the wrong key', () => {
    expect(() => cipher.decrypt(cipher.encrypt(registered, key), randomBytes(32))).toThrow(PersonalDataTamperedError);
  });

  it('redacts personal fields for roles that may not read them', () => {
    const redacted = cipher.redact(cipher.encrypt(registered, key));
    expect(redacted.data).toEqual({
      ...registered.data,
      name: REDACTED_TEXT,
      email: REDACTED_TEXT,
      phone: REDACTED_TEXT,
    });
  });

  it('leaves events without personal data as they are', () => {
    const purchase = withMetadata({
      type: 'PurchaseRecorded',
      data: {
        customerId: 'c-1',
        orderId: 'o',
        lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 1 }],
        total: 1,
        currency: 'EUR',
      },
    });
    expect(cipher.encrypt(purchase, key)).toBe(purchase);
    expect(cipher.hasPersonalData(purchase)).toBe(false);
    expect(cipher.hasPersonalData(registered)).toBe(true);
  });

  it('knows the personal paths of every event type from the catalogue', () => {
    for (const [type, paths] of Object.entries(PERSONAL_DATA_FIELDS)) expect(cipher.pathsOf(type)).toEqual(paths);
    expect(cipher.pathsOf('SomethingElse')).toEqual([]);
  });

  it('keeps non-string personal values typed through the round trip', () => {
    const odd = new PersonalDataCipher({ Custom: ['note'] });
    const event = { type: 'Custom', data: { note: { lines: ['a', 1] } }, metadata: { eventId: 'e' } };
    expect(odd.decrypt(odd.encrypt(event, key), key)).toEqual(event);
  });
});

// Type check only: a CustomerEvent goes through the cipher and stays a CustomerEvent.
export const typed = (event: CustomerEvent): CustomerEvent => cipher.decrypt(cipher.encrypt(event, key), key);
