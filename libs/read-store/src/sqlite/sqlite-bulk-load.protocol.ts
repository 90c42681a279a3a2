/** What a bulk-load thread is started with. */
export interface BulkLoadThreadPlan {
  filename: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL';
  /** The forced upsert of one row, named parameters as in BulkLoadRow. */
  insertSql: string;
}

/** One document as the insert binds it: its JSON text, serialised by the caller. */
export interface BulkLoadRow {
  id: string;
  doc: string;
  position: number;
}

/** A batch of rows to insert in one transaction, statements to run (the indexes), or the end. */
export type BulkLoadWork =
  { kind: 'rows'; rows: BulkLoadRow[] } | { kind: 'exec'; statements: string[] } | { kind: 'close' };

/** A piece of work as sent, numbered so its reply finds it. */
export type BulkLoadRequest = BulkLoadWork & { seq: number };

/** The outcome of one request: `error` is null when it succeeded. */
export interface BulkLoadReply {
  seq: number;
  error: string | null;
}
