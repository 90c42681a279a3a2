import { MongoClient } from 'mongodb';
import type { EngineConfig } from '../config/engine-config';

export const MONGO_CLIENT = Symbol('MONGO_CLIENT');

export const needsMongo = (config: EngineConfig): boolean =>
  config.READ_STORE === 'mongodb' || config.KEY_STORE === 'mongodb';

/** One connected client shared by the MongoDB adapters, or null when none is configured. */
export async function connectMongo(config: EngineConfig): Promise<MongoClient | null> {
  if (!needsMongo(config) || !config.MONGODB_URI) return null;
  return new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: 10_000 }).connect();
}
