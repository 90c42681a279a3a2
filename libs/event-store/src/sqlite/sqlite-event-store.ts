import Database from 'better-sqlite3';
import { EventStoreClosedError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  ReadByStreamOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '../event-store.port';
import { CommitNotifier } from '../shared/commit-notifier';
import { pagedIterable } from '../shared/paged-iterable';
import { PullSubscription, type SubscriptionPage } from '../shared/pull-subscription';
import { validateAppend } from '../shared/validate-append';
import { verifyChain } from '../shared/verify-chain';
import { BackgroundCheckpointer } from './background-checkpointer';
import { configureWriter, SqliteAppendTransaction, type WriterSettings } from './sqlite-append-transaction';
import { InlineAppendWriter, type AppendWriter, type PendingAppend } from './sqlite-append-writer';
import { SqliteWriterThread } from './sqlite-writer-thread';
import { migrate } from './sqlite-migrations';
import { byStreamSql, filterSql, toStored, type EventRow } from './sqlite-rows';
import { publishCommit, timedAppend } from '../shared/event-store-diagnostics';

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
  /** Page cache of each connection in KiB (default 65536): the indexes of a busy store stay in memory. */
  cacheSizeKib?: number;
  /**
   * Commit on a worker thread that owns a writing connection (default true on a file; `:memory:`
   * has one connection, so commits there run on the event loop). With `synchronous = FULL` the
   * commit's fsync then waits on that thread while the event loop serves other work. A lone append
   * with nothing in flight still commits on the event loop (no hand-over to wait for).
   */
  writerThread?: boolean;
}

const COLUMNS = 'position, stream_id, revision, type, data, metadata';

/**
 * EventStore on one SQLite file (WAL). Appends that arrive in the same turn of the event loop, or
 * while the writer thread commits, share one transaction (group commit: SqliteAppendTransaction);
 * each keeps its own revision check and result, and all are acknowledged only after COMMIT. Reads
 * use this connection on the event loop; they see every acknowledged append.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly notifier = new CommitNotifier();
  private readonly subscriptions = new Set<Subscription>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly checkpointer: BackgroundCheckpointer | null;
  private readonly writer: AppendWriter;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly streamHead: Database.Statement<[string], { revision: number }>;
  private readonly headStmt: Database.Statement<[], { head: number }>;

  constructor(options: SqliteEventStoreOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    const inMemory = options.path === ':memory:';
    const threaded = !inMemory && (options.writerThread ?? true);
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    const backgroundMs = inMemory ? 0 : (options.backgroundCheckpointMs ?? 100);
    const settings: WriterSettings = {
      synchronous: options.synchronous ?? 'FULL',
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      walAutocheckpointPages: options.walAutocheckpointPages ?? (backgroundMs > 0 ? 2000 : 10_000),
      cacheSizeKib: options.cacheSizeKib ?? 65_536,
    };
    configureWriter(this.db, settings);
    migrate(this.db);
    this.checkpointer =
      backgroundMs > 0
        ? new BackgroundCheckpointer(options.path, backgroundMs, (message) =>
            process.emitWarning(message, 'RapportEventStore'),
          )
        : null;
    const onCommitted = (appends: number, seconds: number, anyStored: boolean): void => {
      publishCommit({ store: 'sqlite', appends, seconds });
      if (anyStored) this.notifier.notify();
    };
    const inline = new InlineAppendWriter(new SqliteAppendTransaction(this.db), onCommitted);
    this.writer = threaded ? new SqliteWriterThread({ path: options.path, ...settings }, onCommitted, inline) : inline;
    this.streamHead = this.db.prepare('SELECT revision FROM streams WHERE stream_id = ?');
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
    await this.writer.close();
    await this.checkpointer?.close();
    this.db.close();
  }

  /** Hands every append queued during this turn of the event loop to the writer, as one batch. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (this.closed) {
      for (const pending of batch) pending.reject(new EventStoreClosedError());
      return;
    }
    this.writer.submit(batch);
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
