import type { BulkLoad, CollectionSpec, Doc, ReadStore, SerialisedDoc } from '../read-store.port';

/**
 * A bulk load through the store's own `commit`, on the caller's thread: each `write` is one forced
 * upsert commit, and `finish` builds the declared indexes. What adapters without a faster path use.
 */
export async function committingBulkLoad(
  store: Pick<ReadStore, 'ensureCollection' | 'commit'>,
  spec: CollectionSpec,
  position: number,
): Promise<BulkLoad> {
  await store.ensureCollection({ ...spec, deferIndexes: true });
  let aborted = false;
  const write = async (docs: readonly Doc[]): Promise<void> => {
    if (aborted) throw new Error(`bulk load into ${spec.name} was aborted`);
    if (docs.length === 0) return;
    await store.commit(docs.map((doc) => ({ kind: 'upsert', collection: spec.name, doc, position, force: true })));
  };
  return {
    write,
    writeSerialised: (docs: readonly SerialisedDoc[]) => write(docs.map(({ json }) => JSON.parse(json) as Doc)),
    async finish(): Promise<void> {
      if (aborted) throw new Error(`bulk load into ${spec.name} was aborted`);
      await store.ensureCollection({ ...spec, deferIndexes: false });
    },
    async abort(): Promise<void> {
      aborted = true;
    },
  };
}
