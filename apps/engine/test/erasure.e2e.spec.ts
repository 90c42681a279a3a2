import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERASED_TEXT } from '@rapport/domain';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, PersonalDataCipher, type CipherableEvent, type KeyStore } from '@rapport/personal-data';
import { startTestEngine, storedEvents, type TestEngine } from './engine-test-app';
import { at, registration } from './touchpoint-requests';

/** Every file under the data dir (including -wal and -shm), as raw bytes. */
function rawFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [p, b] of rawFiles(path)) files.set(p, b);
    else files.set(path, readFileSync(path));
  }
  return files;
}

/** The files (and encodings) in which `needle` occurs. */
function occurrences(dir: string, needle: string | Buffer): string[] {
  const needles = typeof needle === 'string' ? [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')] : [needle];
  return [...rawFiles(dir)].filter(([, bytes]) => needles.some((n) => bytes.includes(n))).map(([path]) => path);
}

describe('erasure (crypto-shredding) over HTTP on the embedded SQLite store', () => {
  let engine: TestEngine;
  const personal = {
    name: 'Zhang Wei-Unique-Name-7731',
    email: 'zhang.unique.7731@example.org',
    phone: '+86 139 7731 7731',
    address: '77 Unique Lane 7731, Hangzhou',
    notes: 'Secret call note 7731 about a delivery',
    description: 'Complaint text 7731: parcel was opened',
    comment: 'Survey comment 7731 非常满意',
  };
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(() => engine.close());

  it('no plaintext personal data is stored before, the key is gone after, the chain still verifies', async () => {
    const agent = (url: string, payload: object) => engine.request('agent', { method: 'POST', url, payload });
    expect(
      (
        await agent(
          '/customers',
          registration('erin-7731', {
            name: personal.name,
            email: personal.email,
            phone: personal.phone,
            address: personal.address,
          }),
        )
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await agent('/customers/erin-7731/calls', {
          callId: 'c1',
          direction: 'inbound',
          durationSeconds: 60,
          topic: 'delivery',
          outcome: 'resolved',
          notes: personal.notes,
          occurredAt: at(2),
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await agent('/customers/erin-7731/complaints', {
          complaintId: 'k1',
          category: 'delivery',
          severity: 'low',
          description: personal.description,
          occurredAt: at(3),
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await agent('/customers/erin-7731/surveys', {
          surveyId: 's1',
          kind: 'feedback',
          comment: personal.comment,
          occurredAt: at(4),
        })
      ).statusCode,
    ).toBe(201);

    const keyStore = engine.app.get<KeyStore>(KEY_STORE);
    const dataKey = await keyStore.getKey('erin-7731');
    expect(dataKey).not.toBeNull();
    const cipher = new PersonalDataCipher();
    const before = await storedEvents(engine, 'customer-erin-7731');
    expect(cipher.decrypt(before[0] as unknown as CipherableEvent, dataKey).data).toMatchObject({
      name: personal.name,
      email: personal.email,
    });

    // The scanner works: non-personal values are there in plain text.
    expect(occurrences(engine.dataDir, 'erin-7731').length).toBeGreaterThan(0);
    for (const value of Object.values(personal))
      expect({ value, files: occurrences(engine.dataDir, value) }).toEqual({ value, files: [] });
    expect(occurrences(engine.dataDir, dataKey as Buffer)).toEqual([]);

    const erased = await engine.request('admin', {
      method: 'POST',
      url: '/customers/erin-7731/erasure',
      payload: { reason: 'request 7731' },
    });
    expect(erased.statusCode).toBe(200);

    expect(await keyStore.getKey('erin-7731')).toBeNull();
    expect(await keyStore.isDestroyed('erin-7731')).toBe(true);
    for (const value of Object.values(personal))
      expect({ value, files: occurrences(engine.dataDir, value) }).toEqual({ value, files: [] });
    expect(occurrences(engine.dataDir, dataKey as Buffer)).toEqual([]);

    const after = await storedEvents(engine, 'customer-erin-7731');
    expect(after.map((e) => e.type)).toEqual([
      'CustomerRegistered',
      'CallLogged',
      'ComplaintFiled',
      'SurveyResponded',
      'CustomerErased',
    ]);
    expect(
      cipher.decrypt(after[0] as unknown as CipherableEvent, await keyStore.getKey('erin-7731')).data,
    ).toMatchObject({ name: ERASED_TEXT, email: ERASED_TEXT });
    expect(await engine.app.get<EventStore>(EVENT_STORE).verifyStream('customer-erin-7731')).toMatchObject({
      ok: true,
      events: 5,
    });

    const again = await engine.request('agent', {
      method: 'PATCH',
      url: '/customers/erin-7731/profile',
      payload: { name: 'New Name' },
    });
    expect(again.statusCode).toBe(409);
    expect(await keyStore.getKey('erin-7731')).toBeNull();
  });
});
