import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byteToTamper, collect, describeEventStoreContract, events } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-es-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The contract on a file; `writerThread: false` commits on the event loop, as `:memory:` does. */
function describeOnFile(name: string, writerThread: boolean): void {
  describeEventStoreContract(
    name,
    async () => {
      const { dir, remove } = tempDir();
      const path = join(dir, 'events.db');
      // Small pages so that the contract's paging tests cross many page boundaries.
      const store = new SqliteEventStore({ path, pageSize: 64, writerThread });
      return {
        store,
        cleanup: async () => {
          await store.close();
          remove();
        },
        tamper: async (streamId, revision) => {
          const db = new Database(path);
          const row = db
            .prepare('SELECT data FROM events WHERE stream_id = ? AND revision = ?')
            .get(streamId, revision) as { data: string };
          const i = byteToTamper(row.data);
          const altered = `${row.data.slice(0, i)}${row.data[i] === 'x' ? 'y' : 'x'}${row.data.slice(i + 1)}`;
          db.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND revision = ?').run(
            altered,
            streamId,
            revision,
          );
          db.close();
        },
      };
    },
    { uniqueEventIdsAcrossStreams: true },
  );
}

describeOnFile('sqlite (writer thread)', true);
describeOnFile('sqlite (commits on the event loop)', false);

describe('SqliteEventStore on a file', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => (temp = tempDir()));
  afterEach(() => temp.remove());

  it('creates the schema at the latest version, WAL and synchronous as configured', async () => {
    const path = join(temp.dir, 'a.db');
    const store = new SqliteEventStore({ path, synchronous: 'NORMAL' });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps events across close and reopen, and refuses a file from a newer schema', async () => {
    const path = join(temp.dir, 'b.db');
    const first = new SqliteEventStore({ path });
    await first.appendToStream('customer-1', events(3));
    await first.close();
    const again = new SqliteEventStore({ path });
    expect(await again.streamRevision('customer-1')).toBe(2);
    expect(await again.verifyStream('customer-1')).toMatchObject({ ok: true, events: 3 });
    await again.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteEventStore({ path })).toThrow(/newer than this code/);
  });

  it('group commit: concurrent appends share one transaction, and a failing one does not fail its neighbours', async () => {
    const store = new SqliteEventStore({ path: join(temp.dir, 'c.db') });
    await store.appendToStream('s-taken', events(1));
    const attempts = [
      store.appendToStream('s-1', events(2), { expectedRevision: 'no_stream' }),
      store.appendToStream('s-taken', events(1), { expectedRevision: 'no_stream' }),
      store.appendToStream('s-2', events(1), { expectedRevision: 'no_stream' }),
    ];
    const settled = await Promise.allSettled(attempts);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const all = await collect(store.readAll());
    expect(all.map((e) => e.streamId)).toEqual(['s-taken', 's-1', 's-1', 's-2']);
    expect(await store.verifyStream('s-taken')).toMatchObject({ ok: true, events: 1 });
    await store.close();
  });

  it('group commit: a retry of an append in the same transaction replays its result; a reused id elsewhere is refused', async () => {
    const store = new SqliteEventStore({ path: join(temp.dir, 'r.db') });
    const batch = events(2);
    const [first, retryAny, retryExact, elsewhere] = await Promise.allSettled([
      store.appendToStream('s-1', batch, { expectedRevision: 'no_stream' }),
      store.appendToStream('s-1', batch),
      store.appendToStream('s-1', batch, { expectedRevision: 'no_stream' }),
      store.appendToStream('s-2', [batch[0]!]),
    ]);
    expect(first).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 1, position: 2 } });
    expect(retryAny).toEqual(first);
    expect(retryExact).toEqual(first);
    expect(elsewhere).toMatchObject({ status: 'rejected', reason: { name: 'DuplicateEventIdError' } });
    expect((await collect(store.readAll())).map((e) => [e.streamId, e.revision])).toEqual([
      ['s-1', 0],
      ['s-1', 1],
    ]);
    expect(await store.verifyStream('s-1')).toMatchObject({ ok: true, events: 2 });
    await store.close();
  });

  it('group commit of one-event appends: a replay, a duplicate id and a stale revision each get their own answer', async () => {
    const store = new SqliteEventStore({ path: join(temp.dir, 'o.db') });
    const [stored] = events(1);
    const earlier = await store.appendToStream('s-1', [stored!], { expectedRevision: 'no_stream' });
    const [fresh, replay, duplicate, stale, other] = await Promise.allSettled([
      store.appendToStream('s-2', events(1), { expectedRevision: 'no_stream' }),
      store.appendToStream('s-1', [stored!], { expectedRevision: 'no_stream' }),
      store.appendToStream('s-3', [stored!], { expectedRevision: 'no_stream' }),
      store.appendToStream('s-1', events(1), { expectedRevision: 5 }),
      store.appendToStream('s-1', events(1), { expectedRevision: 0 }),
    ]);
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
    expect(replay).toEqual({ status: 'fulfilled', value: earlier });
    expect(duplicate).toMatchObject({ status: 'rejected', reason: { name: 'DuplicateEventIdError' } });
    expect(stale).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedRevisionError' } });
    expect(other).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
    expect((await collect(store.readAll())).map((e) => [e.streamId, e.revision])).toEqual([
      ['s-1', 0],
      ['s-2', 0],
      ['s-1', 1],
    ]);
    expect(await store.verifyStream('s-1')).toMatchObject({ ok: true, events: 2 });
    await store.close();
  });

  it('a worker thread checkpoints the WAL into the database file, and the events read back intact', async () => {
    const fileSizeAfterAppends = async (name: string, backgroundCheckpointMs: number) => {
      const store = new SqliteEventStore({ path: join(temp.dir, name), backgroundCheckpointMs });
      for (let i = 0; i < 20; i++) await store.appendToStream(`s-${i}`, events(5));
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { store, size: statSync(join(temp.dir, name)).size };
    };
    const withoutWorker = await fileSizeAfterAppends('plain.db', 0);
    await withoutWorker.store.close();
    const withWorker = await fileSizeAfterAppends('w.db', 20);
    // Without checkpoints the events stay in the WAL; the worker copied them into the file.
    expect(withWorker.size).toBeGreaterThan(withoutWorker.size);
    expect(await collect(withWorker.store.readAll())).toHaveLength(100);
    expect(await withWorker.store.verifyStream('s-7')).toMatchObject({ ok: true, events: 5 });
    await withWorker.store.close();
  });

  it('under steady one-event appends the WAL starts over instead of growing (its growth slows every fsync)', async () => {
    const path = join(temp.dir, 'wal.db');
    const store = new SqliteEventStore({ path, synchronous: 'OFF' });
    // ~5 WAL pages each: without restarts the WAL would pass 40 MB.
    for (let i = 0; i < 2500; i++) await store.appendToStream(`s-${i % 100}`, events(1));
    expect(statSync(`${path}-wal`).size).toBeLessThan(12 * 1024 * 1024);
    expect(await store.headPosition()).toBe(2500);
    await store.close();
  });

  it('a subscription sees appends made by another process on the same file (polling)', async () => {
    const path = join(temp.dir, 'd.db');
    const reader = new SqliteEventStore({ path, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ path });
    const subscription = reader.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();
    await writer.appendToStream('other-1', events(1));
    await expect(next).resolves.toMatchObject({ done: false, value: { streamId: 'other-1', revision: 0 } });
    await subscription.close();
    await writer.close();
    await reader.close();
  });

  it('close acknowledges appends still queued and then refuses new work', async () => {
    const store = new SqliteEventStore({ path: join(temp.dir, 'e.db') });
    const queued = store.appendToStream('s', events(1));
    await store.close();
    await expect(queued).resolves.toMatchObject({ nextExpectedRevision: 0 });
    await expect(store.appendToStream('s', events(1))).rejects.toThrow(/closed/);
  });
});
