import Database from 'better-sqlite3';
import { DuplicateEventIdError, EventStoreClosedError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadByStreamOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '../event-store.port';
import { GENESIS_HASH } from '../hash-chain';
import { CommitNotifier } from '../shared/commit-notifier';
import { pagedIterable } from '../shared/paged-iterable';
import { PullSubscription, type SubscriptionPage } from '../shared/pull-subscription';
import { encodeForAppend } from '../shared/stored-event-encoding';
import { replayStart, revisionMatches, validateAppend } from '../shared/validate-append';
import { verifyChain } from '../shared/verify-chain';
import { BackgroundCheckpointer } from './background-checkpointer';
import { migrate } from './sqlite-migrations';
import { byStreamSql, filterSql, toStored, type EventRow } from './sqlite-rows';
import { commitTimingWanted, publishCommit, timedAppend } from '../shared/event-store-diagnostics';

export interface SqliteEventStoreOptions {
  /** Database file (created when missing). */
  path: string;
  /** `FULL` (default): an acknowledged append survives power loss. `NORMAL` may lose the last commits. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  /** Rows fetched per read page (default 1000). */
  pageSize?: number;
  /** How often a waiting subscription looks for commits made by other processes (default 250 ms). */
  pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * How often a worker thread checkpoints the WAL into the database file (default 100 ms; 0: the
   * writer's commits checkpoint themselves, stalling the event loop while they do). Under HTTP load a
   * commit adds ~100 pages, so the WAL reaches `walAutocheckpointPages` several times a second; at
   * 1000 ms the writer's own checkpoints did most of the copying (commits of up to 12 ms, against 5).
   */
  backgroundCheckpointMs?: number;
  /**
   * WAL pages after which a commit checkpoints itself and the WAL starts over from its beginning
   * (default 2000, ~8 MB, with the background checkpointer, which has by then copied most pages;
   * 10000 without it: fewer, larger checkpoints write the hot index pages once). Keep it small: a
   * passive checkpoint under steady writes never catches up with the writer, so only this restarts
   * the WAL, and while the WAL file grows every commit's fsync also writes file metadata (measured:
   * one-event commits ~340 µs at 50000 pages against ~220 µs at 1000; 1000 costs group commit).
   */
  walAutocheckpointPages?: number;
  /** Page cache of this connection in KiB (default 65536): the indexes of a busy store stay in memory. */
  cacheSizeKib?: number;
}

interface PendingAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const COLUMNS = 'position, stream_id, revision, type, data, metadata';

/**
 * EventStore on one SQLite file (WAL). Appends that arrive while a flush is pending share one
 * transaction (group commit); each runs in its own SAVEPOINT, so it keeps its own revision check
 * and result, and all are acknowledged only after COMMIT.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly notifier = new CommitNotifier();
  private readonly subscriptions = new Set<Subscription>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly checkpointer: BackgroundCheckpointer | null;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;

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
  private readonly headStmt: Database.Statement<[], { head: number }>;

  constructor(options: SqliteEventStoreOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const backgroundMs = options.path === ':memory:' ? 0 : (options.backgroundCheckpointMs ?? 100);
    this.db.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages ?? (backgroundMs > 0 ? 2000 : 10_000)}`);
    this.db.pragma(`cache_size = -${options.cacheSizeKib ?? 65_536}`);
    migrate(this.db);
    this.checkpointer =
      backgroundMs > 0
        ? new BackgroundCheckpointer(options.path, backgroundMs, (message) =>
            process.emitWarning(message, 'RapportEventStore'),
          )
        : null;

    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.rollback = this.db.prepare('ROLLBACK');
    this.savepoint = this.db.prepare('SAVEPOINT append');
    this.release = this.db.prepare('RELEASE append');
    this.rollbackTo = this.db.prepare('ROLLBACK TO append');
    this.streamHead = this.db.prepare('SELECT revision, hash FROM streams WHERE stream_id = ?');
    this.byEventId = this.db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
    this.idsFrom = this.db.prepare(
      'SELECT event_id, revision, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.insertEvent = this.db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.upsertStream = this.db.prepare(
      'INSERT INTO streams (stream_id, revision, hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, hash = excluded.hash',
    );
    this.headStmt = this.db.prepare('SELECT coalesce(max(position), 0) AS head FROM events');
  }

  appendToStream(streamId: string, events: EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    return timedAppend(
      'sqlite',
      events.length,
      () =>
        new Promise((resolve, reject) => {
          this.assertOpen();
          const expected = validateAppend(streamId, events, options);
          this.queue.push({ streamId, events, expected, resolve, reject });
          if (!this.flushScheduled) {
            this.flushScheduled = true;
            setImmediate(() => this.flush());
          }
        }),
    );
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const sql = forwards
      ? `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`
      : `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`;
    let cursor = options.fromRevision ?? (forwards ? 0 : Number.MAX_SAFE_INTEGER);
    return this.pages(options.maxCount, (limit) => {
      const rows = this.raw(sql).all(streamId, cursor, limit) as EventRow[];
      if (rows.length > 0) cursor = rows[rows.length - 1]![2] + (forwards ? 1 : -1);
      return rows;
    });
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const [where, params] = filterSql(options.filter);
    const sql = forwards
      ? `SELECT ${COLUMNS} FROM events WHERE position >= ?${where} ORDER BY position LIMIT ?`
      : `SELECT ${COLUMNS} FROM events WHERE position <= ?${where} ORDER BY position DESC LIMIT ?`;
    let cursor = options.fromPosition ?? (forwards ? 0 : Number.MAX_SAFE_INTEGER);
    return this.pages(options.maxCount, (limit) => {
      const rows = this.raw(sql).all(cursor, ...params, limit) as EventRow[];
      if (rows.length > 0) cursor = rows[rows.length - 1]![0] + (forwards ? 1 : -1);
      return rows;
    });
  }

  readByStream(options: ReadByStreamOptions): AsyncIterable<StoredEvent> {
    const { sql, params, start } = byStreamSql(this.db, COLUMNS, options);
    let after = start;
    return this.pages(undefined, (limit) => {
      const rows = this.raw(sql).all(...after, ...params, limit) as EventRow[];
      if (rows.length > 0) after = [rows[rows.length - 1]![1], rows[rows.length - 1]![2]];
      return rows;
    });
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const [where, params] = filterSql(options.filter);
    const sql = `SELECT ${COLUMNS} FROM events WHERE position > ?${where} ORDER BY position LIMIT ?`;
    const readPage = this.db.transaction((after: number, limit: number): SubscriptionPage => {
      const rows = this.raw(sql).all(after, ...params, limit) as EventRow[];
      const scannedTo = rows.length === limit ? rows[rows.length - 1]![0] : this.headStmt.get()!.head;
      return { events: rows.map(toStored), scannedTo };
    });
    const subscription: Subscription = new PullSubscription(
      {
        readPage: (after, limit) => {
          if (this.closed) return { events: [], scannedTo: after };
          return readPage(after, limit);
        },
        changeToken: () => this.notifier.version,
        // Commits by this process wake waiters at once; the timeout catches other processes' commits.
        waitForChange: (token, signal) => this.notifier.wait(token, signal, this.pollIntervalMs),
      },
      options.fromPosition ?? 0,
      this.pageSize,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(streamId: string): Promise<number | null> {
    this.assertOpen();
    return this.streamHead.get(streamId)?.revision ?? null;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.headStmt.get()!.head;
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    const sql = `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`;
    let cursor = 0;
    const links = this.pages(
      undefined,
      (limit) => {
        const rows = this.raw(sql).all(streamId, cursor, limit) as EventRow[];
        if (rows.length > 0) cursor = rows[rows.length - 1]![2] + 1;
        return rows;
      },
      (row) => ({ revision: row[2], parse: () => toStored(row) }),
    );
    return verifyChain(streamId, links);
  }

  async *listStreams(prefix = ''): AsyncIterable<string> {
    this.assertOpen();
    const first = this.db
      .prepare('SELECT stream_id FROM streams WHERE stream_id >= ? ORDER BY stream_id LIMIT ?')
      .pluck();
    const next = this.db
      .prepare('SELECT stream_id FROM streams WHERE stream_id > ? ORDER BY stream_id LIMIT ?')
      .pluck();
    let ids = first.all(prefix, this.pageSize) as string[];
    while (ids.length > 0) {
      for (const id of ids) {
        if (!id.startsWith(prefix)) return;
        yield id;
      }
      if (ids.length < this.pageSize || this.closed) return;
      ids = next.all(ids[ids.length - 1]!, this.pageSize) as string[];
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.checkpointer?.close();
    this.db.close();
  }

  /** Runs every queued append in one transaction, then acknowledges each after COMMIT. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (this.closed) {
      for (const pending of batch) pending.reject(new EventStoreClosedError());
      return;
    }
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    const started = commitTimingWanted() ? process.hrtime.bigint() : null;
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
        for (const pending of batch) {
          if (pending.events.length === 1) {
            // One event needs no savepoint: each step before the INSERT only reads, a failed INSERT
            // writes nothing, and a failure after it aborts the whole batch (below).
            outcomes.push(this.appendSingle(pending));
            continue;
          }
          this.savepoint.run();
          try {
            outcomes.push({ ok: true, result: this.appendOne(pending) });
            this.release.run();
          } catch (error) {
            this.rollbackTo.run();
            this.release.run();
            outcomes.push(this.settleFailure(pending, error));
          }
        }
        this.commit.run();
      }
    } catch (failure) {
      if (this.db.inTransaction) this.rollback.run();
      const error = failure instanceof BatchAborted ? failure.cause : failure;
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (started !== null)
      publishCommit({
        store: 'sqlite',
        appends: batch.length,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    if (outcomes.some((o) => o.ok)) this.notifier.notify();
  }

  /** A one-event append inside a batch, without a savepoint; what fails after its INSERT fails the batch. */
  private appendSingle(pending: PendingAppend): { ok: true; result: AppendResult } | { ok: false; error: unknown } {
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
  private appendOne({ streamId, events, expected }: PendingAppend, onWrite?: () => void): AppendResult {
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

  /** After the first event's id was found stored (and nothing of this append written): the original result, or the error. */
  private replayOrDuplicate(pending: PendingAppend, conflict: StoredIdConflict): AppendResult {
    const replay = this.findReplay(pending.streamId, pending.events, conflict.start);
    if (replay) return replay;
    throw new DuplicateEventIdError(pending.streamId, pending.events[0]!.metadata.eventId);
  }

  /** A failed append's outcome: a replay's original result when its ids were already stored, else the error. */
  private settleFailure(
    pending: PendingAppend,
    error: unknown,
  ): { ok: true; result: AppendResult } | { ok: false; error: unknown } {
    if (!(error instanceof StoredIdConflict)) return { ok: false, error };
    try {
      return { ok: true, result: this.replayOrDuplicate(pending, error) };
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

  /** Pages on demand; a read on a closed store fails at its first step. */
  private pages<T = StoredEvent>(
    maxCount: number | undefined,
    fetch: (limit: number) => EventRow[],
    map: (row: EventRow) => T = toStored as unknown as (row: EventRow) => T,
  ): AsyncIterable<T> {
    return pagedIterable(
      this.pageSize,
      maxCount,
      (limit) => {
        this.assertOpen();
        return fetch(limit);
      },
      map,
    );
  }

  /** Prepared once per SQL text, in raw (array) mode. */
  private raw(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
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
