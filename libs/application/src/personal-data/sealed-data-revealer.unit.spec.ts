import type { CustomerEvent } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import { MemoryKeyStore, PersonalDataCipher, type CipherableEvent } from '@rapport/personal-data';
import { PersonalDataReader } from './personal-data-reader';
import { SealedDataRevealer } from './sealed-data-revealer';
import { parseSealedField, sealFieldReference } from './sealed-field';

const cipher = new PersonalDataCipher();
const EVENT_ID = '0b7c1a52-0000-4000-8000-0000000000aa';

function registration(customerId: string): CustomerEvent {
  return {
    type: 'CustomerRegistered',
    data: {
      customerId,
      name: 'Li Lei',
      email: 'll@example.com',
      acquisitionChannel: 'web',
      acquisitionCost: 1,
      region: 'east',
      city: 'Shanghai',
      demographics: {},
    },
    metadata: {
      eventId: EVENT_ID,
      occurredAt: '2026-02-01T00:00:00.000Z',
      recordedAt: '2026-02-01T00:00:00.000Z',
      actor: { id: 'a', role: 'agent' },
      channel: 'web',
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
  } as CustomerEvent;
}

/** A read-model document holding the sealed name deep inside (an array of objects), as a fold could keep it. */
async function sealedDocument(keys: MemoryKeyStore, customerId: string) {
  const sealed = cipher.encrypt(
    registration(customerId) as unknown as CipherableEvent,
    await keys.getOrCreateKey(customerId),
  ) as unknown as { data: { name: string } };
  const name = sealFieldReference(EVENT_ID, 'name', sealed.data.name);
  return { customerId, notes: [{ by: 'agent', name }], untouched: { tier: 'gold' } };
}

describe('SealedDataRevealer', () => {
  it('given a sealed field nested in a document, when an auditor reads it, then it is the plaintext and the rest is shared', async () => {
    const keys = new MemoryKeyStore();
    const doc = await sealedDocument(keys, 'c1');
    const revealed = await new SealedDataRevealer(new PersonalDataReader(keys)).reveal('auditor', 'c1', doc);
    expect(revealed.notes[0]?.name).toBe('Li Lei');
    expect(revealed.untouched).toBe(doc.untouched);
    expect(doc.notes[0]?.name).toMatch(/^pdref:v1:/);
  });

  it('given a sealed field, when an agent reads it, then it is [redacted]; once the key is destroyed an admin reads [erased]', async () => {
    const keys = new MemoryKeyStore();
    const doc = await sealedDocument(keys, 'c2');
    const revealer = new SealedDataRevealer(new PersonalDataReader(keys));
    expect((await revealer.reveal('agent', 'c2', doc)).notes[0]?.name).toBe('[redacted]');
    await keys.destroyKey('c2');
    expect((await revealer.reveal('admin', 'c2', doc)).notes[0]?.name).toBe('[erased]');
  });

  it('given an altered envelope, when an admin reads it, then it is [unreadable] and the rest still reads', async () => {
    const keys = new MemoryKeyStore();
    const doc = await sealedDocument(keys, 'c3');
    const field = parseSealedField(doc.notes[0]?.name)!;
    const flipped =
      field.envelope.slice(0, -3) + (field.envelope.at(-3) === 'A' ? 'B' : 'A') + field.envelope.slice(-2);
    const altered = { ...doc, notes: [{ by: 'agent', name: sealFieldReference(EVENT_ID, 'name', flipped) }] };
    const revealed = await new SealedDataRevealer(new PersonalDataReader(keys)).reveal('admin', 'c3', altered);
    expect(revealed.notes[0]?.name).toBe('[unreadable]');
    expect(revealed.customerId).toBe('c3');
  });

  it('given a document without sealed fields, when revealed, then the very same object comes back', async () => {
    const doc = { customerId: 'c4', values: ['pdref:v1:not-a-reference', 'plain'] };
    expect(await new SealedDataRevealer(new PersonalDataReader(new MemoryKeyStore())).reveal('admin', 'c4', doc)).toBe(
      doc,
    );
  });
});

describe('PersonalDataReader', () => {
  it('given a stored event with personal data, then readers get plaintext, other roles [redacted], and [erased] after the key is gone', async () => {
    const keys = new MemoryKeyStore();
    const stored = {
      ...cipher.encrypt(registration('c5') as unknown as CipherableEvent, await keys.getOrCreateKey('c5')),
      streamId: 'customer-c5',
      revision: 0,
      position: 1,
    } as unknown as StoredEvent;
    const reader = new PersonalDataReader(keys);
    const nameFor = async (role: 'admin' | 'analyst') =>
      (reader.apply(await reader.viewFor(role, 'c5'), stored).data as { name: string }).name;
    expect(await nameFor('admin')).toBe('Li Lei');
    expect(await nameFor('analyst')).toBe('[redacted]');
    await keys.destroyKey('c5');
    expect(await nameFor('admin')).toBe('[erased]');
  });
});
