import type { ReadStore } from '@rapport/read-store';

// Where each projection's read model lives. The record sits in the read store's meta so a query
// process and a projector worker agree on it; switching versions is one write of this record.

export interface ProjectionTarget {
  version: number;
  /** Collection name; also the name of its checkpoint. */
  collection: string;
}

export interface ProjectionRecord {
  active: ProjectionTarget | null;
  /** A build in progress beside the active one. */
  shadow: ProjectionTarget | null;
  /** Collections switched away from and not yet dropped. */
  retired: string[];
  /** Bumped by each rebuild request so the shadow gets a fresh collection at the same version. */
  generation: number;
}

/** Parked (poison) events of every projection, keyed `<collection>:<position>`. */
export const PARKED_COLLECTION = 'projection_parked';

export const metaKeyOf = (projection: string): string => `projection:${projection}`;

export function collectionNameOf(projection: string, version: number, generation: number): string {
  const base = `${projection.replace(/[^A-Za-z0-9_-]/g, '_')}_v${version}`;
  return generation === 0 ? base : `${base}_r${generation}`;
}

/**
 * A partition's own checkpoint in a collection. The collection's checkpoint proper (its name) is the
 * position every partition has reached (the least of theirs): what readers waiting on the read model
 * rely on, and where a unit without a checkpoint of its own (the partition count changed) starts.
 */
export const checkpointNameOf = (collection: string, partition: { index: number; count: number } | null): string =>
  partition ? `${collection}#${partition.index}/${partition.count}` : collection;

export const emptyRecord = (): ProjectionRecord => ({ active: null, shadow: null, retired: [], generation: 0 });

export async function readRecord(readStore: ReadStore, projection: string): Promise<ProjectionRecord> {
  return (await readStore.getMeta<ProjectionRecord>(metaKeyOf(projection))) ?? emptyRecord();
}

/** Thrown when a projection has no live read model yet. */
export class ProjectionNotReadyError extends Error {
  override readonly name = 'ProjectionNotReadyError';
  constructor(readonly projection: string) {
    super(`projection ${projection} has no live read model yet`);
  }
}

/** The projection runs in another worker (it holds the projection's lease); operate it there. */
export class ProjectionNotHereError extends Error {
  override readonly name = 'ProjectionNotHereError';
  constructor(readonly projection: string) {
    super(`projection ${projection} is not run by this worker`);
  }
}

/**
 * The collection queries should read for a projection: the active version only, never a shadow
 * being built. For query code running outside the projector process.
 */
export async function resolveLiveCollection(readStore: ReadStore, projection: string): Promise<string> {
  const record = await readRecord(readStore, projection);
  if (!record.active) throw new ProjectionNotReadyError(projection);
  return record.active.collection;
}
