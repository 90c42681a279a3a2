import { isDomainError, type CustomerCommand } from '@rapport/domain';
import type { ReadStore } from '@rapport/read-store';
import type { AuthenticatedKey } from '../../auth/authenticated-key';
import type { CustomerCommandService } from '@rapport/application';

/** The actor of everything the deadline watchers record (role `system`, never given to an API key). */
export const DEADLINE_WATCHER_ACTOR = { id: 'deadline-watcher', role: 'system' } as const;

/** What recording one command as the engine itself came to. */
export type SystemRecording =
  { status: 'recorded' } | { status: 'alreadyRecorded' } | { status: 'skipped'; rule: string };

/**
 * Records a command as the deadline watcher, through the engine's command path (decider, encryption,
 * append), once per idempotency key: a rerun or a concurrent watcher stores nothing twice, and a
 * decider refusal (the world moved on since the read model was read) is a skip, not a failure.
 */
export async function recordAsSystem(
  commands: CustomerCommandService,
  command: CustomerCommand,
  idempotencyKey: string,
): Promise<SystemRecording> {
  try {
    const result = await commands.execute(command, {
      // The system role is not an API role: only the engine itself acts as it.
      actor: DEADLINE_WATCHER_ACTOR as unknown as AuthenticatedKey,
      channel: 'system',
      correlationId: idempotencyKey,
      causationId: null,
      idempotencyKey,
    });
    return { status: result.replayed ? 'alreadyRecorded' : 'recorded' };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { status: 'skipped', rule: error.rule };
  }
}

const PAGE = 1000;

/** Every document of a read model's collection with something open (`counts.open > 0`), a page at a time. */
export async function docsWithOpenItems<T extends { id: string }>(
  readStore: ReadStore,
  collection: string,
): Promise<T[]> {
  const docs: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await readStore.find<T>(collection, {
      filter: { field: 'counts.open', gt: 0 },
      sort: [{ field: 'id', direction: 'asc' }],
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    docs.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return docs;
}
