import type { EventStore } from '@rapport/event-store';
import type { ReadStore } from '@rapport/read-store';
import type { Projection } from '../projection';
import { PARKED_COLLECTION, type ProjectionRecord } from './projection-catalog';
import type { ProjectionTrack } from './projection-track';
import type { TrackPhase } from './runner-options';

export type ProjectionState = 'catching_up' | 'live' | 'rebuilding' | 'stopped';

/** One partition of a partitioned projection (by customer hash). */
export interface PartitionStatus {
  /** Its unit name, `<projection>#<index>/<count>`: the lease `projection:<unit>`. */
  unit: string;
  index: number;
  count: number;
  /** Run by this runner now. */
  running: boolean;
  /** Its own checkpoint in the live collection. */
  checkpoint: number;
  phase: TrackPhase | 'stopped';
  lastError: string | null;
}

export interface ProjectionStatus {
  name: string;
  /** Version of the live read model (null before the first build has a collection). */
  version: number | null;
  collection: string | null;
  checkpoint: number;
  headPosition: number;
  eventsBehind: number;
  secondsBehind: number;
  parked: number;
  state: ProjectionState;
  rebuild: { version: number; collection: string; checkpoint: number; eventsBehind: number } | null;
  lastError: string | null;
  /** A projection split by customer hash: each partition (the checkpoint above is the least of theirs). */
  partitions?: PartitionStatus[];
}

/**
 * One projection's status: from its tracks where they run here, else from the stored checkpoints.
 * Not running here (stopped, or owned by another worker) reads as `stopped`.
 */
export async function statusOf(
  ctx: { eventStore: EventStore; readStore: ReadStore; clock: () => number },
  projection: Projection,
  record: ProjectionRecord,
  head: number,
  here: { running: boolean; live: ProjectionTrack | null; shadow: ProjectionTrack | null },
): Promise<ProjectionStatus> {
  const { live, shadow } = here;
  const checkpoint =
    live?.checkpoint ?? (record.active ? ((await ctx.readStore.getCheckpoint(record.active.collection)) ?? 0) : 0);
  const building = record.shadow;
  const shadowCheckpoint =
    shadow?.checkpoint ?? (building ? ((await ctx.readStore.getCheckpoint(building.collection)) ?? 0) : 0);
  const state: ProjectionState = !here.running
    ? 'stopped'
    : building
      ? 'rebuilding'
      : live?.phase === 'live'
        ? 'live'
        : 'catching_up';
  return {
    name: projection.name,
    version: record.active?.version ?? null,
    collection: record.active?.collection ?? null,
    checkpoint,
    headPosition: head,
    ...(await behind(ctx, projection, checkpoint, head)),
    parked: record.active
      ? await ctx.readStore.count(PARKED_COLLECTION, { field: 'collection', eq: record.active.collection })
      : 0,
    state,
    rebuild: building
      ? {
          version: building.version,
          collection: building.collection,
          checkpoint: shadowCheckpoint,
          eventsBehind: Math.max(0, head - shadowCheckpoint),
        }
      : null,
    lastError: live?.lastError ?? shadow?.lastError ?? null,
  };
}

/**
 * How far the live model is behind: positions up to the head and the age of the oldest event it has
 * not applied, both 0 when no event it handles is past its checkpoint (a checkpoint moves only with
 * handled events, so a caught-up model can sit below a head of other types).
 */
async function behind(
  ctx: { eventStore: EventStore; clock: () => number },
  projection: Projection,
  checkpoint: number,
  head: number,
): Promise<{ eventsBehind: number; secondsBehind: number }> {
  if (checkpoint >= head) return { eventsBehind: 0, secondsBehind: 0 };
  for await (const next of ctx.eventStore.readAll({
    fromPosition: checkpoint + 1,
    maxCount: 1,
    filter: { eventTypes: [...projection.handles] },
  })) {
    const recordedAt = Date.parse(String(next.metadata.recordedAt ?? ''));
    return {
      eventsBehind: head - checkpoint,
      secondsBehind: Number.isFinite(recordedAt) ? Math.max(0, (ctx.clock() - recordedAt) / 1000) : 0,
    };
  }
  return { eventsBehind: 0, secondsBehind: 0 };
}
