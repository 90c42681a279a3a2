import { collectGarbage } from './collect-garbage';

describe('collectGarbage', () => {
  it('frees what is no longer reachable, without --expose-gc on the command line', () => {
    let garbage: number[][] | null = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i));
    collectGarbage();
    const held = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(200);
    garbage = null;
    collectGarbage();
    // 200 arrays of 10,000 small integers: ~16 MB, gone after the collection.
    expect(held - process.memoryUsage().heapUsed).toBeGreaterThan(10 * 1024 * 1024);
  });
});
