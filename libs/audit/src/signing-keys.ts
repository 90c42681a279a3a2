import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEV_SIGNING_KEY_FILE = 'export-signing-key.pem';
export const DEV_PUBLIC_KEY_FILE = 'export-signing-key.pub.pem';

/**
 * The Ed25519 key that signs exports: `EXPORT_SIGNING_KEY` (PKCS#8 PEM) when configured, else a
 * development key generated once into the data directory (its public half written beside it).
 */
export function loadSigningKey(
  configuredPem: string | undefined,
  dataDir: string,
): { privateKey: KeyObject; source: 'configured' | 'data-dir' } {
  if (configuredPem) {
    const privateKey = createPrivateKey(configuredPem.replace(/\\n/g, '\n'));
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error(`EXPORT_SIGNING_KEY must be an Ed25519 private key, found ${privateKey.asymmetricKeyType}`);
    return { privateKey, source: 'configured' };
  }
  const path = join(dataDir, DEV_SIGNING_KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(dataDir, DEV_PUBLIC_KEY_FILE), publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return { privateKey: createPrivateKey(readFileSync(path)), source: 'data-dir' };
}

/** A public key from PEM (SPKI) text; a private key's PEM gives its public half. */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}
