import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { leaseProcessSuite } from '../testing/lease-processes.suite';

const dir = mkdtempSync(join(tmpdir(), 'rapport-leases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

leaseProcessSuite(
  'one SQLite file',
  (name) => `sqlite:${join(dir, `${name}.db`)}`,
  // New rows take the next rowid, so rowid order is commit order.
  async (spec) => {
    const db = new Database(spec.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(`SELECT id, json_extract(doc, '$.token') AS token FROM "rs_log" ORDER BY rowid`).all() as {
        id: string;
        token: number;
      }[];
    } finally {
      db.close();
    }
  },
);
