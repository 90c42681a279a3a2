import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreContract } from '../testing/read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';

const dir = mkdtempSync(join(tmpdir(), 'rapport-read-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

readStoreContract('sqlite', async () => new SqliteReadStore({ filename: join(dir, `rs-${++n}.db`) }));

describe('SqliteReadStore specifics', () => {
  it('uses the declared expression index for an equality filter', async () => {
    const store = new SqliteReadStore({ filename: join(dir, 'plan.db') });
    await store.ensureCollection({ name: 'people', indexes: [{ fields: ['city'] }] });
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT doc FROM "rs_people" WHERE doc IS NOT NULL AND (json_extract(doc, '$.city') = ? AND json_type(doc, '$.city') = 'text')`)
      .all('Paris') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX "?rs_people__city/);
    await store.close();
  });

  it('rolls back the documents when the checkpoint write fails, and keeps data across reopen', async () => {
    const file = join(dir, 'atomic.db');
    const store = new SqliteReadStore({ filename: file });
    await store.ensureCollection({ name: 'things', indexes: [{ fields: ['k'], unique: true }] });
    await store.commit([{ kind: 'upsert', collection: 'things', doc: { id: 'a', k: 1 }, position: 1 }], { name: 'cp', position: 1 });
    await expect(
      store.commit(
        [
          { kind: 'upsert', collection: 'things', doc: { id: 'b', k: 2 }, position: 2 },
          { kind: 'upsert', collection: 'things', doc: { id: 'c', k: 1 }, position: 3 },
        ],
        { name: 'cp', position: 3 },
      ),
    ).rejects.toHaveProperty('message', expect.stringMatching(/unique/i));
    expect(await store.get('things', 'b')).toBeNull();
    expect(await store.getCheckpoint('cp')).toBe(1);
    await store.close();
    const reopened = new SqliteReadStore({ filename: file });
    expect(await reopened.get('things', 'a')).toEqual({ id: 'a', k: 1 });
    await reopened.close();
  });
});
