import type { CustomerEvent } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import { MemoryKeyStore, PersonalDataCipher, type CipherableEvent } from '@rapport/personal-data';
import {
  evolveCustomerProfile,
  type CustomerProfile,
} from '@rapport/projections/customer-profile/customer-profile.projection';
import { revealCustomerProfile } from '@rapport/projections/customer-profile/customer-profile.reveal';
import {
  createCustomerDecoder,
  createProjectionDecoder,
  PersonalDataReader,
  SealedDataRevealer,
} from '@rapport/application';
import { PersonalDataTamperedError } from '@rapport/personal-data';

const cipher = new PersonalDataCipher();

async function storedRegistration(keys: MemoryKeyStore, customerId: string): Promise<StoredEvent> {
  const event = {
    type: 'CustomerRegistered',
    data: {
      customerId,
      name: 'Wang Fang',
      email: 'wf@example.com',
      acquisitionChannel: 'web',
      acquisitionCost: 1,
      region: 'north',
      city: 'Beijing',
      demographics: {},
    },
    metadata: {
      eventId: '0b7c1a52-0000-4000-8000-000000000001',
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      actor: { id: 'a', role: 'agent' },
      channel: 'web',
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
  } as CustomerEvent;
  const sealed = cipher.encrypt(
    event as unknown as CipherableEvent,
    await keys.getOrCreateKey(customerId),
  ) as unknown as CustomerEvent;
  return { ...sealed, streamId: `customer-${customerId}`, revision: 0, position: 1 } as unknown as StoredEvent;
}

describe('personal data on the read side', () => {
  it('given a stored event, the decoder gives projections plaintext and the sealed form; the profile keeps only the sealed form', async () => {
    const keys = new MemoryKeyStore();
    const projected = await createProjectionDecoder(keys)(await storedRegistration(keys, 'c1'));
    expect(projected?.data).toMatchObject({ name: 'Wang Fang', email: 'wf@example.com' });
    expect(Object.keys(projected?.sealed ?? {}).sort()).toEqual(['email', 'name']);
    const profile = evolveCustomerProfile(null, projected!);
    expect(JSON.stringify(profile)).not.toMatch(/Wang Fang|wf@example/);
  });

  it('reveals sealed fields for auditors and admins, redacts them for other roles, and reads [erased] once the key is destroyed', async () => {
    const keys = new MemoryKeyStore();
    const projected = await createProjectionDecoder(keys)(await storedRegistration(keys, 'c1'));
    const profile = evolveCustomerProfile(null, projected!);
    const revealer = new SealedDataRevealer(new PersonalDataReader(keys));
    expect((await revealer.reveal('auditor', 'c1', profile)).personal).toEqual({
      name: 'Wang Fang',
      email: 'wf@example.com',
      phone: null,
      address: null,
    });
    expect((await revealer.reveal('analyst', 'c1', profile)).personal).toEqual({
      name: '[redacted]',
      email: '[redacted]',
      phone: null,
      address: null,
    });
    await keys.destroyKey('c1');
    expect((await revealer.reveal('admin', 'c1', profile)).personal?.name).toBe('[erased]');
  });

  it('after erasure the decoder hands projections [erased] and still seals the envelope', async () => {
    const keys = new MemoryKeyStore();
    const stored = await storedRegistration(keys, 'c2');
    await keys.destroyKey('c2');
    const projected = await createProjectionDecoder(keys)(stored);
    expect(projected?.data).toMatchObject({ name: '[erased]' });
    expect(projected?.sealed?.name).toMatch(/^pdref:v1:/);
  });

  it('a sealed field moved to another event or path does not decrypt (reads [unreadable])', async () => {
    const keys = new MemoryKeyStore();
    const projected = await createProjectionDecoder(keys)(await storedRegistration(keys, 'c3'));
    const moved = (projected!.sealed!.name as string).replace(':name:', ':email:');
    const revealer = new SealedDataRevealer(new PersonalDataReader(keys));
    expect(await revealer.reveal('auditor', 'c3', { field: moved })).toEqual({ field: '[unreadable]' });
  });

  it('decrypts a field only when a projection reads it: an altered name still builds the profile, and reads [unreadable] when revealed', async () => {
    const keys = new MemoryKeyStore();
    const stored = await storedRegistration(keys, 'c4');
    const envelope = String(stored.data['name']);
    const altered = { ...stored, data: { ...stored.data, name: `${envelope.slice(0, -4)}AAA=` } } as StoredEvent;
    const projected = (await createProjectionDecoder(keys)(altered))!;
    const profile = evolveCustomerProfile(null, projected);
    expect(profile.region).toBe('north');
    expect(() => projected.data).not.toThrow();
    expect(() => (projected.data as { name: string }).name).toThrow(PersonalDataTamperedError);
    const revealer = new SealedDataRevealer(new PersonalDataReader(keys));
    expect((await revealer.reveal('auditor', 'c4', profile)).personal).toMatchObject({
      name: '[unreadable]',
      email: 'wf@example.com',
    });
    // The audit replay's policy: a tampered field reads [unreadable] instead of failing the answer.
    const audit = await createCustomerDecoder(keys, 'c4', 'unreadable');
    expect(audit(altered).data).toMatchObject({ name: '[unreadable]', email: 'wf@example.com' });
  });

  it("one customer's decoder decodes as the runner's does, and refuses another customer's event", async () => {
    const keys = new MemoryKeyStore();
    const stored = await storedRegistration(keys, 'c5');
    const decode = await createCustomerDecoder(keys, 'c5');
    const byRunner = (await createProjectionDecoder(keys)(stored))!;
    expect({ ...decode(stored), data: { ...decode(stored).data } }).toEqual({
      ...byRunner,
      data: { ...byRunner.data },
    });
    expect(decode(stored).data).toMatchObject({ name: 'Wang Fang' });
    const other = await storedRegistration(keys, 'c6');
    expect(() => decode(other)).toThrow(/not of customer c5/);
  });

  it('an erased profile reads [erased] for every role, as GET /customers/{id} shows it', async () => {
    const keys = new MemoryKeyStore();
    const profile = evolveCustomerProfile(
      null,
      (await createProjectionDecoder(keys)(await storedRegistration(keys, 'c7')))!,
    );
    const erased = { ...profile, erased: true, erasedAt: '2026-02-01T00:00:00.000Z', personal: null };
    const revealer = new SealedDataRevealer(new PersonalDataReader(keys));
    const asSeenBy = async (role: 'analyst' | 'auditor', doc: CustomerProfile) =>
      revealCustomerProfile(doc, revealer.openerFor(await revealer.viewFor(role, 'c7')));
    for (const role of ['analyst', 'auditor'] as const) {
      expect((await asSeenBy(role, erased)).personal).toEqual({
        name: '[erased]',
        email: '[erased]',
        phone: '[erased]',
        address: '[erased]',
      });
    }
    expect((await asSeenBy('analyst', profile)).personal?.name).toBe('[redacted]');
  });
});
