import { KeyDestroyedError, type KeyStore } from '../key-store.port';
import { newDataKey } from '../key-wrapper';

/** In-memory keys for unit tests and throwaway runs. A destroyed key is zero-filled, then dropped. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, Buffer>();
  private readonly destroyed = new Set<string>();

  async getOrCreateKey(customerId: string): Promise<Buffer> {
    if (this.destroyed.has(customerId)) throw new KeyDestroyedError(customerId);
    let key = this.keys.get(customerId);
    if (!key) {
      key = newDataKey();
      this.keys.set(customerId, key);
    }
    return Buffer.from(key);
  }

  async getKey(customerId: string): Promise<Buffer | null> {
    const key = this.keys.get(customerId);
    return key ? Buffer.from(key) : null;
  }

  async getKeys(customerIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    return new Map(await Promise.all(customerIds.map(async (id) => [id, await this.getKey(id)] as const)));
  }

  async destroyKey(customerId: string): Promise<void> {
    this.keys.get(customerId)?.fill(0);
    this.keys.delete(customerId);
    this.destroyed.add(customerId);
  }

  async isDestroyed(customerId: string): Promise<boolean> {
    return this.destroyed.has(customerId);
  }

  async close(): Promise<void> {
    for (const key of this.keys.values()) key.fill(0);
    this.keys.clear();
  }
}
