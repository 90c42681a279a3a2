import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keyStoreContract } from '../testing/key-store.contract';
import { SqliteKeyStore } from './sqlite-key-store';

const masterKey = randomBytes(32);

function tempDb(): { dir: string; filename: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-keys-'));
  return { dir, filename: join(dir, 'keys.db') };
}

/** The raw bytes of the database and its WAL/SHM files, as a disk scan would see them. */
function rawBytes(filename: string): Buffer {
  return Buffer.concat(
    [filename, `${filename}-wal`, `${filename}-shm`, `${filename}-journal`]
      .filter(existsSync)
      .map((f) => readFileSync(f)),
  );
}

function wrappedKeyOf(filename: string, customerId: string): Buffer {
  const db = new Database(filename, { readonly: true });
  try {
    return (
      db.prepare('SELECT wrapped_key FROM personal_data_keys WHERE customer_id = ?').get(customerId) as {
        wrapped_key: Buffer;
      }
    ).wrapped_key;
  } finally {
    db.close();
  }
}

describe('SqliteKeyStore', () => {
  keyStoreContract(async () => {
    const { dir, filename } = tempDb();
    const stores: SqliteKeyStore[] = [new SqliteKeyStore({ filename, masterKey })];
    return {
      store: stores[0] as SqliteKeyStore,
      reopen: async () => {
        const store = new SqliteKeyStore({ filename, masterKey });
        stores.push(store);
        return store;
      },
      cleanup: async () => {
        for (const store of stores) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  describe('at rest', () => {
    let dir: string;
    let filename: string;
    let store: SqliteKeyStore;

    beforeEach(() => {
      ({ dir, filename } = tempDb());
      store = new SqliteKeyStore({ filename, masterKey });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('never writes a data key in plaintext', async () => {
      const keys = await Promise.all(['a', 'b', 'c'].map((c) => store.getOrCreateKey(c)));
      const bytes = rawBytes(filename);
      for (const key of keys) expect(bytes.includes(key)).toBe(false);
      expect(bytes.includes(wrappedKeyOf(filename, 'a'))).toBe(true); // the scan does see stored values
    });

    it('leaves no byte of a destroyed key in the database or WAL files', async () => {
      const victims = Array.from({ length: 20 }, (_, i) => `victim-${i}`);
      const plain = await Promise.all(victims.map((c) => store.getOrCreateKey(c)));
      await store.getOrCreateKey('survivor');
      const wrapped = victims.map((c) => wrappedKeyOf(filename, c));
      const before = rawBytes(filename);
      for (const w of wrapped) expect(before.includes(w)).toBe(true);

      for (const c of victims) await store.destroyKey(c);

      const after = rawBytes(filename);
      for (const w of wrapped) expect(after.includes(w)).toBe(false);
      for (const p of plain) expect(after.includes(p)).toBe(false);
      expect(after.includes(wrappedKeyOf(filename, 'survivor'))).toBe(true);
      expect(existsSync(`${filename}-wal`) ? readFileSync(`${filename}-wal`).length : 0).toBe(0);
    });

    it('refuses a wrapped key moved to another customer, or read with another master key', async () => {
      await store.getOrCreateKey('owner');
      await store.getOrCreateKey('thief');
      const db = new Database(filename);
      db.prepare(
        "UPDATE personal_data_keys SET wrapped_key = (SELECT wrapped_key FROM personal_data_keys WHERE customer_id = 'owner') WHERE customer_id = 'thief'",
      ).run();
      db.close();
      await expect(store.getKey('thief')).rejects.toThrow();
      const stranger = new SqliteKeyStore({ filename, masterKey: randomBytes(32) });
      await expect(stranger.getKey('owner')).rejects.toThrow();
      await stranger.close();
    });

    it('refuses a master key of the wrong size', () => {
      expect(() => new SqliteKeyStore({ filename, masterKey: randomBytes(16) })).toThrow(/32 bytes/);
    });
  });
});
