import type { LeaseFence, ReadStore } from '@rapport/read-store';

/**
 * The read store as one lease holder writes to it: every commit and meta write presents `fence`, so
 * once the lease has passed to another worker nothing of this one lands. Everything else is the store.
 */
export function fencedReadStore(store: ReadStore, fence: LeaseFence): ReadStore {
  const commit: ReadStore['commit'] = (changes, checkpoint, own) => store.commit(changes, checkpoint, own ?? fence);
  const setMeta: ReadStore['setMeta'] = (key, value, own) => store.setMeta(key, value, own ?? fence);
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') return commit;
      if (property === 'setMeta') return setMeta;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
