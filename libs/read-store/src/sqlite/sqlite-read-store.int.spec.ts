import { Worker } from 'node:worker_threads';
import { openSharedBulkLoad } from '../index';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreContract } from '../testing/read-store.contract';
import type { Filter } from '../read-store.port';
import { filterToSql } from './sqlite-filter';
import { SqliteReadStore } from './sqlite-read-store';

const dir = mkdtempSync(join(tmpdir(), 'rapport-read-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Bulk loads move to their thread after two documents, so the contract covers the thread's path.
readStoreContract(
  'sqlite',
  async () => new SqliteReadStore({ filename: join(dir, `rs-${++n}.db`), bulkLoadThreadFrom: 2 }),
);

describe('SqliteReadStore specifics', () => {
  const planOf = (store: SqliteReadStore, collection: string, filter: Filter): string => {
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const columns = new Set(
      (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(`rs_${collection}`) as string[])
        .filter((c) => c.startsWith('f:'))
        .map((c) => c.slice(2)),
    );
    const where = filterToSql(filter, columns);
    const sql = `EXPLAIN QUERY PLAN SELECT doc FROM "rs_${collection}" WHERE doc IS NOT NULL AND ${where.sql}`;
    return (db.prepare(sql).all(...where.params) as { detail: string }[]).map((p) => p.detail).join(' ');
  };

  it('uses the declared index for an equality filter, on a field column or on a json expression', async () => {
    const store = new SqliteReadStore({ filename: join(dir, 'plan.db') });
    await store.ensureCollection({ name: 'people', indexes: [{ fields: ['city'] }] });
    expect(planOf(store, 'people', { field: 'city', eq: 'Paris' })).toMatch(/USING INDEX "?rs_people__city/);
    // A table created without declared indexes gets expression indexes later.
    await store.ensureCollection({ name: 'shadow', indexes: [] });
    await store.commit([{ kind: 'upsert', collection: 'shadow', doc: { id: 'a', city: 'Oslo' }, position: 1 }]);
    await store.ensureCollection({ name: 'shadow', indexes: [{ fields: ['city'] }] });
    expect(planOf(store, 'shadow', { field: 'city', eq: 'Oslo' })).toMatch(/USING INDEX "?rs_shadow__city/);
    expect((await store.find('shadow', { filter: { field: 'city', eq: 'Oslo' } })).items).toEqual([
      { id: 'a', city: 'Oslo' },
    ]);
    await store.close();
  });

  it('keeps field columns equal to the document values, booleans, objects and deletes included', async () => {
    const store = new SqliteReadStore({ filename: join(dir, 'columns.db') });
    await store.ensureCollection({
      name: 'c',
      indexes: [{ fields: ['flag'] }, { fields: ['nested.n'] }, { fields: ['obj'] }],
    });
    await store.commit([
      {
        kind: 'upsert',
        collection: 'c',
        doc: { id: 'a', flag: true, nested: { n: 2.5 }, obj: { x: [1, 'y'] } },
        position: 1,
      },
      { kind: 'upsert', collection: 'c', doc: { id: 'b', flag: false, nested: null }, position: 1 },
      { kind: 'upsert', collection: 'c', doc: { id: 'd', flag: true }, position: 1 },
      { kind: 'delete', collection: 'c', id: 'd', position: 2 },
    ]);
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const rows = db
      .prepare(
        `SELECT id, "f:flag" IS json_extract(doc, '$.flag') AND "f:nested.n" IS json_extract(doc, '$.nested.n') AND "f:obj" IS json_extract(doc, '$.obj') AS same FROM "rs_c"`,
      )
      .all() as { id: string; same: number }[];
    expect(rows.every((r) => r.same === 1)).toBe(true);
    expect((await store.find('c', { filter: { field: 'flag', eq: true } })).items.map((d) => d.id)).toEqual(['a']);
    expect((await store.find('c', { filter: { field: 'nested.n', gt: 2 } })).items.map((d) => d.id)).toEqual(['a']);
    await store.close();
  });

  it('follows a collection replaced by another connection with a different shape', async () => {
    const file = join(dir, 'shared.db');
    const reader = new SqliteReadStore({ filename: file });
    const writer = new SqliteReadStore({ filename: file });
    await writer.ensureCollection({ name: 'scores', indexes: [] });
    await writer.commit([{ kind: 'upsert', collection: 'scores', doc: { id: 'a', tier: 'A' }, position: 1 }]);
    expect(await reader.count('scores', { field: 'tier', eq: 'A' })).toBe(1);
    await writer.ensureCollection({ name: 'scores_build', indexes: [{ fields: ['tier'] }], deferIndexes: true });
    await writer.commit([
      { kind: 'upsert', collection: 'scores_build', doc: { id: 'b', tier: 'A' }, position: 1, force: true },
    ]);
    await writer.replaceCollection({ name: 'scores', indexes: [{ fields: ['tier'] }] }, 'scores_build');
    expect((await reader.find('scores', { filter: { field: 'tier', eq: 'A' } })).items).toEqual([
      { id: 'b', tier: 'A' },
    ]);
    await reader.commit([{ kind: 'upsert', collection: 'scores', doc: { id: 'c', tier: 'A' }, position: 2 }]);
    expect(await writer.count('scores', { field: 'tier', eq: 'A' })).toBe(2);
    expect(planOf(writer, 'scores', { field: 'tier', eq: 'A' })).toMatch(/USING (COVERING )?INDEX "?rs_scores__tier/);
    await reader.close();
    await writer.close();
  });

  it('rolls back the documents when the checkpoint write fails, and keeps data across reopen', async () => {
    const file = join(dir, 'atomic.db');
    const store = new SqliteReadStore({ filename: file });
    await store.ensureCollection({ name: 'things', indexes: [{ fields: ['k'], unique: true }] });
    await store.commit([{ kind: 'upsert', collection: 'things', doc: { id: 'a', k: 1 }, position: 1 }], {
      name: 'cp',
      position: 1,
    });
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

  it('bulk-loads on its thread while another connection reads, durably, and reports a failed index', async () => {
    const file = join(dir, 'bulk.db');
    const store = new SqliteReadStore({ filename: file, bulkLoadThreadFrom: 100 });
    const reader = new SqliteReadStore({ filename: file });
    const load = await store.bulkLoad({ name: 'scores', indexes: [{ fields: ['tier', 'value'] }] }, 3);
    const counts: number[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      await load.write(
        Array.from({ length: 500 }, (_, i) => ({ id: `c${batch * 500 + i}`, tier: i % 3 === 0 ? 'A' : 'B', value: i })),
      );
      counts.push(await reader.count('scores'));
    }
    await load.finish();
    expect(counts[counts.length - 1]).toBeLessThanOrEqual(5_000);
    expect(await reader.count('scores', { field: 'tier', eq: 'A' })).toBe(1_670);
    expect(planOf(reader, 'scores', { field: 'tier', eq: 'A' })).toMatch(
      /USING (COVERING )?INDEX "?rs_scores__tier_value/,
    );
    await store.close();
    await reader.close();
    const reopened = new SqliteReadStore({ filename: file, bulkLoadThreadFrom: 100 });
    expect(await reopened.count('scores')).toBe(5_000);
    expect(await reopened.get('scores', 'c4999')).toEqual({ id: 'c4999', tier: 'B', value: 499 });

    const broken = await reopened.bulkLoad({ name: 'dupes', indexes: [{ fields: ['email'], unique: true }] }, 1);
    await broken.write(Array.from({ length: 200 }, (_, i) => ({ id: `d${i}`, email: `e${i % 150}` })));
    await expect(broken.finish()).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/bulk load into dupes: UNIQUE/i),
    );
    await reopened.close();
  });

  it('takes rows from another thread through a share of a bulk load, stored with its own', async () => {
    const file = join(dir, 'shared.db');
    const store = new SqliteReadStore({ filename: file, bulkLoadThreadFrom: 100 });
    const load = await store.bulkLoad({ name: 'scored', indexes: [{ fields: ['tier', 'value'] }] }, 5);
    const share = await load.shareWithThread?.();
    if (!share) throw new Error('a SQLite file store shares its bulk loads');
    const thread = new Worker(
      `const { workerData: { share } } = require('node:worker_threads');
       const values = [];
       for (let i = 0; i < 300; i += 1)
         values.push('t' + i, JSON.stringify({ id: 't' + i, tier: 'T', value: i }), share.position, 'T', i);
       share.port.once('message', () => share.port.close()); // the load's answer: stored
       share.port.postMessage({ kind: 'rows', width: 5, values, seq: 1 });`,
      { eval: true, workerData: { share }, transferList: [share.port] },
    );
    await load.write(Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, tier: 'M', value: i })));
    await new Promise((resolve) => thread.once('exit', resolve));
    await load.finish();
    expect(await store.count('scored')).toBe(500);
    expect(await store.count('scored', { field: 'tier', eq: 'T' })).toBe(300);
    expect(await store.get('scored', 't299')).toEqual({ id: 't299', tier: 'T', value: 299 });
    expect((await store.getManyApplied('scored', ['t0'])).get('t0')?.position).toBe(5);
    await store.close();
  });

  it('shares a bulk load with a writer on this thread too (openSharedBulkLoad)', async () => {
    const store = new SqliteReadStore({ filename: join(dir, 'shared-here.db'), bulkLoadThreadFrom: 10 });
    const load = await store.bulkLoad({ name: 'scored', indexes: [{ fields: ['tier'] }] }, 2);
    const share = await load.shareWithThread?.();
    if (!share) throw new Error('a SQLite file store shares its bulk loads');
    const writer = openSharedBulkLoad(share);
    for (let b = 0; b < 5; b += 1)
      await writer.write(
        Array.from({ length: 40 }, (_, i) => ({ id: `w${b * 40 + i}`, tier: b % 2 ? 'odd' : 'even', n: i })),
      );
    await writer.close();
    await load.finish();
    expect(await store.count('scored', { field: 'tier', eq: 'odd' })).toBe(80);
    expect(await store.get('scored', 'w199')).toEqual({ id: 'w199', tier: 'even', n: 39 });
    await store.close();
  });
});
