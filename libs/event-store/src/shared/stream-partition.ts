/**
 * The partition (0..count-1) of a stream, by a 32-bit FNV-1a hash of its id: the same on every adapter
 * and process, so workers that each take one partition of a rebuild share the streams without overlap.
 */
export function streamPartition(streamId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** Whether a stream belongs to the partition a read asks for (every stream when it asks for none). */
export const inPartition = (streamId: string, partition: { count: number; index: number } | undefined): boolean =>
  partition === undefined || streamPartition(streamId, partition.count) === partition.index;
