import { collectGarbage } from './collect-garbage';

/** A WeakRef to an object nothing else holds, made in an earlier turn (a WeakRef keeps its target for the turn it was made in). */
async function unreachable(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: Array.from({ length: 1_000 }, (_, i) => i) });
  await new Promise((resolve) => setImmediate(resolve));
  return ref;
}

describe('collectGarbage', () => {
  it('frees what is no longer reachable, without --expose-gc on the command line', async () => {
    const ref = await unreachable();
    collectGarbage(0);
    expect(ref.deref()).toBeUndefined();
  });

  it('leaves a heap smaller than its threshold to V8', async () => {
    const ref = await unreachable();
    collectGarbage(process.memoryUsage().heapUsed + 1024 ** 3);
    expect(ref.deref()).toBeDefined();
  });
});
