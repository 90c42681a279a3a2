/**
 * Per-customer data keys for crypto-shredding. A destroyed key is gone for good: it is never
 * recreated, so everything encrypted with it stays unreadable.
 */
export interface KeyStore {
  /** The customer's 32-byte key, created on first use. Throws KeyDestroyedError once destroyed. */
  getOrCreateKey(customerId: string): Promise<Buffer>;
  /** The key, or null when it was never created or has been destroyed. */
  getKey(customerId: string): Promise<Buffer | null>;
  /** Several keys at once (for projections and exports); missing and destroyed keys map to null. */
  getKeys(customerIds: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** Destroys the key and leaves a tombstone; idempotent, and works for a key never created. */
  destroyKey(customerId: string): Promise<void>;
  isDestroyed(customerId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Nest injection token for the KeyStore port. */
export const KEY_STORE = Symbol('KEY_STORE');

/** AES-256 keys. */
export const DATA_KEY_BYTES = 32;

export class KeyDestroyedError extends Error {
  constructor(readonly customerId: string) {
    super(`the personal-data key of customer ${customerId} was destroyed (customer erased)`);
    this.name = 'KeyDestroyedError';
  }
}
