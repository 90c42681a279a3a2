import type Database from 'better-sqlite3';

/**
 * Schema versions, applied in order; `PRAGMA user_version` records how many ran. Append new
 * steps at the end, never edit a released one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position  INTEGER PRIMARY KEY,   -- global commit order, from 1
     stream_id TEXT    NOT NULL,
     revision  INTEGER NOT NULL,      -- 0-based within the stream
     event_id  TEXT    NOT NULL,
     type      TEXT    NOT NULL,
     data      TEXT    NOT NULL,      -- JSON
     metadata  TEXT    NOT NULL       -- JSON, with prevHash and hash
   );
   CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);
   CREATE UNIQUE INDEX events_event_id ON events (event_id);
   CREATE TABLE streams (
     stream_id TEXT    PRIMARY KEY,
     revision  INTEGER NOT NULL,      -- revision of the last event
     hash      TEXT    NOT NULL       -- hash of the last event: the next event's prevHash
   ) WITHOUT ROWID;`,
];

/** Brings the file up to the latest schema; refuses a file written by a newer version. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(`event store schema version ${current} is newer than this code (${SQLITE_MIGRATIONS.length})`);
  }
  for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
