import { randomBytes } from 'node:crypto';
import { withMetadata } from '@rapport/testing';
import { EnvelopeOpenerThread } from './envelope-opener-thread';
import { PersonalDataCipher } from './personal-data-cipher';

const cipher = new PersonalDataCipher();
const key = randomBytes(32);
const sealed = cipher.encrypt(
  withMetadata({
    type: 'CustomerRegistered',
    data: {
      customerId: 'c-1',
      name: '王小明',
      email: 'xiaoming@example.com',
      acquisitionChannel: 'web',
      acquisitionCost: 3,
      region: 'east',
      city: 'Shanghai',
      demographics: {},
    },
  }),
  key,
);
const { eventId } = sealed.metadata;
const name = { eventId, path: 'name', envelope: String(sealed.data.name) };
const email = { eventId, path: 'email', envelope: String(sealed.data.email) };

describe('EnvelopeOpenerThread', () => {
  const thread = new EnvelopeOpenerThread();
  afterAll(() => thread.close());

  it('opens what the cipher sealed, in the order asked, as the cipher itself opens it', async () => {
    await expect(thread.open([email, name], key)).resolves.toEqual([
      { ok: true, value: 'xiaoming@example.com' },
      { ok: true, value: '王小明' },
    ]);
    expect(cipher.open(eventId, 'name', name.envelope, key)).toBe('王小明');
  });

  it('refuses an envelope moved to another field or event, altered, or under another key', async () => {
    const altered = `${name.envelope.slice(0, -4)}AAAA`;
    const opened = await Promise.all([
      thread.open(
        [
          { ...name, path: 'email' },
          { ...name, eventId: 'other' },
          { ...name, envelope: altered },
        ],
        key,
      ),
      thread.open([name], randomBytes(32)),
    ]);
    expect(opened).toEqual([[{ ok: false }, { ok: false }, { ok: false }], [{ ok: false }]]);
  });
});
