import Database from 'better-sqlite3';
import { assertCollectionName } from '../errors';
import { decodeCursor, encodeCursor, queryFingerprint } from '../query/cursor';
import { validateFieldPath, validateFilter, validateFindQuery } from '../query/query-validator';
import { acquired, assertFence, released, renewed, toGrant, validateLeaseArgs } from '../lease/lease-rules';
import type {
  AppliedDoc,
  BulkLoad,
  CollectionSpec,
  Doc,
  DocChange,
  Filter,
  FindQuery,
  IdRange,
  ReadStoreShare,
  LeaseFence,
  LeaseGrant,
  LeaseRecord,
  Page,
  ReadStore,
} from '../read-store.port';
import {
  afterKeySql,
  columnValue,
  fieldColumn,
  filterToSql,
  indexExpression,
  sortToSql,
  type Columns,
} from './sqlite-filter';
import { committingBulkLoad } from '../bulk/committing-bulk-load';
import { scanPages } from './sqlite-scan';
import { bulkInsertJsonSql, bulkInsertSql, changeSql, tableOf } from './sqlite-write-sql';
import { SqliteBulkLoad } from './sqlite-bulk-load';

export interface SqliteReadStoreOptions {
  /** A file path, or `:memory:`. Ignored when `database` is given. */
  filename?: string;
  /** Share a connection (e.g. the event store's file); the caller then owns closing it. */
  database?: Database.Database;
  /** `NORMAL` is durable against process crashes in WAL mode; read models can be rebuilt anyway. */
  synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  /** A bulk load moves to a thread of its own past this many documents (default 10,000). */
  bulkLoadThreadFrom?: number;
}

type Statement = Database.Statement<unknown[]>;

// Duck-typed: errors from the native addon may come from another realm (jest's VM contexts).
const isMissingTable = (error: unknown): boolean =>
  /no such table/.test(String((error as { message?: unknown } | null)?.message ?? ''));

interface LeaseRow {
  name: string;
  owner: string | null;
  token: number;
  expires_at: number;
  acquired_at: number | null;
}

const leaseOf = (row: LeaseRow): LeaseRecord => ({
  name: row.name,
  owner: row.owner,
  token: row.token,
  expiresAtMs: row.expires_at,
  acquiredAtMs: row.acquired_at,
});

/** SQLite's error for a column the table no longer has: another connection replaced it under a cached shape. */
const isMissingColumn = (error: unknown): boolean =>
  /no such column|has no column named/.test(String((error as { message?: unknown } | null)?.message ?? ''));

/**
 * ReadStore on SQLite: one table per collection `(id, doc JSON, position)`, WAL. A commit (documents
 * + checkpoint) is one transaction. Deleted documents stay as rows with a NULL doc so an older
 * change cannot bring them back. A collection created with its indexes declared keeps each indexed
 * field in a column beside the document (`"f:<field>"`, written on every change), so its indexes,
 * filters and sorts never parse JSON; indexes declared on an existing table without those columns
 * are expression indexes on json_extract.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly statements = new Map<string, Statement>();
  /** Tables known to exist, with their field columns. */
  private readonly knownTables = new Map<string, string[]>();
  private schemaVersion = -1;

  constructor(private readonly options: SqliteReadStoreOptions) {
    this.ownsDb = options.database === undefined;
    this.db = options.database ?? new Database(options.filename ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS rs_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rs_meta (key TEXT PRIMARY KEY, value JSON NOT NULL);
      CREATE TABLE IF NOT EXISTS rs_leases (name TEXT PRIMARY KEY, owner TEXT, token INTEGER NOT NULL,
        expires_at INTEGER NOT NULL, acquired_at INTEGER);
    `);
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    const fields = [...new Set(spec.indexes.flatMap((index) => index.fields))];
    // Field paths follow the query language rules, so they are safe to inline.
    spec.indexes.forEach((index) =>
      index.fields.forEach((field, i) => validateFieldPath(field, `${spec.name}.indexes.fields[${i}]`)),
    );
    this.createTable(spec.name, fields);
    if (!spec.deferIndexes) this.createIndexes(spec);
  }

  async bulkLoad(spec: CollectionSpec, position: number): Promise<BulkLoad> {
    const fresh = this.tableFields(spec.name) === null;
    const inline = await committingBulkLoad(this, spec, position);
    // An in-memory database is this connection's alone: no thread can reach it.
    if (this.db.memory) return inline;
    const fields = [...this.columnsOf(spec.name)];
    return new SqliteBulkLoad({
      collection: spec.name,
      filename: this.db.name,
      synchronous: this.options.synchronous ?? 'NORMAL',
      insertSql: bulkInsertSql(spec.name, fields, fresh),
      insertJsonSql: bulkInsertJsonSql(spec.name, fields),
      position,
      fields,
      indexSql: this.indexStatements(spec),
      threadFrom: this.options.bulkLoadThreadFrom ?? 10_000,
      inline,
    });
  }

  async dropCollection(name: string): Promise<void> {
    assertCollectionName(name);
    this.db.exec(`DROP TABLE IF EXISTS ${tableOf(name)}`);
    this.knownTables.delete(name);
    this.statements.clear();
  }

  async replaceCollection(target: CollectionSpec, source: string): Promise<void> {
    assertCollectionName(target.name);
    target.indexes.forEach((index) =>
      index.fields.forEach((field, i) => validateFieldPath(field, `${target.name}.indexes.fields[${i}]`)),
    );
    this.knownTables.delete(source);
    this.createTable(source);
    // One transaction: WAL readers keep the old table until COMMIT, then see the new one whole.
    this.db
      .transaction(() => {
        this.db.exec(`DROP TABLE IF EXISTS ${tableOf(target.name)}`);
        this.db.exec(`ALTER TABLE ${tableOf(source)} RENAME TO ${tableOf(target.name)}`);
        // Indexes keep their names through a rename: drop any the source had, then build the target's.
        const carried = this.db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
          .pluck()
          .all(`rs_${target.name}`) as string[];
        for (const index of carried) this.db.exec(`DROP INDEX "${index.replace(/"/g, '""')}"`);
        this.knownTables.delete(source);
        this.knownTables.delete(target.name);
        this.createIndexes(target);
      })
      .immediate();
    this.statements.clear();
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const row = this.read(collection, `SELECT doc FROM ${tableOf(collection)} WHERE id = ? AND doc IS NOT NULL`, (s) =>
      s.get(id),
    ) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async getMany<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, T>> {
    const applied = await this.getManyApplied<T>(collection, ids);
    const found = new Map<string, T>();
    for (const [id, { doc }] of applied) if (doc) found.set(id, doc);
    return found;
  }

  async getManyApplied<T extends Doc>(collection: string, ids: string[]): Promise<Map<string, AppliedDoc<T>>> {
    const found = new Map<string, AppliedDoc<T>>();
    const unique = [...new Set(ids)];
    // json_each keeps one statement whatever the number of ids.
    const sql = `SELECT id, doc, position FROM ${tableOf(collection)} WHERE id IN (SELECT value FROM json_each(?))`;
    for (let i = 0; i < unique.length; i += 5000) {
      const chunk = JSON.stringify(unique.slice(i, i + 5000));
      const rows = (this.read(collection, sql, (s) => s.all(chunk)) ?? []) as {
        id: string;
        doc: string | null;
        position: number;
      }[];
      for (const row of rows)
        found.set(row.id, { doc: row.doc === null ? null : (JSON.parse(row.doc) as T), position: row.position });
    }
    return found;
  }

  async find<T extends Doc>(collection: string, query: FindQuery): Promise<Page<T>> {
    return this.withFreshShape(collection, () => this.findOnce<T>(collection, query));
  }

  private findOnce<T extends Doc>(collection: string, query: FindQuery): Page<T> {
    const { filter, sort, limit, cursor } = validateFindQuery(query);
    const fingerprint = queryFingerprint(collection, filter, sort);
    const after = decodeCursor(cursor, fingerprint, sort);
    const columns = this.columnsOf(collection);
    const where = filter ? filterToSql(filter, columns) : { sql: '1', params: [] };
    const keyset = after === null ? { sql: '1', params: [] } : afterKeySql(sort, after, columns);
    const sql = `SELECT doc FROM ${tableOf(collection)} WHERE doc IS NOT NULL AND ${where.sql} AND ${keyset.sql} ORDER BY ${sortToSql(sort, columns)} LIMIT ?`;
    const rows = (this.read(collection, sql, (s) => s.all(...where.params, ...keyset.params, limit + 1)) ?? []) as {
      doc: string;
    }[];
    const items = rows.slice(0, limit).map((row) => JSON.parse(row.doc) as T);
    const last = items[items.length - 1];
    const key = last ? [...sort.map(({ field }) => columnValue(last, field)), last.id] : [];
    return { items, nextCursor: rows.length > limit ? encodeCursor(key, fingerprint) : null };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    return this.withFreshShape(collection, () => this.countOnce(collection, filter));
  }

  private countOnce(collection: string, filter?: Filter): number {
    const where =
      filter === undefined ? { sql: '1', params: [] } : filterToSql(validateFilter(filter), this.columnsOf(collection));
    const sql = `SELECT count(*) AS n FROM ${tableOf(collection)} WHERE doc IS NOT NULL AND ${where.sql}`;
    const row = this.read(collection, sql, (s) => s.get(...where.params)) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  scan<T extends Doc>(collection: string, batchSize = 500, range: IdRange = {}): AsyncIterable<T> {
    return scanPages<T>(
      (sql, params) => this.read(collection, sql, (s) => s.pluck().all(params)) as string[] | undefined,
      tableOf(collection),
      batchSize,
      range,
    );
  }

  async splitPoint(collection: string, share: number): Promise<{ rows: number; id: string | null }> {
    const table = tableOf(collection);
    const rows = (this.read(collection, `SELECT count(*) FROM ${table}`, (s) => s.pluck().get()) ?? 0) as number;
    const offset = Math.min(Math.max(0, rows - 1), Math.floor(share * rows));
    const id = this.read(collection, `SELECT id FROM ${table} ORDER BY id LIMIT 1 OFFSET ?`, (s) =>
      s.pluck().get(offset),
    );
    return { rows, id: (id as string | undefined) ?? null };
  }

  shareWithThread(): ReadStoreShare | null {
    return this.db.memory ? null : { kind: 'sqlite', filename: this.db.name };
  }

  async commit(
    changes: DocChange[],
    checkpoint?: { name: string; position: number },
    fence?: LeaseFence,
  ): Promise<void> {
    if (fence) validateLeaseArgs({ name: fence.lease, token: fence.token });
    const write = this.db.transaction(() => {
      // Checked in the transaction that writes: no other owner can take the lease in between.
      if (fence) assertFence(this.lease(fence.lease), fence);
      // Inside the transaction: the table shapes read here are the ones the writes meet.
      this.syncSchema();
      this.commitOnce(changes, checkpoint);
    });
    // IMMEDIATE takes the write lock before anything is read (the fence, the table shapes): another
    // process's acquire cannot slip in between, and a deferred read-then-write would fail at once with
    // SQLITE_BUSY_SNAPSHOT when another connection (a worker, a rebuild share) wrote meanwhile.
    write.immediate();
  }

  private commitOnce(changes: DocChange[], checkpoint?: { name: string; position: number }): void {
    for (const change of changes) this.createTable(change.collection);
    // Consecutive changes of one kind and collection share a statement (bulk writes are runs of those).
    let kind = '';
    let statement: Statement | undefined;
    let fields: string[] = [];
    for (const change of changes) {
      const next = `${change.kind}${change.force ? '!' : ''} ${change.collection}`;
      if (next !== kind || statement === undefined) {
        kind = next;
        fields = this.knownTables.get(change.collection) ?? [];
        statement = this.statement(changeSql(change, fields));
      }
      const params: unknown[] =
        change.kind === 'delete'
          ? [change.id, null, change.position]
          : [change.doc.id, JSON.stringify(change.doc), change.position];
      for (const field of fields) params.push(change.kind === 'delete' ? null : columnValue(change.doc, field));
      statement.run(...params);
    }
    if (checkpoint) {
      this.statement(
        `INSERT INTO rs_checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position`,
      ).run(checkpoint.name, checkpoint.position);
    }
  }

  async getCheckpoint(name: string): Promise<number | null> {
    const row = this.statement(`SELECT position FROM rs_checkpoints WHERE name = ?`).get(name) as
      { position: number } | undefined;
    return row?.position ?? null;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.statement(`DELETE FROM rs_checkpoints WHERE name = ?`).run(name);
  }

  async getMeta<T>(key: string): Promise<T | null> {
    const row = this.statement(`SELECT value FROM rs_meta WHERE key = ?`).get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async setMeta<T>(key: string, value: T, fence?: LeaseFence): Promise<void> {
    if (fence) validateLeaseArgs({ name: fence.lease, token: fence.token });
    const sql = `INSERT INTO rs_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
    // Fenced as a commit is: the check and the write in one IMMEDIATE transaction.
    this.db
      .transaction(() => {
        if (fence) assertFence(this.lease(fence.lease), fence);
        this.statement(sql).run(key, JSON.stringify(value));
      })
      .immediate();
  }

  async acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, ttlMs, nowMs });
    return toGrant(this.changeLease(name, (current) => acquired(current, name, owner, ttlMs, nowMs)));
  }

  async renewLease(
    name: string,
    owner: string,
    token: number,
    ttlMs: number,
    nowMs: number,
  ): Promise<LeaseGrant | null> {
    validateLeaseArgs({ name, owner, token, ttlMs, nowMs });
    return toGrant(this.changeLease(name, (current) => renewed(current, owner, token, ttlMs, nowMs)));
  }

  async releaseLease(name: string, owner: string, token: number): Promise<boolean> {
    validateLeaseArgs({ name, owner, token });
    return this.changeLease(name, (current) => released(current, owner, token)) !== null;
  }

  async listLeases(prefix = ''): Promise<LeaseRecord[]> {
    const rows = this.statement(
      `SELECT name, owner, token, expires_at, acquired_at FROM rs_leases WHERE substr(name, 1, length(?)) = ? ORDER BY name`,
    ).all(prefix, prefix) as LeaseRow[];
    return rows.map(leaseOf);
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private lease(name: string): LeaseRecord | null {
    const row = this.statement(`SELECT name, owner, token, expires_at, acquired_at FROM rs_leases WHERE name = ?`).get(
      name,
    ) as LeaseRow | undefined;
    return row ? leaseOf(row) : null;
  }

  /** Reads, decides and writes a lease under the write lock, so processes sharing the file take turns. */
  private changeLease(name: string, decide: (current: LeaseRecord | null) => LeaseRecord | null): LeaseRecord | null {
    return this.db
      .transaction(() => {
        const next = decide(this.lease(name));
        if (next === null) return null;
        this.statement(
          `INSERT INTO rs_leases (name, owner, token, expires_at, acquired_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, token = excluded.token,
             expires_at = excluded.expires_at, acquired_at = excluded.acquired_at`,
        ).run(name, next.owner, next.token, next.expiresAtMs, next.acquiredAtMs);
        return next;
      })
      .immediate();
  }

  private createIndexes(spec: CollectionSpec): void {
    for (const sql of this.indexStatements(spec)) this.db.exec(sql);
  }

  private indexStatements(spec: CollectionSpec): string[] {
    const table = tableOf(spec.name);
    const columns = this.columnsOf(spec.name);
    return spec.indexes.map((index) => {
      const name = `"rs_${spec.name}__${index.fields.join('_').replace(/\./g, '_')}"`;
      return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${name} ON ${table}(${indexExpression(index.fields, columns)})`;
    });
  }

  /** Creates the table when missing, with a column per field given; learns an existing table's columns. */
  private createTable(collection: string, fields: string[] = []): void {
    if (this.knownTables.has(collection)) return;
    assertCollectionName(collection);
    const columns = fields.map((field) => `, ${fieldColumn(field)}`).join('');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${tableOf(collection)} (id TEXT PRIMARY KEY, doc JSON, position INTEGER NOT NULL${columns})`,
    );
    this.knownTables.set(collection, this.tableFields(collection) ?? []);
  }

  /** Field columns of an existing table, or null when there is no such table. */
  private tableFields(collection: string): string[] | null {
    const names = this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(`rs_${collection}`) as string[];
    if (names.length === 0) return null;
    return names.filter((name) => name.startsWith('f:')).map((name) => name.slice(2));
  }

  private columnsOf(collection: string): Columns {
    let fields = this.knownTables.get(collection);
    if (fields === undefined) {
      const found = this.tableFields(collection);
      if (found === null) return new Set();
      this.knownTables.set(collection, found);
      fields = found;
    }
    return new Set(fields);
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size > 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Forgets the learnt table shapes when any connection changed the schema since they were read. */
  private syncSchema(): void {
    const version = this.statement('PRAGMA schema_version').pluck().get() as number;
    if (version === this.schemaVersion) return;
    this.schemaVersion = version;
    this.knownTables.clear();
  }

  /** Runs `work` again once if another connection changed the table's columns under the cached shape. */
  private withFreshShape<R>(collection: string, work: () => R): R {
    this.syncSchema();
    try {
      return work();
    } catch (error) {
      if (!isMissingColumn(error)) throw error;
      this.knownTables.delete(collection);
      this.statements.clear();
      return work();
    }
  }

  /** Runs a read; a collection that does not exist (yet, or any more) reads as empty. */
  private read<R>(collection: string, sql: string, run: (statement: Statement) => R): R | undefined {
    assertCollectionName(collection);
    try {
      return run(this.statement(sql));
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      this.statements.delete(sql);
      this.knownTables.delete(collection);
      return undefined;
    }
  }
}
