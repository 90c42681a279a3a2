import { InvalidQueryError } from '../errors';
import type { Doc, DocChange, Filter, ReadStore } from '../read-store.port';
import { leaseContract } from './lease.contract';

// One behavioural suite for every ReadStore adapter. `open` gives a fresh, empty store.

interface Person extends Doc {
  id: string;
  name: string;
  age?: number | null;
  city?: string;
  vip?: boolean;
  address?: { country: string };
}

const people: Person[] = [
  { id: 'p1', name: 'Ann', age: 31, city: 'Paris', vip: true, address: { country: 'FR' } },
  { id: 'p2', name: 'Bo', age: 25, city: 'Lyon', vip: false, address: { country: 'FR' } },
  { id: 'p3', name: 'Chen', age: 42, city: 'Shanghai', address: { country: 'CN' } },
  { id: 'p4', name: 'Dee', age: null, city: 'Paris' },
  { id: 'p5', name: 'Eli', city: 'Berlin', vip: true },
  { id: 'p6', name: 'Fay', age: 25, city: 'Lyon', address: { country: 'FR' } },
];

export function readStoreContract(label: string, open: () => Promise<ReadStore>): void {
  describe(`ReadStore contract: ${label}`, () => {
    let store: ReadStore;
    const C = 'people';

    beforeEach(async () => {
      store = await open();
      await store.ensureCollection({ name: C, indexes: [{ fields: ['city'] }, { fields: ['age', 'city'] }] });
      await store.commit(people.map((doc, i) => ({ kind: 'upsert', collection: C, doc, position: i + 1 })));
    });
    afterEach(async () => store.close());

    const ids = async (filter?: Filter): Promise<string[]> =>
      (await store.find<Person>(C, { filter, sort: [{ field: 'id', direction: 'asc' }], limit: 100 })).items.map(
        (p) => p.id,
      );

    it('gets one and many documents as they were written', async () => {
      expect(await store.get(C, 'p1')).toEqual(people[0]);
      expect(await store.get(C, 'nope')).toBeNull();
      const many = await store.getMany<Person>(C, ['p2', 'p3', 'missing']);
      expect([...many.keys()].sort()).toEqual(['p2', 'p3']);
      expect(many.get('p3')).toEqual(people[2]);
    });

    it('reads an unknown collection as empty', async () => {
      expect(await store.get('unknown', 'x')).toBeNull();
      expect((await store.find('unknown', {})).items).toEqual([]);
      expect(await store.count('unknown')).toBe(0);
    });

    it('ignores a change at or below the position a document has applied', async () => {
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p1', name: 'Ann v2' }, position: 10 }]);
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p1', name: 'stale' }, position: 9 }]);
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p1', name: 'same' }, position: 10 }]);
      expect(await store.get(C, 'p1')).toEqual({ id: 'p1', name: 'Ann v2' });
      const applied = await store.getManyApplied(C, ['p1']);
      expect(applied.get('p1')).toEqual({ doc: { id: 'p1', name: 'Ann v2' }, position: 10 });
    });

    it('keeps a deleted document deleted against older changes, and remembers its position', async () => {
      await store.commit([{ kind: 'delete', collection: C, id: 'p2', position: 20 }]);
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p2', name: 'zombie' }, position: 15 }]);
      expect(await store.get(C, 'p2')).toBeNull();
      expect((await store.getManyApplied(C, ['p2'])).get('p2')).toEqual({ doc: null, position: 20 });
      expect(await store.count(C)).toBe(5);
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p2', name: 'back' }, position: 21 }]);
      expect(await store.get(C, 'p2')).toEqual({ id: 'p2', name: 'back' });
    });

    it('a forced change writes below the applied position and keeps the higher position', async () => {
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p1', name: 'v10' }, position: 10 }]);
      await store.commit([
        { kind: 'upsert', collection: C, doc: { id: 'p1', name: 'replayed' }, position: 4, force: true },
      ]);
      expect((await store.getManyApplied(C, ['p1'])).get('p1')).toEqual({
        doc: { id: 'p1', name: 'replayed' },
        position: 10,
      });
      await store.commit([{ kind: 'delete', collection: C, id: 'p1', position: 5, force: true }]);
      expect((await store.getManyApplied(C, ['p1'])).get('p1')).toEqual({ doc: null, position: 10 });
    });

    it('replaces a collection by another in one switch, with the target indexes, twice over', async () => {
      for (const round of [1, 2]) {
        const build = `people_build${round}`;
        await store.dropCollection(build);
        await store.ensureCollection({ name: build, indexes: [] });
        const next = [
          { id: 'q1', name: `Quinn ${round}`, city: 'Oslo' },
          { id: 'q2', name: 'Ray', city: 'Rome' },
        ];
        await store.commit(
          next.map((doc) => ({ kind: 'upsert' as const, collection: build, doc, position: 1, force: true })),
        );
        expect(await store.count(C)).toBe(round === 1 ? 6 : 2); // untouched until the switch
        await store.replaceCollection({ name: C, indexes: [{ fields: ['city'] }, { fields: ['age', 'city'] }] }, build);
        expect(await ids()).toEqual(['q1', 'q2']);
        expect(await store.get(C, 'q1')).toEqual(next[0]);
        expect(await ids({ field: 'city', eq: 'Rome' })).toEqual(['q2']);
        expect(await store.count(build)).toBe(0);
        expect(await store.get(C, 'p1')).toBeNull();
      }
      // Still an ordinary collection afterwards.
      await store.ensureCollection({ name: C, indexes: [{ fields: ['city'] }] });
      await store.commit([
        { kind: 'upsert', collection: C, doc: { id: 'q3', name: 'Sue', city: 'Oslo' }, position: 2 },
      ]);
      expect(await ids({ field: 'city', eq: 'Oslo' })).toEqual(['q1', 'q3']);
    });

    it('moves the checkpoint with the changes', async () => {
      expect(await store.getCheckpoint('proj')).toBeNull();
      await store.commit([{ kind: 'upsert', collection: C, doc: { id: 'p9', name: 'New' }, position: 30 }], {
        name: 'proj',
        position: 30,
      });
      expect(await store.getCheckpoint('proj')).toBe(30);
      await store.commit([], { name: 'proj', position: 31 });
      expect(await store.getCheckpoint('proj')).toBe(31);
      await store.deleteCheckpoint('proj');
      expect(await store.getCheckpoint('proj')).toBeNull();
    });

    it('keeps meta records', async () => {
      expect(await store.getMeta('k')).toBeNull();
      await store.setMeta('k', { active: 2, list: ['a', 'b'], 'odd.$key': 1 });
      await store.setMeta('k', { active: 3, list: ['a'], 'odd.$key': 1 });
      expect(await store.getMeta('k')).toEqual({ active: 3, list: ['a'], 'odd.$key': 1 });
    });

    it('filters on equality, with null matching null or missing', async () => {
      expect(await ids({ field: 'city', eq: 'Paris' })).toEqual(['p1', 'p4']);
      expect(await ids({ field: 'vip', eq: true })).toEqual(['p1', 'p5']);
      expect(await ids({ field: 'age', eq: 25 })).toEqual(['p2', 'p6']);
      expect(await ids({ field: 'age', eq: null })).toEqual(['p4', 'p5']);
      expect(await ids({ field: 'address.country', eq: 'FR' })).toEqual(['p1', 'p2', 'p6']);
      expect(await ids({ field: 'age', eq: '25' })).toEqual([]);
    });

    it('filters on ne, in and nin, which match missing fields', async () => {
      expect(await ids({ field: 'vip', ne: true })).toEqual(['p2', 'p3', 'p4', 'p6']);
      expect(await ids({ field: 'city', in: ['Lyon', 'Berlin'] })).toEqual(['p2', 'p5', 'p6']);
      expect(await ids({ field: 'age', in: [25, null] })).toEqual(['p2', 'p4', 'p5', 'p6']);
      expect(await ids({ field: 'address.country', nin: ['FR'] })).toEqual(['p3', 'p4', 'p5']);
      expect(await ids({ field: 'age', ne: null })).toEqual(['p1', 'p2', 'p3', 'p6']);
    });

    it('filters on ranges of the bound type only, and on exists', async () => {
      expect(await ids({ field: 'age', gte: 25, lt: 42 })).toEqual(['p1', 'p2', 'p6']);
      expect(await ids({ field: 'age', gt: 30 })).toEqual(['p1', 'p3']);
      expect(await ids({ field: 'name', gte: 'C', lte: 'E' })).toEqual(['p3', 'p4']);
      expect(await ids({ field: 'city', gt: 0 })).toEqual([]);
      expect(await ids({ field: 'age', exists: true })).toEqual(['p1', 'p2', 'p3', 'p4', 'p6']);
      expect(await ids({ field: 'address', exists: false })).toEqual(['p4', 'p5']);
    });

    it('combines with and / or', async () => {
      const filter: Filter = {
        or: [
          {
            and: [
              { field: 'city', eq: 'Lyon' },
              { field: 'age', eq: 25 },
            ],
          },
          { field: 'vip', eq: true },
        ],
      };
      expect(await ids(filter)).toEqual(['p1', 'p2', 'p5', 'p6']);
      expect(await store.count(C, filter)).toBe(4);
      expect(await store.count(C)).toBe(6);
    });

    it('sorts on any field, missing first ascending, with ties broken by id', async () => {
      const asc = await store.find<Person>(C, { sort: [{ field: 'age', direction: 'asc' }] });
      expect(asc.items.map((p) => p.id)).toEqual(['p4', 'p5', 'p2', 'p6', 'p1', 'p3']);
      const desc = await store.find<Person>(C, {
        sort: [
          { field: 'city', direction: 'desc' },
          { field: 'age', direction: 'desc' },
        ],
      });
      expect(desc.items.map((p) => p.id)).toEqual(['p3', 'p1', 'p4', 'p2', 'p6', 'p5']);
    });

    it('pages with an opaque cursor until the end', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const result = await store.find<Person>(C, {
          sort: [{ field: 'name', direction: 'desc' }],
          limit: 4,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...result.items.map((p) => p.id));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1']);
    });

    const allPages = async (
      sort: { field: string; direction: 'asc' | 'desc' }[],
      limit: number,
      between?: (page: number) => Promise<void>,
    ) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await store.find<Person>(C, { sort, limit, ...(cursor ? { cursor } : {}) });
        seen.push(...result.items.map((p) => p.id));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
        await between?.(page);
      }
      return seen;
    };

    it('pages by key, nulls and missing values included, in the order of one unpaged read', async () => {
      for (const sort of [
        [{ field: 'age', direction: 'asc' as const }],
        [{ field: 'age', direction: 'desc' as const }],
        [
          { field: 'city', direction: 'desc' as const },
          { field: 'age', direction: 'asc' as const },
        ],
        [
          { field: 'address.country', direction: 'asc' as const },
          { field: 'age', direction: 'desc' as const },
        ],
      ]) {
        const whole = (await store.find<Person>(C, { sort, limit: 100 })).items.map((p) => p.id);
        for (const limit of [1, 2, 4])
          expect({ sort, limit, ids: await allPages(sort, limit) }).toEqual({ sort, limit, ids: whole });
      }
    });

    it('given writes between pages, the next page neither repeats nor skips a document that stayed', async () => {
      const sort = [{ field: 'name', direction: 'asc' as const }];
      // A new first document after page 1 would make an offset repeat Bo; removing Ann and Bo after page 2 would make it skip Eli.
      const seen = await allPages(sort, 2, async (page) => {
        const change: DocChange[] =
          page === 0
            ? [{ kind: 'upsert', collection: C, doc: { id: 'p0', name: 'Aaron' }, position: 100 }]
            : page === 1
              ? [
                  { kind: 'delete', collection: C, id: 'p1', position: 101 },
                  { kind: 'delete', collection: C, id: 'p2', position: 102 },
                ]
              : [];
        if (change.length > 0) await store.commit(change);
      });
      expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    });

    it('rejects a cursor that is forged or from another query', async () => {
      const first = await store.find(C, { limit: 2 });
      expect(first.nextCursor).not.toBeNull();
      await expect(store.find(C, { limit: 2, cursor: 'garbage!' })).rejects.toThrow(InvalidQueryError);
      const offsetLike = Buffer.from(JSON.stringify({ o: 2, q: 'x' })).toString('base64url');
      await expect(store.find(C, { limit: 2, cursor: offsetLike })).rejects.toThrow(InvalidQueryError);
      await expect(
        store.find(C, { limit: 2, filter: { field: 'city', eq: 'Lyon' }, cursor: first.nextCursor as string }),
      ).rejects.toThrow(/cursor: belongs to a different filter or sort/);
    });

    it('rejects operators and fields outside the language, naming the path', async () => {
      const smuggled = { field: 'name', $where: 'sleep(1000)' } as unknown as Filter;
      await expect(store.find(C, { filter: smuggled })).rejects.toThrow(/filter\.\$where: unknown operator/);
      const nested = {
        and: [
          { field: 'city', eq: 'Paris' },
          { field: '$where', eq: 1 },
        ],
      } as unknown as Filter;
      await expect(store.find(C, { filter: nested })).rejects.toThrow(/filter\.and\[1\]\.field/);
      const objectValue = { field: 'age', eq: { $gt: 1 } } as unknown as Filter;
      await expect(store.count(C, objectValue)).rejects.toThrow(/filter\.eq/);
      await expect(store.find(C, { sort: [{ field: 'a;drop', direction: 'asc' }] })).rejects.toThrow(
        /sort\[0\]\.field/,
      );
    });

    it('scans every live document in id order', async () => {
      await store.commit([{ kind: 'delete', collection: C, id: 'p3', position: 50 }]);
      const seen: string[] = [];
      for await (const doc of store.scan(C, 2)) seen.push(doc.id);
      expect(seen).toEqual(['p1', 'p2', 'p4', 'p5', 'p6']);
    });

    it('scans a range of ids, and splits a collection where a share of its rows lies', async () => {
      const R = 'ranged';
      await store.ensureCollection({ name: R, indexes: [] });
      await store.commit(
        ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((id) => ({ kind: 'upsert', collection: R, doc: { id }, position: 1 })),
      );
      await store.commit([{ kind: 'delete', collection: R, id: 'r3', position: 2 }]);
      const ids = async (range: { from?: string; before?: string }): Promise<string[]> => {
        const seen: string[] = [];
        for await (const doc of store.scan(R, 2, range)) seen.push(doc.id);
        return seen;
      };
      expect(await ids({ from: 'r2', before: 'r5' })).toEqual(['r2', 'r4']);
      expect(await ids({ from: 'r4' })).toEqual(['r4', 'r5', 'r6']);
      expect(await ids({ before: 'r2' })).toEqual(['r1']);
      expect(await ids({ from: 'r25' })).toEqual(['r4', 'r5', 'r6']);
      const half = await store.splitPoint(R, 0.5);
      expect(half.rows).toBeGreaterThanOrEqual(5); // the tombstone of r3 may count
      const before = await ids(half.id === null ? {} : { before: half.id });
      const after = await ids(half.id === null ? {} : { from: half.id });
      expect([before, after].flat()).toEqual(['r1', 'r2', 'r4', 'r5', 'r6']);
      expect([before.length > 0, after.length > 0]).toEqual([true, true]);
      expect(await store.splitPoint('nothing-here', 0.5)).toEqual({ rows: 0, id: null });
    });

    it('drops a collection with its documents', async () => {
      await store.dropCollection(C);
      expect(await store.count(C)).toBe(0);
      await store.ensureCollection({ name: C, indexes: [] });
      expect(await store.get(C, 'p1')).toBeNull();
    });

    it('bulk-loads documents at its position, with the declared indexes once it finishes', async () => {
      const docs = Array.from({ length: 25 }, (_, i) => ({
        id: `d${String(i).padStart(2, '0')}`,
        city: i % 2 === 1 ? 'Paris' : 'Lyon',
        n: i,
      }));
      const load = await store.bulkLoad({ name: 'loaded', indexes: [{ fields: ['city'] }] }, 7);
      for (let i = 0; i < docs.length; i += 10) await load.write(docs.slice(i, i + 10));
      await load.finish();
      expect(await store.count('loaded')).toBe(25);
      expect(await store.count('loaded', { field: 'city', eq: 'Paris' })).toBe(12);
      expect(await store.get('loaded', 'd24')).toEqual(docs[24]);
      const applied = await store.getManyApplied('loaded', ['d00', 'd24']);
      expect([...applied.values()].map((a) => a.position)).toEqual([7, 7]);
    });

    it('bulk-loads serialised documents as it loads objects, field indexes and all', async () => {
      const docs = Array.from({ length: 30 }, (_, i) => ({
        id: `s${String(i).padStart(2, '0')}`,
        city: `c${i % 3}`,
        n: i,
      }));
      const load = await store.bulkLoad({ name: 'serialised', indexes: [{ fields: ['city'] }] }, 4);
      for (let i = 0; i < docs.length; i += 10) {
        const batch = docs.slice(i, i + 10);
        if (i === 10) await load.write(batch);
        else await load.writeSerialised(batch.map((doc) => ({ id: doc.id, json: JSON.stringify(doc) })));
      }
      await load.finish();
      expect(await store.count('serialised', { field: 'city', eq: 'c1' })).toBe(10);
      expect(await store.get('serialised', 's29')).toEqual(docs[29]);
      const page = await store.find('serialised', {
        filter: { field: 'n', gte: 28 },
        sort: [{ field: 'n', direction: 'asc' }],
      });
      expect(page.items).toEqual([docs[28], docs[29]]);
      expect((await store.getManyApplied('serialised', ['s00'])).get('s00')?.position).toBe(4);
    });

    it('refuses writes to an aborted bulk load, keeping what it had stored', async () => {
      const load = await store.bulkLoad({ name: 'stopped', indexes: [] }, 1);
      await load.write([{ id: 'a' }]);
      await load.abort();
      await expect(load.write([{ id: 'b' }])).rejects.toThrow(/aborted/);
      await expect(load.finish()).rejects.toThrow(/aborted/);
      expect(await store.get('stopped', 'a')).toEqual({ id: 'a' });
    });

    leaseContract(open);

    it('enforces unique indexes on live documents', async () => {
      await store.ensureCollection({ name: 'accounts', indexes: [{ fields: ['email'], unique: true }] });
      await store.commit([{ kind: 'upsert', collection: 'accounts', doc: { id: 'a1', email: 'x@y' }, position: 1 }]);
      await expect(
        store.commit([{ kind: 'upsert', collection: 'accounts', doc: { id: 'a2', email: 'x@y' }, position: 2 }]),
      ).rejects.toHaveProperty('message', expect.stringMatching(/unique/i));
    });
  });
}
