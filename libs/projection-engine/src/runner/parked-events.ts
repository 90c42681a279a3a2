import type { StoredEvent } from '@rapport/event-store';
import type { DocChange } from '@rapport/read-store';
import type { Projection } from '../projection';
import { keysOf, parkedEvent, withRetries, type ParkedEvent } from './batch-applier';
import { PARKED_COLLECTION } from './projection-catalog';
import type { TrackContext } from './projection-track';

export interface ReplayResult {
  replayed: string[];
  stillFailing: ParkedEvent[];
}

// The parked id's tombstone must outrank any later write of the same id.
const GONE = Number.MAX_SAFE_INTEGER;

/** Lists and replays a collection's parked events. */
export class ParkedEvents {
  constructor(private readonly ctx: TrackContext) {}

  async list(collection: string): Promise<ParkedEvent[]> {
    const all: ParkedEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ctx.readStore.find<ParkedEvent>(PARKED_COLLECTION, {
        filter: { field: 'collection', eq: collection },
        sort: [{ field: 'position', direction: 'asc' }],
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  /**
   * Applies each parked event, oldest first, to the documents as they are now (the rest of their
   * history has moved on meanwhile) and removes it from the parked list in the same commit.
   */
  async replay(projection: Projection, collection: string, ids?: string[]): Promise<ReplayResult> {
    const wanted = ids ? new Set(ids) : null;
    const result: ReplayResult = { replayed: [], stillFailing: [] };
    for (const parked of await this.list(collection)) {
      if (wanted && !wanted.has(parked.id)) continue;
      const stored = await this.read(parked.position);
      if (!stored) {
        result.stillFailing.push({ ...parked, error: `event ${parked.position} is no longer in the store` });
        continue;
      }
      const attempt = await withRetries(this.ctx.retry, async () => {
        const event = await this.ctx.decoder(stored);
        if (!event) return [] as DocChange[];
        const keys = keysOf(projection, event);
        const current = await this.ctx.readStore.getMany(collection, keys);
        return keys.map((key): DocChange => {
          const next = projection.evolve(current.get(key) ?? null, event);
          if (next !== null && next.id !== key)
            throw new Error(`evolve returned document id ${String(next.id)} for key ${key}`);
          return next === null
            ? { kind: 'delete', collection, id: key, position: event.position, force: true }
            : { kind: 'upsert', collection, doc: next, position: event.position, force: true };
        });
      });
      if (attempt.ok) {
        await this.ctx.readStore.commit([
          ...attempt.value,
          { kind: 'delete', collection: PARKED_COLLECTION, id: parked.id, position: GONE },
        ]);
        result.replayed.push(parked.id);
      } else {
        const again = {
          ...parkedEvent(this.ctx, projection, collection, stored, attempt.error, parked.attempts + attempt.attempts),
        };
        await this.ctx.readStore.commit([
          { kind: 'upsert', collection: PARKED_COLLECTION, doc: again, position: parked.position, force: true },
        ]);
        result.stillFailing.push(again);
      }
    }
    return result;
  }

  /** Forgets the parked events of a dropped collection. */
  async forget(collection: string): Promise<void> {
    const parked = await this.list(collection);
    if (parked.length === 0) return;
    await this.ctx.readStore.commit(
      parked.map((p): DocChange => ({ kind: 'delete', collection: PARKED_COLLECTION, id: p.id, position: GONE })),
    );
  }

  private async read(position: number): Promise<StoredEvent | null> {
    for await (const event of this.ctx.eventStore.readAll({ fromPosition: position, maxCount: 1 })) {
      return event.position === position ? event : null;
    }
    return null;
  }
}
