/**
 * FNV-1a, 32 bits: stable across processes, adapters and versions. The one hash every partitioning in
 * Rapport uses (streams of a rebuild or of a projection's partitions, consumer-group partitions, the
 * projector workers' preference order), so a customer's partition never moves.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The partition (0..count-1) of a stream, by the hash of its id: the same on every adapter and
 * process, so workers that each take one partition share the streams without overlap.
 */
export const streamPartition = (streamId: string, count: number): number => fnv1a32(streamId) % count;

/** The partition of a customer (by its id) in a consumer group of `partitions`: all its events land in one. */
export const partitionOf = (customerId: string, partitions: number): number => fnv1a32(customerId) % partitions;

/** Whether a stream belongs to the partition a read asks for (every stream when it asks for none). */
export const inPartition = (streamId: string, partition: { count: number; index: number } | undefined): boolean =>
  partition === undefined || streamPartition(streamId, partition.count) === partition.index;
