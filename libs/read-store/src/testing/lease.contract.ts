import { InvalidLeaseArgumentError, LeaseFencedError } from '../errors';
import type { DocChange, ReadStore } from '../read-store.port';

// Lease cases of the ReadStore contract, run on every adapter through `readStoreContract`.

const TTL = 5_000;
const T0 = 1_700_000_000_000;
const L = 'projection:customer-value';

const upsert = (id: string, value: string, position: number): DocChange => ({
  kind: 'upsert',
  collection: 'leased',
  doc: { id, value },
  position,
});

export function leaseContract(open: () => Promise<ReadStore>): void {
  describe('leases', () => {
    let store: ReadStore;
    beforeEach(async () => {
      store = await open();
      await store.ensureCollection({ name: 'leased', indexes: [] });
    });
    afterEach(async () => store.close());

    it('grants a free lease with token 1, refuses another owner while it is live, extends its holder', async () => {
      const grant = await store.acquireLease(L, 'worker-a', TTL, T0);
      expect(grant).toEqual({ name: L, owner: 'worker-a', token: 1, expiresAtMs: T0 + TTL });
      expect(await store.acquireLease(L, 'worker-b', TTL, T0 + TTL - 1)).toBeNull();
      expect(await store.acquireLease(L, 'worker-a', TTL, T0 + 1_000)).toEqual({
        name: L,
        owner: 'worker-a',
        token: 1,
        expiresAtMs: T0 + 1_000 + TTL,
      });
    });

    it('given an expired lease, when two owners race for it, then exactly one wins with the next token', async () => {
      await store.acquireLease(L, 'worker-a', TTL, T0);
      const at = T0 + TTL;
      const [b, c] = await Promise.all([
        store.acquireLease(L, 'worker-b', TTL, at),
        store.acquireLease(L, 'worker-c', TTL, at),
      ]);
      const winners = [b, c].filter((grant) => grant !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.token).toBe(2);
      const holder = (await store.listLeases()).find((lease) => lease.name === L);
      expect(holder?.owner).toBe(winners[0]?.owner);
    });

    it('given another owner took the lease, when the stale owner commits with its token, then nothing is written', async () => {
      const a = await store.acquireLease(L, 'worker-a', TTL, T0);
      await store.commit([upsert('c1', 'by a', 1)], { name: 'cp', position: 1 }, { lease: L, token: a!.token });
      const b = await store.acquireLease(L, 'worker-b', TTL, T0 + TTL + 1);
      expect(b?.token).toBe(2);
      const stale = store.commit(
        [upsert('c1', 'stale a', 2), upsert('c2', 'stale a', 2)],
        { name: 'cp', position: 2 },
        { lease: L, token: a!.token },
      );
      await expect(stale).rejects.toBeInstanceOf(LeaseFencedError);
      await expect(
        store.commit([upsert('c1', 'stale a', 2)], undefined, { lease: L, token: a!.token }),
      ).rejects.toMatchObject({ lease: L, token: 1, currentToken: 2, currentOwner: 'worker-b' });
      expect(await store.get('leased', 'c1')).toEqual({ id: 'c1', value: 'by a' });
      expect(await store.get('leased', 'c2')).toBeNull();
      expect(await store.getCheckpoint('cp')).toBe(1);
      await store.commit([upsert('c1', 'by b', 2)], { name: 'cp', position: 2 }, { lease: L, token: b!.token });
      expect(await store.get('leased', 'c1')).toEqual({ id: 'c1', value: 'by b' });
      expect(await store.getCheckpoint('cp')).toBe(2);
    });

    it('given another owner took the lease, when the stale owner writes a meta record with its token, then it is refused', async () => {
      const a = await store.acquireLease(L, 'worker-a', TTL, T0);
      await store.setMeta('progress', { after: 'c1' }, { lease: L, token: a!.token });
      expect(await store.getMeta('progress')).toEqual({ after: 'c1' });
      const b = await store.acquireLease(L, 'worker-b', TTL, T0 + TTL + 1);
      await expect(store.setMeta('progress', { after: 'stale' }, { lease: L, token: a!.token })).rejects.toMatchObject({
        name: 'LeaseFencedError',
        token: 1,
        currentToken: 2,
        currentOwner: 'worker-b',
      });
      await expect(store.setMeta('other', 1, { lease: 'leader:never', token: 1 })).rejects.toBeInstanceOf(
        LeaseFencedError,
      );
      expect(await store.getMeta('progress')).toEqual({ after: 'c1' });
      expect(await store.getMeta('other')).toBeNull();
      await store.setMeta('progress', { after: 'c2' }, { lease: L, token: b!.token });
      expect(await store.getMeta('progress')).toEqual({ after: 'c2' });
    });

    it('refuses a fenced commit under a lease never granted, and leaves unfenced commits alone', async () => {
      await expect(
        store.commit([upsert('x', 'v', 1)], undefined, { lease: 'leader:scoring', token: 1 }),
      ).rejects.toMatchObject({
        name: 'LeaseFencedError',
        currentToken: null,
        currentOwner: null,
      });
      expect(await store.get('leased', 'x')).toBeNull();
      await store.commit([upsert('x', 'v', 1)]);
      expect(await store.get('leased', 'x')).toEqual({ id: 'x', value: 'v' });
    });

    it('refuses a renewal by a non-owner or with an old token; its holder renews, also past expiry when nobody took it', async () => {
      const a = await store.acquireLease(L, 'worker-a', TTL, T0);
      expect(await store.renewLease(L, 'worker-b', a!.token, TTL, T0 + 1)).toBeNull();
      expect(await store.renewLease(L, 'worker-a', a!.token + 1, TTL, T0 + 1)).toBeNull();
      expect(await store.renewLease('leader:nobody', 'worker-a', 1, TTL, T0 + 1)).toBeNull();
      expect(await store.renewLease(L, 'worker-a', a!.token, TTL, T0 + 2_000)).toEqual({
        name: L,
        owner: 'worker-a',
        token: 1,
        expiresAtMs: T0 + 2_000 + TTL,
      });
      // Expired but untaken: the token is still the current one, so the holder keeps it.
      expect((await store.renewLease(L, 'worker-a', 1, TTL, T0 + 60_000))?.expiresAtMs).toBe(T0 + 60_000 + TTL);
      await store.acquireLease(L, 'worker-b', TTL, T0 + 60_000 + TTL);
      expect(await store.renewLease(L, 'worker-a', 1, TTL, T0 + 60_000 + TTL + 1)).toBeNull();
    });

    it('given a released lease, another owner acquires it at once and the releaser can no longer write', async () => {
      const a = await store.acquireLease(L, 'worker-a', TTL, T0);
      expect(await store.releaseLease(L, 'worker-b', a!.token)).toBe(false);
      expect(await store.releaseLease(L, 'worker-a', a!.token)).toBe(true);
      expect(await store.releaseLease(L, 'worker-a', a!.token)).toBe(false);
      await expect(
        store.commit([upsert('c1', 'late', 1)], undefined, { lease: L, token: a!.token }),
      ).rejects.toBeInstanceOf(LeaseFencedError);
      const b = await store.acquireLease(L, 'worker-b', TTL, T0 + 1);
      expect(b).toEqual({ name: L, owner: 'worker-b', token: 2, expiresAtMs: T0 + 1 + TTL });
    });

    it('tokens strictly increase on every change of tenure, the same owner coming back included', async () => {
      const owners = ['a', 'b', 'a', 'a', 'c', 'b'];
      const tokens: number[] = [];
      let now = T0;
      for (const [i, owner] of owners.entries()) {
        const grant = await store.acquireLease(L, owner, TTL, now);
        expect(grant).not.toBeNull();
        tokens.push(grant!.token);
        // Alternate between letting it expire and releasing it.
        if (i % 2 === 0) now += TTL;
        else await store.releaseLease(L, owner, grant!.token);
        now += 1;
      }
      expect(tokens).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('lists every lease in name order with its holder, by prefix; a released one has no owner', async () => {
      await store.acquireLease('projection:customer-value#p3', 'w1', TTL, T0);
      await store.acquireLease('leader:scoring', 'w2', TTL, T0);
      const a = await store.acquireLease(L, 'w1', TTL, T0);
      await store.releaseLease(L, 'w1', a!.token);
      expect(await store.listLeases()).toEqual([
        { name: 'leader:scoring', owner: 'w2', token: 1, expiresAtMs: T0 + TTL, acquiredAtMs: T0 },
        { name: L, owner: null, token: 1, expiresAtMs: 0, acquiredAtMs: null },
        { name: 'projection:customer-value#p3', owner: 'w1', token: 1, expiresAtMs: T0 + TTL, acquiredAtMs: T0 },
      ]);
      expect((await store.listLeases('projection:')).map((lease) => lease.name)).toEqual([
        L,
        'projection:customer-value#p3',
      ]);
    });

    it('keeps acquiredAtMs through renewals and refuses unusable arguments naming them', async () => {
      const a = await store.acquireLease(L, 'w1', TTL, T0);
      await store.renewLease(L, 'w1', a!.token, TTL, T0 + 3_000);
      expect((await store.listLeases())[0]).toMatchObject({ acquiredAtMs: T0, expiresAtMs: T0 + 3_000 + TTL });
      await expect(store.acquireLease('', 'w1', TTL, T0)).rejects.toMatchObject({ field: 'lease' });
      await expect(store.acquireLease(L, '', TTL, T0)).rejects.toMatchObject({ field: 'owner' });
      await expect(store.acquireLease(L, 'w1', 0, T0)).rejects.toBeInstanceOf(InvalidLeaseArgumentError);
      await expect(store.acquireLease(L, 'w1', TTL, Number.NaN)).rejects.toMatchObject({ field: 'nowMs' });
      await expect(store.renewLease(L, 'w1', 1.5, TTL, T0)).rejects.toMatchObject({ field: 'token' });
    });
  });
}
