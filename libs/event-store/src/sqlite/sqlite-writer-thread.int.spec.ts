import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, event, events } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

describe('SqliteEventStore writer thread', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rapport-writer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an acknowledged append is read back at once on the event loop, and wakes a waiting subscription', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'a.db') });
    const iterator = store.subscribeToAll()[Symbol.asyncIterator]();
    const first = iterator.next();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.appendToStream(`s-${i}`, events(2), { expectedRevision: 'no_stream' }),
      ),
    );
    for (const [i, result] of results.entries()) {
      const read = await collect(store.readStream(`s-${i}`));
      expect(read.map((e) => e.position)).toContain(result.position);
      expect(read).toHaveLength(2);
    }
    await expect(first).resolves.toMatchObject({ done: false, value: { revision: 0 } });
    expect(new Set(results.map((r) => r.position)).size).toBe(40);
    await store.close();
  });

  it('lone appends (committed on the event loop) and concurrent ones (on the thread) interleave into one chain', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'i.db') });
    const revisions = new Map<string, number>();
    const appendTo = async (streamId: string) => {
      const result = await store.appendToStream(streamId, events(1), {
        expectedRevision: revisions.get(streamId) ?? 'no_stream',
      });
      revisions.set(streamId, result.nextExpectedRevision);
      return result.position;
    };
    const positions: number[] = [];
    for (let round = 0; round < 15; round++) {
      positions.push(await appendTo(`s-${round % 3}`));
      positions.push(...(await Promise.all([0, 1, 2, 3, 4].map((i) => appendTo(`s-${i}`)))));
    }
    const all = await collect(store.readAll());
    expect(all.map((e) => e.position).sort((a, b) => a - b)).toEqual([...positions].sort((a, b) => a - b));
    expect(all).toHaveLength(15 * 6);
    for (const [streamId, revision] of revisions)
      expect(await store.verifyStream(streamId)).toMatchObject({ ok: true, events: revision + 1 });
    await store.close();
  });

  it('an append JSON cannot hold fails alone; the appends of the same turn are stored', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'b.db') });
    const [before, unstorable, after] = await Promise.allSettled([
      store.appendToStream('s-1', events(1)),
      store.appendToStream('s-2', [event('T', { amount: 10n })]),
      store.appendToStream('s-3', events(1)),
    ]);
    expect(before).toMatchObject({ status: 'fulfilled' });
    expect(unstorable).toMatchObject({ status: 'rejected', reason: { name: 'TypeError' } });
    expect(after).toMatchObject({ status: 'fulfilled' });
    expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['s-1', 's-3']);
    await store.close();
  });

  it('values are stored as JSON.stringify gives them (a Date as its text) and the chain verifies', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'c.db') });
    const at = new Date('2026-03-01T10:00:00.000Z');
    await store.appendToStream('s-1', [event('T', { at, skipped: undefined, list: [1, undefined] })]);
    const [stored] = await collect(store.readStream('s-1'));
    expect(stored!.data).toEqual({ at: '2026-03-01T10:00:00.000Z', list: [1, null] });
    expect(await store.verifyStream('s-1')).toMatchObject({ ok: true, events: 1 });
    await store.close();
  });

  it('a writer thread that cannot open the file fails the appends instead of leaving them waiting', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'd.db'), backgroundCheckpointMs: 0 });
    rmSync(dir, { recursive: true, force: true }); // the thread starts with the first append, and opens the file then
    // Two appends in one turn go to the thread (a lone one would commit on the event loop).
    const both = () => Promise.allSettled(['s-1', 's-2'].map((id) => store.appendToStream(id, events(1))));
    const [first, second] = await both();
    expect(first).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/cannot open database|unable to open/i) },
    });
    expect(second).toMatchObject({ status: 'rejected' });
    expect((await both()).map((s) => s.status)).toEqual(['rejected', 'rejected']);
    await store.close();
  });

  it('a process whose last work is an append gets its answer, then exits without closing the store', async () => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'sqlite-writer-exit.child.ts'), join(dir, 'e.db')],
      { cwd: join(__dirname, '../../../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toBe('appended 0\n');
    expect(code).toBe(0);
    const store = new SqliteEventStore({ path: join(dir, 'e.db') });
    expect(await store.streamRevision('exit-1')).toBe(0);
    await store.close();
  }, 30_000);
});
