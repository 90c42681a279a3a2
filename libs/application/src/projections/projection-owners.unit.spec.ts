import { MemoryReadStore } from '@rapport/read-store';
import { clusterView, OwnerlessWatch } from './projection-owners';

const TTL = 10_000;

describe('projection owners as the leases say', () => {
  it('given two workers, one leading, then each projection names its live owner and token; an expired one has none', async () => {
    const store = new MemoryReadStore();
    await store.acquireLease('worker:w1', 'w1', TTL, 0);
    await store.acquireLease('worker:w2', 'w2', TTL, 0);
    await store.acquireLease('leader:jobs', 'w2', TTL, 0);
    await store.acquireLease('projection:a', 'w1', TTL, 0);
    await store.acquireLease('projection:b', 'w2', TTL, 0);
    await store.acquireLease('projection:c', 'w2', 1000, 0);
    const view = await clusterView(store, ['a', 'b', 'c', 'd'], 'w1', 5000);
    expect(view.leader).toBe('w2');
    expect(view.workers.map((w) => [w.id, w.leader, w.projections])).toEqual([
      ['w1', false, ['a']],
      ['w2', true, ['b']],
    ]);
    expect(view.owners.get('a')).toEqual({ worker: 'w1', token: 1, leaseExpiresAt: new Date(TTL).toISOString() });
    expect(view.owners.get('c')).toEqual({ worker: null, token: 1, leaseExpiresAt: null });
    expect(view.owners.get('d')).toEqual({ worker: null, token: null, leaseExpiresAt: null });
    expect(view.expiredAtMs.get('c')).toBe(1000);
  });

  it('given a projection without an owner, then it is reported only once that has lasted over a lease time', async () => {
    const store = new MemoryReadStore();
    await store.acquireLease('projection:a', 'w1', TTL, 0);
    const watch = new OwnerlessWatch(TTL);
    const at = async (now: number) => watch.ownerless(await clusterView(store, ['a', 'b'], null, now), now);
    expect(await at(5_000)).toEqual([]); // b never owned: watched from now
    expect(await at(12_000)).toEqual([]); // a expired at 10 s: 2 s ago
    expect(await at(15_001)).toEqual(['b']);
    expect(await at(20_001)).toEqual(['a', 'b']);
    await store.acquireLease('projection:a', 'w2', TTL, 20_001); // taken over
    expect(await at(20_002)).toEqual(['b']);
  });
});
