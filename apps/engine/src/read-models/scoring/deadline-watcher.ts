import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import { promisesNeedingOverdueEvent } from '@rapport/projections/scoring/promise-deadlines';
import { CustomerCommandService } from '@rapport/application';
import { PROJECTION_NAMES } from '../engine-projections';
import { ProjectionsService } from '../projections.service';
import { docsWithOpenItems, recordAsSystem } from './system-recording';

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

/** Same promise and due date, same key: the event id is derived from it, so nothing is stored twice. */
export const overdueIdempotencyKey = (promiseId: string, dueAt: string): string =>
  `promise-overdue:${promiseId}:${dueAt}`;

/**
 * Records PromiseBecameOverdue, dated at the due date, for every open promise whose due date has passed at `now`, through the
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
    const candidates = promisesNeedingOverdueEvent(
      await docsWithOpenItems<PromiseFulfilmentDoc>(this.readStore, collection),
      at,
    );
    const report: DeadlineWatchReport = {
      now: at,
      candidates: candidates.length,
      recorded: 0,
      alreadyRecorded: 0,
      skipped: [],
    };
    for (const { customerId, promiseId, dueAt } of candidates) {
      const key = overdueIdempotencyKey(promiseId, dueAt);
      // Dated at the deadline it records (business time); `now` is only when it was noticed (recordedAt).
      const command = { type: 'MarkPromiseOverdue', customerId, promiseId, occurredAt: dueAt, noticedAt: at } as const;
      const outcome = await recordAsSystem(this.commands, command, key);
      if (outcome.status === 'skipped') report.skipped.push({ customerId, promiseId, rule: outcome.rule });
      else report[outcome.status] += 1;
    }
    if (report.recorded > 0) this.logger.log(`deadline watcher at ${at}: ${report.recorded} promise(s) became overdue`);
    return report;
  }
}
