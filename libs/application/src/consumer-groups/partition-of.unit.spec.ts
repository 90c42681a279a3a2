import { partitionOf } from '@rapport/event-store';
import { balance } from './partition-of';

describe('consumer-group partitions', () => {
  it('a customer always lands in the same partition, and customers spread over all of them', () => {
    const customers = Array.from({ length: 2000 }, (_, i) => `c-${i}`);
    const first = customers.map((c) => partitionOf(c, 16));
    expect(customers.map((c) => partitionOf(c, 16))).toEqual(first);
    const counts = new Array(16).fill(0);
    for (const p of first) counts[p]++;
    expect(Math.min(...counts)).toBeGreaterThan(2000 / 16 / 2);
  });

  it('given one member, it owns every partition', () => {
    expect(balance(new Array(8).fill(null), ['a'])).toEqual(new Array(8).fill('a'));
  });

  it('given a member joining, it takes an even share and the others keep the rest (few moves)', () => {
    const before = balance(new Array(8).fill(null), ['a']);
    const after = balance(before, ['a', 'b']);
    expect(after.filter((o) => o === 'a')).toHaveLength(4);
    expect(after.filter((o) => o === 'b')).toHaveLength(4);
    const third = balance(after, ['a', 'b', 'c']);
    const moved = third.filter((o, p) => o !== after[p]).length;
    expect(moved).toBeLessThanOrEqual(3);
    expect(new Set(third).size).toBe(3);
    for (const m of ['a', 'b', 'c']) expect(third.filter((o) => o === m).length).toBeGreaterThanOrEqual(2);
  });

  it('given a member leaving, its partitions go to the survivors and nobody else moves', () => {
    const owners = balance(new Array(9).fill(null), ['a', 'b', 'c']);
    const after = balance(owners, ['a', 'c']);
    for (let p = 0; p < owners.length; p++) if (owners[p] !== 'b') expect(after[p]).toBe(owners[p]);
    expect(after).not.toContain('b');
    expect(after).not.toContain(null);
  });

  it('given no members, nobody owns anything', () => {
    expect(balance(['a', 'b'], [])).toEqual([null, null]);
  });
});
