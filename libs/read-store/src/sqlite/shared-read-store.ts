import type { ReadStore, ReadStoreShare } from '../read-store.port';
import { SqliteReadStore } from './sqlite-read-store';

/** The store a share names, opened on this thread (its own connection): close it when done. */
export function openSharedReadStore(share: ReadStoreShare): ReadStore {
  return new SqliteReadStore({ filename: share.filename });
}
