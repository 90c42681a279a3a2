import type { CustomerEvent } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import {
  MemoryKeyStore,
  PersonalDataCipher,
  PersonalDataTamperedError,
  type CipherableEvent,
} from '@rapport/personal-data';
import { createCustomerDecoder, type OpenedFields } from './projection-decoder';

const cipher = new PersonalDataCipher();
const NOTES_AT_DECODE: OpenedFields = new Map([['CallLogged', ['notes']]]);

async function storedEvent(
  keys: MemoryKeyStore,
  type: string,
  data: Record<string, unknown>,
  revision: number,
): Promise<StoredEvent> {
  const event = {
    type,
    data: { customerId: 'c1', ...data },
    metadata: {
      eventId: `0b7c1a52-0000-4000-8000-00000000000${revision}`,
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      actor: { id: 'a', role: 'agent' },
      channel: 'phone',
      correlationId: 'c',
      causationId: null,
      schemaVersion: type === 'CallLogged' ? 2 : 1,
    },
  } as unknown as CustomerEvent;
  const sealed = cipher.encrypt(
    event as unknown as CipherableEvent,
    await keys.getOrCreateKey('c1'),
  ) as unknown as CustomerEvent;
  return { ...sealed, streamId: 'customer-c1', revision, position: revision + 1 } as unknown as StoredEvent;
}

const call = (keys: MemoryKeyStore, notes: string) =>
  storedEvent(
    keys,
    'CallLogged',
    { callId: 'k1', direction: 'inbound', durationSeconds: 60, agentId: 'a', topic: 't', outcome: 'resolved', notes },
    0,
  );
const registration = (keys: MemoryKeyStore) =>
  storedEvent(
    keys,
    'CustomerRegistered',
    {
      name: 'Wang Fang',
      email: 'wf@example.com',
      acquisitionChannel: 'web',
      acquisitionCost: 1,
      region: 'north',
      city: 'Beijing',
      demographics: {},
    },
    1,
  );
const tampered = (stored: StoredEvent, field: string): StoredEvent => {
  const envelope = String(stored.data[field]);
  return { ...stored, data: { ...stored.data, [field]: `${envelope.slice(0, -4)}AAA=` } };
};

describe('projection decoder: fields opened at decode', () => {
  it('gives the same event as the lazy decoding, with the field decrypted up front as a plain value', async () => {
    const keys = new MemoryKeyStore();
    const stored = await call(keys, '服务很好，送货很快');
    const lazy = (await createCustomerDecoder(keys, 'c1'))(stored);
    const eager = (await createCustomerDecoder(keys, 'c1', 'throw', NOTES_AT_DECODE))(stored);
    expect(Object.getOwnPropertyDescriptor(eager.data, 'notes')).toMatchObject({
      value: '服务很好，送货很快',
      enumerable: true,
    });
    expect(Object.getOwnPropertyDescriptor(lazy.data, 'notes')?.get).toBeDefined();
    expect({ ...eager, data: { ...eager.data } }).toEqual({ ...lazy, data: { ...lazy.data } });
    expect(eager.sealed?.['notes']).toMatch(/^pdref:v1:/);
  });

  it('keeps every other personal field lazy: a tampered one fails only when read', async () => {
    const keys = new MemoryKeyStore();
    const altered = tampered(await registration(keys), 'name');
    const projected = (await createCustomerDecoder(keys, 'c1', 'throw', NOTES_AT_DECODE))(altered);
    expect(projected.data).toMatchObject({ region: 'north', email: 'wf@example.com' });
    expect(() => (projected.data as { name: string }).name).toThrow(PersonalDataTamperedError);
  });

  it('a tampered field opened at decode reads [unreadable] for the audit replay, and fails the decoding otherwise', async () => {
    const keys = new MemoryKeyStore();
    const altered = tampered(await call(keys, 'great service'), 'notes');
    expect((await createCustomerDecoder(keys, 'c1', 'unreadable', NOTES_AT_DECODE))(altered).data).toMatchObject({
      notes: '[unreadable]',
    });
    const strict = await createCustomerDecoder(keys, 'c1', 'throw', NOTES_AT_DECODE);
    expect(() => strict(altered)).toThrow(PersonalDataTamperedError);
  });

  it('takes values opened ahead in bulk, by event and path; a refused one is tampered', async () => {
    const keys = new MemoryKeyStore();
    const stored = await call(keys, 'great service');
    const eventId = String(stored.metadata['eventId']);
    const ahead = (ok: boolean) => (id: string, path: string) =>
      id === eventId && path === 'notes'
        ? ok
          ? { ok: true as const, value: 'opened ahead' }
          : { ok: false as const }
        : undefined;
    expect((await createCustomerDecoder(keys, 'c1', 'throw', NOTES_AT_DECODE, ahead(true)))(stored).data).toMatchObject(
      { notes: 'opened ahead' },
    );
    expect(
      (await createCustomerDecoder(keys, 'c1', 'unreadable', NOTES_AT_DECODE, ahead(false)))(stored).data,
    ).toMatchObject({ notes: '[unreadable]' });
    await expect(
      createCustomerDecoder(keys, 'c1', 'throw', NOTES_AT_DECODE, ahead(false)).then((decode) => decode(stored)),
    ).rejects.toThrow(PersonalDataTamperedError);
    // Not opened ahead: opened here.
    expect(
      (await createCustomerDecoder(keys, 'c1', 'throw', NOTES_AT_DECODE, () => undefined))(stored).data,
    ).toMatchObject({ notes: 'great service' });
  });

  it('once the key is destroyed, the field reads [erased]', async () => {
    const keys = new MemoryKeyStore();
    const stored = await call(keys, 'great service');
    await keys.destroyKey('c1');
    const projected = (await createCustomerDecoder(keys, 'c1', 'unreadable', NOTES_AT_DECODE))(stored);
    expect(projected.data).toMatchObject({ notes: '[erased]' });
    expect(projected.sealed?.['notes']).toMatch(/^pdref:v1:/);
  });
});
