import { fairShare, planOwnership, preference } from './fair-share';

const PROJECTIONS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];

/** Workers taking passes in turn, acting on their plans as the coordinator does, until nothing changes. */
function converge(workers: string[], holders: Map<string, string | null>, passes = 10): Map<string, string | null> {
  for (let round = 0; round < passes; round++) {
    let changed = false;
    for (const self of workers) {
      const plan = planOwnership({ self, liveWorkers: workers, projections: PROJECTIONS, holders });
      for (const name of plan.release) holders.set(name, null);
      for (const name of plan.take) holders.set(name, self);
      changed ||= plan.release.length + plan.take.length > 0;
    }
    if (!changed) return holders;
  }
  throw new Error('ownership did not settle');
}

const countsOf = (holders: Map<string, string | null>, workers: string[]): number[] =>
  workers.map((w) => [...holders.values()].filter((h) => h === w).length);

describe('sharing the projections between workers (planOwnership)', () => {
  it('given one worker and nothing owned, then it takes every projection', () => {
    const plan = planOwnership({ self: 'w1', liveWorkers: [], projections: PROJECTIONS, holders: new Map() });
    expect(plan.share).toBe(9);
    expect([...plan.take].sort()).toEqual(PROJECTIONS);
    expect(plan.release).toEqual([]);
  });

  it('given a worker holding everything, when a second joins, then the first gives up the extra and the second takes them: 5 and 4', () => {
    const holders = new Map<string, string | null>(PROJECTIONS.map((p) => [p, 'w1']));
    const first = planOwnership({ self: 'w1', liveWorkers: ['w1', 'w2'], projections: PROJECTIONS, holders });
    expect(first.share).toBe(5);
    expect(first.keep).toHaveLength(5);
    expect(first.release).toHaveLength(4);
    // The newcomer cannot take what is still held live by another worker.
    expect(planOwnership({ self: 'w2', liveWorkers: ['w1', 'w2'], projections: PROJECTIONS, holders }).take).toEqual(
      [],
    );
    const settled = converge(['w1', 'w2'], holders);
    expect(countsOf(settled, ['w1', 'w2']).sort()).toEqual([4, 5]);
    expect([...settled.values()].every((h) => h !== null)).toBe(true);
  });

  it('given three workers, then each runs three; when one leaves (its leases expire), the other two take its projections: 5 and 4', () => {
    const holders = converge(['w1', 'w2', 'w3'], new Map());
    expect(countsOf(holders, ['w1', 'w2', 'w3'])).toEqual([3, 3, 3]);
    for (const [name, holder] of holders) if (holder === 'w3') holders.set(name, null);
    const after = converge(['w1', 'w2'], holders);
    expect(countsOf(after, ['w1', 'w2']).sort()).toEqual([4, 5]);
    expect([...after.values()].filter((h) => h === null)).toEqual([]);
  });

  it('is deterministic: the same view gives the same plan, and a worker gives up its least preferred first', () => {
    const holders = new Map<string, string | null>(PROJECTIONS.map((p) => [p, 'w1']));
    const view = { self: 'w1', liveWorkers: ['w1', 'w2', 'w3'], projections: PROJECTIONS, holders };
    expect(planOwnership(view)).toEqual(planOwnership({ ...view, liveWorkers: ['w3', 'w2', 'w1'] }));
    const { keep, release } = planOwnership(view);
    const least = Math.min(...keep.map((p) => preference('w1', p)));
    expect(release.every((p) => preference('w1', p) <= least)).toBe(true);
  });

  it('counts this worker live even before its heartbeat is listed, and never more than the projections', () => {
    expect(fairShare(9, 0)).toBe(9);
    expect(fairShare(9, 4)).toBe(3);
    expect(fairShare(2, 5)).toBe(1);
    const plan = planOwnership({ self: 'w9', liveWorkers: ['w1'], projections: ['a', 'b'], holders: new Map() });
    expect(plan.share).toBe(1);
    expect(plan.take).toHaveLength(1);
  });
});
