import { inParallel } from './in-parallel';

describe('recording in parallel', () => {
  it('works every item once, never more than the limit at a time', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await inParallel([...Array(50).keys()], 8, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n % 3));
      done.push(n);
      running -= 1;
    });
    expect(done.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(peak).toBe(8);
  });

  it('does nothing for no items', async () => {
    const work = jest.fn();
    await inParallel([], 8, work);
    expect(work).not.toHaveBeenCalled();
  });
});
