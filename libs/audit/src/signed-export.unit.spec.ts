import { generateKeyPairSync } from 'node:crypto';
import { MemoryEventStore, type StoredEvent } from '@rapport/event-store';
import { signedExportLines } from './signed-export';
import { verifyExport } from './verify-export';

async function exportOf(events: StoredEvent[], privateKey = keys.privateKey): Promise<Buffer> {
  let text = '';
  for await (const line of signedExportLines(
    (async function* () {
      yield* events;
    })(),
    { privateKey, createdAt: '2025-01-01T00:00:00.000Z' },
  ))
    text += line;
  return Buffer.from(text, 'utf8');
}

async function* chunked(buffer: Buffer, size = 7) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

const keys = generateKeyPairSync('ed25519');
let stored: StoredEvent[];

beforeAll(async () => {
  const store = new MemoryEventStore();
  for (const customer of ['a', 'b']) {
    for (let i = 0; i < 3; i++) {
      await store.appendToStream(`customer-${customer}`, [
        {
          type: 'CallLogged',
          data: { customerId: customer, note: `call ${i} 电话` },
          metadata: { eventId: `${customer}-${i}` },
        },
      ]);
    }
  }
  stored = [];
  for await (const event of store.readAll()) stored.push(event);
});

describe('signed export', () => {
  it('verifies offline with the public key, whatever the chunking', async () => {
    const file = await exportOf(stored);
    expect(file.toString().trim().split('\n')).toHaveLength(stored.length + 2);
    await expect(verifyExport(chunked(file, 5), { publicKey: keys.publicKey })).resolves.toMatchObject({
      ok: true,
      events: 6,
      streams: 2,
      trustedKey: 'given',
    });
  });

  it('detects any single altered byte', async () => {
    const file = await exportOf(stored);
    // Every byte position in a sample across header, events and trailer.
    for (let at = 0; at < file.length; at += 37) {
      const altered = Buffer.from(file);
      altered[at] = altered[at]! ^ 0x01;
      const verdict = await verifyExport(chunked(altered, 64), { publicKey: keys.publicKey });
      expect({ at, ok: verdict.ok }).toEqual({ at, ok: false });
    }
  });

  it('refuses an export signed by another key than the trusted one', async () => {
    const other = generateKeyPairSync('ed25519');
    const file = await exportOf(stored, other.privateKey);
    await expect(verifyExport(chunked(file), { publicKey: keys.publicKey })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringContaining('signature'),
    });
  });

  it('refuses a re-signed export whose hash chain was rewritten', async () => {
    const forged = stored.map((e) =>
      e.streamId === 'customer-a' && e.revision === 1 ? { ...e, data: { ...e.data, note: 'forged' } } : e,
    );
    const file = await exportOf(forged);
    await expect(verifyExport(chunked(file), { publicKey: keys.publicKey })).resolves.toMatchObject({
      ok: false,
      line: 3,
      reason: 'customer-a: hash chain broken at revision 1',
    });
  });

  it('refuses a truncated export', async () => {
    const file = await exportOf(stored);
    const cut = file.subarray(0, file.lastIndexOf('\n', file.length - 2) + 1);
    await expect(verifyExport(chunked(cut), { publicKey: keys.publicKey })).resolves.toMatchObject({ ok: false });
  });
});
