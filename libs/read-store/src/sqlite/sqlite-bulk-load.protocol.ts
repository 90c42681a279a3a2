import type { MessagePort } from 'node:worker_threads';
/** What a bulk-load thread is started with. */
export interface BulkLoadThreadPlan {
  filename: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL';
  /** The forced upsert of one row, positional parameters: id, doc, position, then each field column. */
  insertSql: string;
  /** The same upsert of a serialised document, named parameters @id, @doc, @position: SQLite fills the field columns. */
  insertJsonSql: string;
}

/** A value bound to the insert: the document's id, its JSON text, its position, a field column's value. */
export type BulkLoadValue = string | number | null;

/** A batch of rows to insert in one transaction, statements to run (the indexes), or the end. */
export type BulkLoadWork =
  | { kind: 'rows'; width: number; values: BulkLoadValue[] }
  | { kind: 'json-rows'; values: BulkLoadValue[] }
  | { kind: 'attach'; port: MessagePort }
  | { kind: 'exec'; statements: string[] }
  | { kind: 'close' };

/** A piece of work as sent, numbered so its reply finds it. */
export type BulkLoadRequest = BulkLoadWork & { seq: number };

/** The outcome of one request: `error` is null when it succeeded. */
export interface BulkLoadReply {
  seq: number;
  error: string | null;
}
