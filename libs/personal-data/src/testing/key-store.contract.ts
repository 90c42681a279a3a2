import { DATA_KEY_BYTES, KeyDestroyedError, type KeyStore } from '../key-store.port';

export interface KeyStoreHarness {
  store: KeyStore;
  /** Opens the same storage again (persistent adapters only). */
  reopen?: () => Promise<KeyStore>;
  cleanup(): Promise<void>;
}

/** The behaviour every KeyStore adapter must show. Call inside a describe of the adapter's spec. */
export function keyStoreContract(makeHarness: () => Promise<KeyStoreHarness>): void {
  let harness: KeyStoreHarness;
  let store: KeyStore;
  let n = 0;
  const id = () => `customer-${process.pid}-${Date.now()}-${++n}`;

  beforeEach(async () => {
    harness = await makeHarness();
    store = harness.store;
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('creates a 32-byte key on first use and returns the same key afterwards', async () => {
    const customer = id();
    expect(await store.getKey(customer)).toBeNull();
    const key = await store.getOrCreateKey(customer);
    expect(key).toHaveLength(DATA_KEY_BYTES);
    expect((await store.getOrCreateKey(customer)).equals(key)).toBe(true);
    expect((await store.getKey(customer))?.equals(key)).toBe(true);
    expect(await store.isDestroyed(customer)).toBe(false);
  });

  it('gives every customer its own key', async () => {
    const [a, b] = [await store.getOrCreateKey(id()), await store.getOrCreateKey(id())];
    expect(a.equals(b)).toBe(false);
  });

  it('hands out one key when many callers create it at once', async () => {
    const customer = id();
    const keys = await Promise.all(Array.from({ length: 20 }, () => store.getOrCreateKey(customer)));
    for (const key of keys) expect(key.equals(keys[0] as Buffer)).toBe(true);
  });

  it('destroys a key for good: it reads as null and is never recreated', async () => {
    const customer = id();
    const other = id();
    await store.getOrCreateKey(customer);
    const otherKey = await store.getOrCreateKey(other);
    await store.destroyKey(customer);
    expect(await store.getKey(customer)).toBeNull();
    expect(await store.isDestroyed(customer)).toBe(true);
    await expect(store.getOrCreateKey(customer)).rejects.toBeInstanceOf(KeyDestroyedError);
    expect((await store.getKey(other))?.equals(otherKey)).toBe(true);
  });

  it('destroys idempotently, and tombstones a key that was never created', async () => {
    const customer = id();
    await store.destroyKey(customer);
    await store.destroyKey(customer);
    expect(await store.isDestroyed(customer)).toBe(true);
    await expect(store.getOrCreateKey(customer)).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('reads several keys at once, null for missing and destroyed ones', async () => {
    const [live, gone, never] = [id(), id(), id()];
    const liveKey = await store.getOrCreateKey(live);
    await store.getOrCreateKey(gone);
    await store.destroyKey(gone);
    const keys = await store.getKeys([live, gone, never]);
    expect(keys.get(live)?.equals(liveKey)).toBe(true);
    expect(keys.get(gone)).toBeNull();
    expect(keys.get(never)).toBeNull();
    expect(keys.size).toBe(3);
  });

  it('keeps keys and tombstones across a reopen (persistent adapters)', async () => {
    if (!harness.reopen) return;
    const [live, gone] = [id(), id()];
    const key = await store.getOrCreateKey(live);
    await store.getOrCreateKey(gone);
    await store.destroyKey(gone);
    await store.close();
    store = await harness.reopen();
    expect((await store.getKey(live))?.equals(key)).toBe(true);
    expect(await store.isDestroyed(gone)).toBe(true);
    expect(await store.getKey(gone)).toBeNull();
  });
}
