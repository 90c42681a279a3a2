import { Binary, MongoServerError, type Collection, type Db } from 'mongodb';
import { KeyDestroyedError, type KeyStore } from '../key-store.port';
import { KeyWrapper, newDataKey } from '../key-wrapper';

export interface MongoKeyStoreOptions {
  db: Db;
  /** 32-byte master key that wraps every data key at rest. */
  masterKey: Buffer;
  collectionName?: string;
}

interface KeyDocument {
  _id: string;
  wrappedKey?: Binary;
  createdAt: Date;
  destroyedAt?: Date;
}

/** Keys in MongoDB, wrapped with the master key; a destroyed key's field is removed, a tombstone stays. */
export class MongoKeyStore implements KeyStore {
  private readonly keys: Collection<KeyDocument>;
  private readonly wrapper: KeyWrapper;

  constructor(options: MongoKeyStoreOptions) {
    this.wrapper = new KeyWrapper(options.masterKey);
    this.keys = options.db.collection<KeyDocument>(options.collectionName ?? 'personal_data_keys');
  }

  async getOrCreateKey(customerId: string): Promise<Buffer> {
    const existing = await this.keys.findOne({ _id: customerId });
    if (existing) return this.readable(existing);
    const wrapped = new Binary(this.wrapper.wrap(customerId, newDataKey()));
    try {
      await this.keys.insertOne({ _id: customerId, wrappedKey: wrapped, createdAt: new Date() });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error; // someone else created it first
    }
    const row = await this.keys.findOne({ _id: customerId });
    if (!row) throw new Error(`key of ${customerId} vanished while being created`);
    return this.readable(row);
  }

  async getKey(customerId: string): Promise<Buffer | null> {
    const doc = await this.keys.findOne({ _id: customerId });
    return doc?.wrappedKey ? this.wrapper.unwrap(customerId, Buffer.from(doc.wrappedKey.buffer)) : null;
  }

  async getKeys(customerIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>(customerIds.map((id) => [id, null]));
    for await (const doc of this.keys.find({ _id: { $in: [...customerIds] } })) {
      if (doc.wrappedKey) found.set(doc._id, this.wrapper.unwrap(doc._id, Buffer.from(doc.wrappedKey.buffer)));
    }
    return found;
  }

  async destroyKey(customerId: string): Promise<void> {
    const now = new Date();
    await this.keys.updateOne(
      { _id: customerId },
      { $unset: { wrappedKey: '' }, $min: { destroyedAt: now }, $setOnInsert: { createdAt: now } },
      { upsert: true },
    );
  }

  async isDestroyed(customerId: string): Promise<boolean> {
    const doc = await this.keys.findOne({ _id: customerId }, { projection: { destroyedAt: 1 } });
    return doc?.destroyedAt != null;
  }

  /** The Db's client belongs to the caller. */
  async close(): Promise<void> {}

  private readable(doc: KeyDocument): Buffer {
    if (doc.destroyedAt != null || !doc.wrappedKey) throw new KeyDestroyedError(doc._id);
    return this.wrapper.unwrap(doc._id, Buffer.from(doc.wrappedKey.buffer));
  }
}
