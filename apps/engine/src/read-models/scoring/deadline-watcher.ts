import { Inject, Injectable, Logger } from '@nestjs/common';
import { isDomainError } from '@rapport/domain';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { promisesNeedingOverdueEvent } from '@rapport/projections/scoring/promise-deadlines';
import type { AuthenticatedKey } from '../../auth/authenticated-key';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { PROJECTION_NAMES } from '../engine-projections';
import { ProjectionsService } from '../projections.service';

/** The actor of everything the watcher records (role `system`, never given to an API key). */
export const DEADLINE_WATCHER_ACTOR = { id: 'deadline-watcher', role: 'system' } as const;

export interface DeadlineWatchReport {
  now: string;
  /** Open promises whose due date had passed without a recorded overdue event. */
  candidates: number;
  recorded: number;
  /** Already recorded under the same idempotency key (a rerun, or another watcher first). */
  alreadyRecorded: number;
  /** Refused by the decider (kept, renegotiated or overdue meanwhile): nothing to record. */
  skipped: Array<{ customerId: string; promiseId: string; rule: string }>;
}

const PAGE = 1000;

/** Same promise and due date, same key: the event id is derived from it, so nothing is stored twice. */
export const overdueIdempotencyKey = (promiseId: string, dueAt: string): string => `promise-overdue:${promiseId}:${dueAt}`;

/**
 * Records PromiseBecameOverdue for every open promise whose due date has passed at `now`, through the
 * engine's command path (decider, encryption, append), exactly once per deadline: the idempotency key
 * is derived from the promise id and its due date, so reruns and concurrent watchers store nothing twice.
 */
@Injectable()
export class DeadlineWatcher {
  private readonly logger = new Logger(DeadlineWatcher.name);

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(CustomerCommandService) private readonly commands: CustomerCommandService,
  ) {}

  /** The report of a run that did not watch (scoring at a past time). */
  static skipped(now: Date): DeadlineWatchReport {
    return { now: now.toISOString(), candidates: 0, recorded: 0, alreadyRecorded: 0, skipped: [] };
  }

  async run(now: Date): Promise<DeadlineWatchReport> {
    const at = now.toISOString();
    const collection = await this.projections.liveCollection(PROJECTION_NAMES.promiseFulfilment);
    const docs: PromiseFulfilmentDoc[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.readStore.find<PromiseFulfilmentDoc>(collection, {
        filter: { field: 'counts.open', gt: 0 },
        sort: [{ field: 'id', direction: 'asc' }],
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      docs.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    const candidates = promisesNeedingOverdueEvent(docs, at);
    const report: DeadlineWatchReport = { now: at, candidates: candidates.length, recorded: 0, alreadyRecorded: 0, skipped: [] };
    for (const { customerId, promiseId, dueAt } of candidates) {
      const idempotencyKey = overdueIdempotencyKey(promiseId, dueAt);
      try {
        const result = await this.commands.execute(
          { type: 'MarkPromiseOverdue', customerId, promiseId, occurredAt: at },
          {
            // The system role is not an API role: only the engine itself acts as it.
            actor: DEADLINE_WATCHER_ACTOR as unknown as AuthenticatedKey,
            channel: 'system',
            correlationId: idempotencyKey,
            causationId: null,
            idempotencyKey,
          },
        );
        if (result.replayed) report.alreadyRecorded += 1;
        else report.recorded += 1;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        report.skipped.push({ customerId, promiseId, rule: error.rule });
      }
    }
    if (report.recorded > 0) this.logger.log(`deadline watcher at ${at}: ${report.recorded} promise(s) became overdue`);
    return report;
  }
}
