import Database from 'better-sqlite3';
import { KeyDestroyedError, type KeyStore } from '../key-store.port';
import { KeyWrapper, newDataKey } from '../key-wrapper';

export interface SqliteKeyStoreOptions {
  /** Database file; may be the event store's file (the keys live in their own table). */
  filename: string;
  /** 32-byte master key that wraps every data key at rest. */
  masterKey: Buffer;
}

interface KeyRow {
  customer_id: string;
  wrapped_key: Buffer | null;
  destroyed_at: string | null;
}

/**
 * Keys in SQLite (WAL), wrapped with the master key. `secure_delete` overwrites a destroyed key's
 * bytes in the database pages, and a TRUNCATE checkpoint after each destroy removes the WAL frames
 * that still held them.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly wrapper: KeyWrapper;
  private readonly statements;

  constructor(options: SqliteKeyStoreOptions) {
    this.wrapper = new KeyWrapper(options.masterKey);
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS personal_data_keys (
      customer_id TEXT PRIMARY KEY,
      wrapped_key BLOB,
      created_at TEXT NOT NULL,
      destroyed_at TEXT
    )`);
    this.statements = {
      select: this.db.prepare<[string], KeyRow>(
        'SELECT customer_id, wrapped_key, destroyed_at FROM personal_data_keys WHERE customer_id = ?',
      ),
      selectMany: this.db.prepare<[string], KeyRow>(
        'SELECT customer_id, wrapped_key, destroyed_at FROM personal_data_keys WHERE customer_id IN (SELECT value FROM json_each(?))',
      ),
      insert: this.db.prepare<[string, Buffer, string]>(
        'INSERT INTO personal_data_keys (customer_id, wrapped_key, created_at) VALUES (?, ?, ?) ON CONFLICT(customer_id) DO NOTHING',
      ),
      destroy: this.db.prepare<[{ id: string; now: string }]>(
        `INSERT INTO personal_data_keys (customer_id, wrapped_key, created_at, destroyed_at) VALUES (@id, NULL, @now, @now)
         ON CONFLICT(customer_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = COALESCE(destroyed_at, excluded.destroyed_at)`,
      ),
    };
  }

  async getOrCreateKey(customerId: string): Promise<Buffer> {
    const existing = this.statements.select.get(customerId);
    if (existing) return this.readable(existing);
    return this.readable(await this.createKey(customerId));
  }

  // Keys requested in the same turn of the event loop (a bulk import creates thousands) are
  // created in one durable transaction instead of one fsync each.
  private pendingKeys = new Map<string, Array<{ resolve(row: KeyRow): void; reject(error: unknown): void }>>();

  private createKey(customerId: string): Promise<KeyRow> {
    return new Promise((resolve, reject) => {
      const waiters = this.pendingKeys.get(customerId);
      if (waiters) waiters.push({ resolve, reject });
      else this.pendingKeys.set(customerId, [{ resolve, reject }]);
      if (this.pendingKeys.size === 1 && !waiters) setImmediate(() => this.flushPendingKeys());
    });
  }

  private flushPendingKeys(): void {
    const batch = this.pendingKeys;
    this.pendingKeys = new Map();
    try {
      const now = new Date().toISOString();
      // Another process may insert first: DO NOTHING, then read whichever key won.
      this.db.transaction(() => {
        for (const id of batch.keys()) this.statements.insert.run(id, this.wrapper.wrap(id, newDataKey()), now);
      })();
      for (const [id, waiters] of batch) {
        const row = this.statements.select.get(id);
        for (const waiter of waiters) {
          if (row) waiter.resolve(row);
          else waiter.reject(new Error(`key of ${id} vanished while being created`));
        }
      }
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }

  async getKey(customerId: string): Promise<Buffer | null> {
    const row = this.statements.select.get(customerId);
    return row?.wrapped_key ? this.wrapper.unwrap(customerId, row.wrapped_key) : null;
  }

  async getKeys(customerIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>(customerIds.map((id) => [id, null]));
    for (const row of this.statements.selectMany.all(JSON.stringify(customerIds))) {
      if (row.wrapped_key) found.set(row.customer_id, this.wrapper.unwrap(row.customer_id, row.wrapped_key));
    }
    return found;
  }

  async destroyKey(customerId: string): Promise<void> {
    this.statements.destroy.run({ id: customerId, now: new Date().toISOString() });
    await this.truncateWal();
  }

  async isDestroyed(customerId: string): Promise<boolean> {
    return this.statements.select.get(customerId)?.destroyed_at != null;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.truncateWal();
    this.db.close();
  }

  /** Copies the WAL into the database and truncates it; retried while readers pin old frames. */
  private async truncateWal(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (result?.busy === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('could not truncate the WAL after destroying a key: a reader keeps it busy');
  }

  private readable(row: KeyRow): Buffer {
    if (row.destroyed_at != null || !row.wrapped_key) throw new KeyDestroyedError(row.customer_id);
    return this.wrapper.unwrap(row.customer_id, row.wrapped_key);
  }
}
