import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from './key-store.port';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Wraps data keys with a master key (AES-256-GCM, the customer id as associated data) so that keys
 * are never plaintext at rest and a wrapped key cannot be moved to another customer's row.
 */
export class KeyWrapper {
  constructor(private readonly masterKey: Buffer) {
    if (!Buffer.isBuffer(masterKey) || masterKey.length !== 32)
      throw new Error('the master key must be 32 bytes (AES-256)');
  }

  wrap(customerId: string, key: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(customerId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the wrapped key was altered, moved, or wrapped with another master key. */
  unwrap(customerId: string, wrapped: Buffer): Buffer {
    const iv = wrapped.subarray(0, IV_BYTES);
    const tag = wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv);
    decipher.setAAD(Buffer.from(customerId, 'utf8'));
    decipher.setAuthTag(tag);
    const key = Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    if (key.length !== DATA_KEY_BYTES) throw new Error(`wrapped key of ${customerId} has the wrong length`);
    return key;
  }
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);
