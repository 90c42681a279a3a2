import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_SIGNING_KEY_FILE, verifyExport } from '@rapport/audit';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { registration } from '../../test/touchpoint-requests';

async function* chunksOf(buffer: Buffer) {
  yield buffer;
}

describe('EXPORT_SIGNING_KEY from the validated configuration', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let engine: TestEngine;
  beforeAll(async () => {
    // One line with \n escapes, as a key is usually given in an environment file.
    engine = await startTestEngine({ EXPORT_SIGNING_KEY: pem.replace(/\n/g, '\\n') });
  });
  afterAll(() => engine.close());

  it('signs exports with the configured key, and no development key is generated', async () => {
    expect(
      (await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('sig-1') })).statusCode,
    ).toBe(201);
    const response = await engine.request('auditor', { method: 'GET', url: '/audit/customers/sig-1/export' });
    expect(response.statusCode).toBe(200);
    await expect(
      verifyExport(chunksOf(response.rawPayload), { publicKey: createPublicKey(privateKey) }),
    ).resolves.toMatchObject({ ok: true, events: 1 });
    await expect(
      verifyExport(chunksOf(response.rawPayload), { publicKey: generateKeyPairSync('ed25519').publicKey }),
    ).resolves.toMatchObject({ ok: false });
    expect(existsSync(join(engine.dataDir, DEV_SIGNING_KEY_FILE))).toBe(false);
  });
});
