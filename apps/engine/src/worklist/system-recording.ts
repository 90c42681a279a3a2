import { isDomainError, type Actor, type CustomerCommand } from '@rapport/domain';
import type { AuthenticatedKey } from '../auth/authenticated-key';
import type { CustomerCommandService } from '@rapport/application';

/** The actors of what the clock-driven jobs of this area record (role `system`, never given to an API key). */
export const WORKLIST_ENGINE_ACTOR: Actor = { id: 'worklist-engine', role: 'system' };
export const HEALTH_WATCHER_ACTOR: Actor = { id: 'health-watcher', role: 'system' };

export type Recording =
  { status: 'recorded'; eventId: string } | { status: 'alreadyRecorded' } | { status: 'skipped'; rule: string };

/**
 * Records a command as the engine itself, through the command path (decider, encryption, append), once
 * per idempotency key: a rerun or a replayed trigger stores nothing twice, and a decider refusal (the
 * world moved on since the read models were read) is a skip, not a failure.
 */
export async function recordAs(
  commands: CustomerCommandService,
  actor: Actor,
  command: CustomerCommand,
  idempotencyKey: string,
): Promise<Recording> {
  try {
    const result = await commands.execute(command, {
      actor: actor as unknown as AuthenticatedKey,
      channel: 'system',
      correlationId: idempotencyKey,
      causationId: null,
      idempotencyKey,
    });
    return result.replayed
      ? { status: 'alreadyRecorded' }
      : { status: 'recorded', eventId: result.events[0]?.eventId ?? '' };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { status: 'skipped', rule: error.rule };
  }
}

/** Concurrent recordings per page: commands of distinct customers are appended together (group commit). */
export const RECORDING_CONCURRENCY = 32;

/** Runs `work` over `items` with at most `limit` at a time; resolves when all have finished. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
