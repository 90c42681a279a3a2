import type Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port';
import { GENESIS_HASH } from '../hash-chain';
import { encodeForAppend } from '../shared/stored-event-encoding';
import { replayStart, revisionMatches } from '../shared/validate-append';

/** One validated append waiting for the next group commit. */
export interface QueuedAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
}

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/** How the writer connection is set up; the same on the event loop and on the writer thread. */
export interface WriterSettings {
  synchronous: 'FULL' | 'NORMAL' | 'OFF';
  busyTimeoutMs: number;
  walAutocheckpointPages: number;
  cacheSizeKib: number;
}

/** The pragmas of a connection that writes (journal_mode WAL is persistent, set once by the store). */
export function configureWriter(db: Database.Database, settings: WriterSettings): void {
  db.pragma(`synchronous = ${settings.synchronous}`);
  db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  db.pragma(`wal_autocheckpoint = ${settings.walAutocheckpointPages}`);
  db.pragma(`cache_size = -${settings.cacheSizeKib}`);
}

/**
 * The group commit: every queued append in one transaction, each with its own revision check and
 * result (a multi-event append in its own SAVEPOINT), acknowledged only after COMMIT. Runs on
 * whichever thread owns the writing connection.
 */
export class SqliteAppendTransaction {
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;
  private readonly streamHead: Database.Statement<[string], { revision: number; hash: string }>;
  private readonly byEventId: Database.Statement<[string], { stream_id: string; revision: number; position: number }>;
  private readonly idsFrom: Database.Statement<
    [string, number, number],
    { event_id: string; revision: number; position: number }
  >;
  private readonly insertEvent: Database.Statement<[string, number, string, string, string, string]>;
  private readonly upsertStream: Database.Statement<[string, number, string]>;

  constructor(private readonly db: Database.Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT append');
    this.release = db.prepare('RELEASE append');
    this.rollbackTo = db.prepare('ROLLBACK TO append');
    this.streamHead = db.prepare('SELECT revision, hash FROM streams WHERE stream_id = ?');
    this.byEventId = db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
    this.idsFrom = db.prepare(
      'SELECT event_id, revision, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.upsertStream = db.prepare(
      'INSERT INTO streams (stream_id, revision, hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, hash = excluded.hash',
    );
  }

  /**
   * Commits the batch; one outcome per append, in order. Throws when the transaction as a whole
   * failed (nothing of the batch holds): every append in it fails with that error.
   */
  run(batch: readonly QueuedAppend[]): AppendOutcome[] {
    const outcomes: AppendOutcome[] = [];
    try {
      this.begin.run();
      if (batch.length === 1) {
        const only = batch[0]!;
        try {
          outcomes.push({ ok: true, result: this.appendOne(only) });
          this.commit.run();
        } catch (error) {
          // A failed INSERT leaves the transaction open with nothing of this append written before it.
          outcomes.push(this.settleFailure(only, error));
          this.rollback.run();
        }
      } else {
        for (const pending of batch) outcomes.push(this.appendInBatch(pending));
        this.commit.run();
      }
    } catch (failure) {
      if (this.db.inTransaction) this.rollback.run();
      throw failure instanceof BatchAborted ? failure.cause : failure;
    }
    return outcomes;
  }

  private appendInBatch(pending: QueuedAppend): AppendOutcome {
    // One event needs no savepoint: each step before the INSERT only reads, a failed INSERT
    // writes nothing, and a failure after it aborts the whole batch.
    if (pending.events.length === 1) return this.appendSingle(pending);
    this.savepoint.run();
    try {
      const result = this.appendOne(pending);
      this.release.run();
      return { ok: true, result };
    } catch (error) {
      this.rollbackTo.run();
      this.release.run();
      return this.settleFailure(pending, error);
    }
  }

  /** A one-event append inside a batch, without a savepoint; what fails after its INSERT fails the batch. */
  private appendSingle(pending: QueuedAppend): AppendOutcome {
    let inserted = false;
    try {
      return { ok: true, result: this.appendOne(pending, () => (inserted = true)) };
    } catch (error) {
      // SQLite ends the transaction itself on some errors (I/O, full disk): then nothing of the batch holds.
      if (inserted || !this.db.inTransaction) throw new BatchAborted(error);
      return this.settleFailure(pending, error);
    }
  }

  /**
   * One append inside the open transaction; throws to have its savepoint rolled back. The id index
   * is consulted only when needed: on a revision mismatch, or when the first insert hits a stored id
   * (a replay cannot be hiding behind a matching revision: its events would lie past the head).
   */
  private appendOne({ streamId, events, expected }: QueuedAppend, onWrite?: () => void): AppendResult {
    const head = this.streamHead.get(streamId);
    const actual = head ? head.revision : null;
    if (!revisionMatches(expected, actual)) {
      const replay = this.findReplay(streamId, events, replayStart(expected));
      if (replay) return replay;
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }

    let prevHash = head ? head.hash : GENESIS_HASH;
    let revision = actual ?? -1;
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      revision += 1;
      const encoded = encodeForAppend(streamId, revision, event, prevHash);
      try {
        const info = this.insertEvent.run(
          streamId,
          revision,
          event.metadata.eventId,
          event.type,
          encoded.dataJson,
          encoded.metadataJson,
        );
        onWrite?.();
        position = Number(info.lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && String(error).includes('event_id')) {
          if (i === 0) throw new StoredIdConflict(replayStart(expected));
          throw new DuplicateEventIdError(streamId, event.metadata.eventId);
        }
        throw error;
      }
      prevHash = encoded.hash;
    }
    this.upsertStream.run(streamId, revision, prevHash);
    return { nextExpectedRevision: revision, position };
  }

  /** A failed append's outcome: a replay's original result when its ids were already stored, else the error. */
  private settleFailure(pending: QueuedAppend, error: unknown): AppendOutcome {
    if (!(error instanceof StoredIdConflict)) return { ok: false, error };
    try {
      const replay = this.findReplay(pending.streamId, pending.events, error.start);
      if (replay) return { ok: true, result: replay };
      return { ok: false, error: new DuplicateEventIdError(pending.streamId, pending.events[0]!.metadata.eventId) };
    } catch (settled) {
      return { ok: false, error: settled };
    }
  }

  /** The original result when the batch's ids are already stored in order at the place asked for. */
  private findReplay(streamId: string, events: EventToAppend[], start: number | null): AppendResult | null {
    const first = this.byEventId.get(events[0]!.metadata.eventId);
    if (!first || first.stream_id !== streamId || (start !== null && first.revision !== start)) return null;
    if (events.length === 1) return { nextExpectedRevision: first.revision, position: first.position };
    const stored = this.idsFrom.all(streamId, first.revision, events.length);
    if (stored.length !== events.length || stored.some((row, i) => row.event_id !== events[i]!.metadata.eventId))
      return null;
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

/** A one-event append failed after writing: the whole batch is rolled back and every append in it fails. */
class BatchAborted extends Error {
  constructor(override readonly cause: unknown) {
    super('append failed after writing', { cause });
  }
}

/** The first event's id is already stored: a replay of an earlier append, or a duplicate. */
class StoredIdConflict extends Error {
  constructor(readonly start: number | null) {
    super('event id already stored');
  }
}
