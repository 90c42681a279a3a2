import type { ReadStore } from '@rapport/read-store';
import type { Projection } from '../projection';
import { buildsPerCustomer, type StreamPartition } from './per-customer-build';
import { checkpointNameOf } from './projection-catalog';

// What one projector worker owns at a time: a whole projection, or one partition of it by customer
// hash (`customer-value#2/4`). A partition folds only the events of its customers' streams into the
// projection's one collection, with its own checkpoint; queries read the collection as ever.

/** One unit of ownership; its lease is `projection:<name>`. */
export interface ProjectionUnit {
  name: string;
  projection: string;
  partition: StreamPartition | null;
}

export const unitNameOf = (projection: string, partition: StreamPartition | null): string =>
  partition ? `${projection}#${partition.index}/${partition.count}` : projection;

/**
 * The units a projection is split into. Only projections whose documents each follow one customer
 * are partitioned: a document gathering several customers (a total, a per-agent figure) would be
 * written by several partitions, each knowing only its customers' events.
 */
export function unitsOf(projection: Projection, partitions: number): ProjectionUnit[] {
  if (partitions <= 1 || !buildsPerCustomer(projection))
    return [{ name: projection.name, projection: projection.name, partition: null }];
  return Array.from({ length: partitions }, (_, index) => {
    const partition = { index, count: partitions };
    return { name: unitNameOf(projection.name, partition), projection: projection.name, partition };
  });
}

/** Each partition's checkpoint in a collection (null: not built yet), in partition order. */
export function partitionCheckpoints(store: ReadStore, collection: string, count: number): Promise<(number | null)[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) => store.getCheckpoint(checkpointNameOf(collection, { index, count }))),
  );
}

/**
 * After a partition's commit: moves the collection's checkpoint up to the least of the partitions'
 * (never down, and not before each has one). Not atomic across partitions: two of them racing may
 * leave it a little low until the next commit, which only makes readers wait a little longer.
 */
export async function raiseCollectionCheckpoint(store: ReadStore, collection: string, count: number): Promise<void> {
  const positions = await partitionCheckpoints(store, collection, count);
  if (positions.some((p) => p === null)) return;
  const least = Math.min(...(positions as number[]));
  if (least > ((await store.getCheckpoint(collection)) ?? 0))
    await store.commit([], { name: collection, position: least });
}

/** Where a partition follows the live model: every partition must say the active one before a retired one is dropped. */
export const followingKeyOf = (unit: string): string => `projection-following:${unit}`;
