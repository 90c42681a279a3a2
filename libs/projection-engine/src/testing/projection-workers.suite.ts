import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '@rapport/event-store';
import { MemoryReadStore, type Doc, type ReadStore } from '@rapport/read-store';
import { openLeaseTestStore } from '@rapport/read-store/testing/lease-test-store';
import { fairShare, projectionLease } from '../ownership/fair-share';
import { readRecord } from '../runner/projection-catalog';
import { unitsOf } from '../runner/projection-units';
import { ProjectionRunner } from '../runner/projection-runner';
import { passThroughDecoder, seedHistory } from './history';
import { caughtUp, keepAppending, until, WorkerProcess, type WorkerCommit } from './projection-workers';
import { WORKER_PROJECTIONS } from './worker-projections';

// Projector workers as real processes on one SQLite event store file and one shared read store
// (a SQLite file, or MongoDB where the runner gives a spec for it): they split the projections,
// a SIGKILLed owner's projections are taken over from their checkpoints, and a paused owner that
// lost its leases writes nothing once resumed.

const NAMES = WORKER_PROJECTIONS.map((p) => p.name);
const PARTITIONS = 2;
const UNITS = WORKER_PROJECTIONS.flatMap((p) => unitsOf(p, PARTITIONS).map((u) => u.name));

async function appliedDocs(store: ReadStore, collection: string): Promise<Map<string, unknown>> {
  const ids: string[] = [];
  for await (const doc of store.scan<Doc>(collection)) ids.push(doc.id);
  const applied = await store.getManyApplied(collection, ids);
  return new Map([...applied].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every shared read model equals a from-scratch build: same documents, same applied positions. */
export async function expectEqualsScratch(events: SqliteEventStore, shared: ReadStore): Promise<void> {
  const scratch = new MemoryReadStore();
  const runner = new ProjectionRunner({
    eventStore: events,
    readStore: scratch,
    decoder: passThroughDecoder,
    projections: [...WORKER_PROJECTIONS],
  });
  await runner.start();
  const head = await events.headPosition();
  for (const name of NAMES) expect(await runner.waitFor(name, head, 60_000)).toBe(true);
  for (const name of NAMES) {
    const record = await readRecord(shared, name);
    const mine = await appliedDocs(shared, record.active!.collection);
    const theirs = await appliedDocs(scratch, runner.liveCollection(name));
    expect(mine.size).toBeGreaterThan(0);
    expect([name, mine]).toEqual([name, theirs]);
  }
  await runner.stop();
}

/**
 * Per unit (projection or partition), its landed checkpoints never go back from one owner's token to
 * the next: each owner resumed from its predecessor's checkpoint, applying nothing twice.
 */
export function expectResumedFromCheckpoints(commits: WorkerCommit[], units: readonly string[] = NAMES): void {
  for (const name of units) {
    // A partition's own checkpoint only (its commits also raise the collection's, the least of all).
    const own = (c: WorkerCommit) => c.checkpointName?.includes('#') === name.includes('#');
    const landed = commits.filter(
      (c) => c.landed && c.lease === projectionLease(name) && c.checkpoint !== null && own(c),
    );
    const tokens = [...new Set(landed.map((c) => c.token))].sort((a, b) => a - b);
    for (let i = 1; i < tokens.length; i++) {
      const before = Math.max(...landed.filter((c) => c.token === tokens[i - 1]).map((c) => c.checkpoint!));
      const after = Math.min(...landed.filter((c) => c.token === tokens[i]).map((c) => c.checkpoint!));
      expect({ name, token: tokens[i], after: after >= before }).toEqual({ name, token: tokens[i], after: true });
    }
  }
}

export function projectionWorkersSuite(label: string, dir: string, newReadSpec: (name: string) => string): void {
  describe(`projector workers sharing the projections: ${label}`, () => {
    const LEASE_MS = 1500;
    let workers: WorkerProcess[] = [];
    let closing: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const w of workers) {
        w.child.kill('SIGCONT');
        await w.stop();
      }
      for (const close of closing) await close();
      workers = [];
      closing = [];
    });
    const open = async (eventsFile: string, spec: string) => {
      const events = new SqliteEventStore({ path: eventsFile });
      const { store, close } = await openLeaseTestStore(spec);
      closing.push(close, () => events.close());
      return { events, store };
    };

    it('given three workers, then they split the projections; when an owner is SIGKILLed, the others take its projections over within the lease time, from the checkpoints, and the read models equal a from-scratch build', async () => {
      const eventsFile = join(dir, 'kill-events.db');
      const spec = newReadSpec('kill');
      const { events, store } = await open(eventsFile, spec);
      await seedHistory(events, 40, 12, 1);
      workers = ['w1', 'w2', 'w3'].map((id) => new WorkerProcess(id, eventsFile, spec, LEASE_MS));
      const allOwned = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      const owners = () => allOwned().flatMap((w) => w.names());
      await until(
        () => owners().length === NAMES.length && allOwned().every((w) => w.owned.length === 2),
        'three workers each owning 2 of 6',
      );
      expect(owners().sort()).toEqual([...NAMES].sort());
      expect(workers.filter((w) => w.leader)).toHaveLength(1);
      await until(async () => caughtUp(store, events, await events.headPosition()), 'the workers to catch up');

      const appending = keepAppending(events, 1000);
      await sleep(500);
      const victim = workers[0]!;
      const taken = victim.owned.map((o) => ({ ...o }));
      const killedAt = Date.now();
      await victim.kill();
      const survivors = workers.slice(1);
      await until(
        () => taken.every((t) => survivors.some((w) => w.owned.some((o) => o.projection === t.projection))),
        'the survivors to take the killed worker’s projections over',
      );
      const takenOverAt = Date.now();
      // Moving again: a commit of each taken projection by its new owner, under a newer token.
      await until(
        () =>
          taken.every((t) =>
            survivors.some((w) =>
              w.commits.some((c) => c.landed && c.lease === projectionLease(t.projection) && c.token > t.token),
            ),
          ),
        'the taken-over read models to move again',
      );
      const movingAt = Date.now();
      await sleep(300);
      await appending.stop();

      const share = fairShare(NAMES.length, 2);
      expect(survivors.map((w) => w.owned.length).sort()).toEqual([share, share]);
      expect(survivors.some((w) => w.leader)).toBe(true);
      // The lease runs out at most LEASE_MS after the last renewal; a pass comes every third of it.
      expect(takenOverAt - killedAt).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 1500);
      console.log(
        `projector workers (${label}): SIGKILL of ${victim.id} (${taken.map((t) => t.projection).join(', ')}): taken over after ${takenOverAt - killedAt} ms, moving again after ${movingAt - killedAt} ms (lease ${LEASE_MS} ms)`,
      );

      await until(
        async () => caughtUp(store, events, await events.headPosition()),
        'the survivors to catch up',
        60_000,
      );
      await expectEqualsScratch(events, store);
      expectResumedFromCheckpoints(workers.flatMap((w) => w.commits));
      expect(survivors.flatMap((w) => w.commits).filter((c) => !c.landed)).toEqual([]);
    }, 180_000);

    it('given three workers on two partitions per projection, when a partition owner is SIGKILLed, then the others take its partitions over from their checkpoints and the read models equal a from-scratch build', async () => {
      const eventsFile = join(dir, 'partitions-events.db');
      const spec = newReadSpec('partitions');
      const { events, store } = await open(eventsFile, spec);
      await seedHistory(events, 40, 12, 3);
      workers = ['p1', 'p2', 'p3'].map((id) => new WorkerProcess(id, eventsFile, spec, LEASE_MS, PARTITIONS));
      const alive = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      const share = fairShare(UNITS.length, 3);
      await until(
        () => alive().every((w) => w.owned.length === share),
        `three workers each owning ${share} of ${UNITS.length} partitions`,
      );
      expect(
        alive()
          .flatMap((w) => w.names())
          .sort(),
      ).toEqual([...UNITS].sort());
      await until(async () => caughtUp(store, events, await events.headPosition()), 'the workers to catch up');

      const appending = keepAppending(events, 3000);
      await sleep(500);
      const victim = workers[1]!;
      const taken = victim.owned.map((o) => ({ ...o }));
      const killedAt = Date.now();
      await victim.kill();
      const survivors = alive();
      await until(
        () =>
          taken.every((t) =>
            survivors.some((w) =>
              w.commits.some((c) => c.landed && c.lease === projectionLease(t.projection) && c.token > t.token),
            ),
          ),
        'the killed worker’s partitions to move again under their new owners',
      );
      const movingAt = Date.now();
      await appending.stop();
      // The victim's partitions move first, then the survivors rebalance to a fair split.
      await until(
        () => survivors.every((w) => w.owned.length === UNITS.length / 2),
        'the survivors to split the partitions evenly',
      );
      expect(survivors.map((w) => w.owned.length)).toEqual([UNITS.length / 2, UNITS.length / 2]);
      console.log(
        `projector workers (${label}): SIGKILL of partition owner ${victim.id} (${taken.map((t) => t.projection).join(', ')}): moving again after ${movingAt - killedAt} ms (lease ${LEASE_MS} ms)`,
      );
      await until(
        async () => caughtUp(store, events, await events.headPosition()),
        'the survivors to catch up',
        60_000,
      );
      await expectEqualsScratch(events, store);
      expectResumedFromCheckpoints(
        workers.flatMap((w) => w.commits),
        UNITS,
      );
      expect(survivors.flatMap((w) => w.commits).filter((c) => !c.landed)).toEqual([]);
    }, 180_000);

    it('given an owner paused (SIGSTOP) until its leases passed to another worker, when it resumes, then every write it tries under its old leases is refused, and it rejoins with new ones', async () => {
      const eventsFile = join(dir, 'pause-events.db');
      const spec = newReadSpec('pause');
      const { events, store } = await open(eventsFile, spec);
      await seedHistory(events, 30, 10, 2);
      const [a, b] = (workers = ['a', 'b'].map((id) => new WorkerProcess(id, eventsFile, spec, LEASE_MS))) as [
        WorkerProcess,
        WorkerProcess,
      ];
      await until(() => a.owned.length === 3 && b.owned.length === 3, 'two workers each owning 3 of 6');
      await until(async () => caughtUp(store, events, await events.headPosition()), 'the workers to catch up');
      const stale = a.owned.map((o) => ({ ...o }));

      a.child.kill('SIGSTOP');
      const appending = keepAppending(events, 2000);
      await until(() => b.owned.length === NAMES.length, 'b to take every projection over');
      await until(
        () => stale.every((s) => b.commits.some((c) => c.landed && c.lease === projectionLease(s.projection))),
        'b to write the taken-over read models',
      );
      const resumedAt = Date.now();
      a.child.kill('SIGCONT');
      // a finds its leases gone, then (alive again) gets its share back under new tokens.
      await until(() => a.owned.length === 3 && b.owned.length === 3, 'the two workers to share again', 30_000);
      await appending.stop();

      const superseded = new Map(stale.map((s) => [projectionLease(s.projection), s.token]));
      const staleTries = a.commits.filter((c) => c.startedAt >= resumedAt && c.token <= superseded.get(c.lease)!);
      expect(staleTries.length).toBeGreaterThan(0); // it did try: its live tracks had events to write
      expect(staleTries.filter((c) => c.landed)).toEqual([]);
      console.log(
        `projector workers (${label}): paused owner resumed: ${staleTries.length} writes under superseded leases, all refused`,
      );
      for (const o of a.owned) {
        const before = superseded.get(projectionLease(o.projection));
        if (before !== undefined) expect(o.token).toBeGreaterThan(before);
      }
      await until(async () => caughtUp(store, events, await events.headPosition()), 'the workers to catch up', 60_000);
      await expectEqualsScratch(events, store);
      expectResumedFromCheckpoints([...a.commits, ...b.commits]);
    }, 180_000);
  });
}
