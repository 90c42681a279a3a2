import { Inject, Injectable, Logger } from '@nestjs/common';
import { CURRENT_SCHEMA_VERSIONS, type CustomerState } from '@rapport/domain';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

/** A customer's decision state at a revision, persisted so a cold load reads only the events after it. */
export interface PersistedSnapshot {
  revision: number;
  state: CustomerState;
}

/** Bump when the decision state's shape or the decider's fold changes: older snapshots are then ignored. */
const SNAPSHOT_FORMAT = 1;
const FORMAT_TAG = `${SNAPSHOT_FORMAT}:${JSON.stringify(CURRENT_SCHEMA_VERSIONS)}`;
const DICT_FIELDS = ['orders', 'refundIds', 'callIds', 'surveyIds', 'promises', 'complaints'] as const;

interface StoredSnapshot {
  format: string;
  revision: number;
  state: CustomerState;
}

/**
 * Snapshots of decision state, kept beside the read models (meta records `snapshot:<stream>`). They
 * hold no personal data (the decision state has none), so erasure leaves nothing in them to shred.
 * Losing one only costs a longer load.
 */
@Injectable()
export class SnapshotStore {
  private readonly logger = new Logger(SnapshotStore.name);

  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async get(streamId: string): Promise<PersistedSnapshot | null> {
    try {
      const stored = await this.readStore.getMeta<StoredSnapshot>(`snapshot:${streamId}`);
      if (!stored || stored.format !== FORMAT_TAG) return null;
      return { revision: stored.revision, state: revive(stored.state) };
    } catch (error) {
      this.logger.warn(`snapshot of ${streamId} unreadable, folding from the start: ${(error as Error).message}`);
      return null;
    }
  }

  async put(streamId: string, snapshot: PersistedSnapshot): Promise<void> {
    await this.readStore.setMeta<StoredSnapshot>(`snapshot:${streamId}`, { format: FORMAT_TAG, ...snapshot });
  }
}

/** JSON gives plain objects; the decider's dictionaries (buckets of entries) have no prototype. */
function revive(state: CustomerState): CustomerState {
  if (state.status !== 'active') return state;
  const revived: Record<string, unknown> = { ...state };
  for (const field of DICT_FIELDS) revived[field] = withoutPrototypes(state[field] as Record<string, unknown>, 2);
  return revived as unknown as CustomerState;
}

function withoutPrototypes(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, entry] of Object.entries(value))
    copy[key] = depth > 1 && entry !== null && typeof entry === 'object' ? withoutPrototypes(entry as Record<string, unknown>, depth - 1) : entry;
  return copy;
}
