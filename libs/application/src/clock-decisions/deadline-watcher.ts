import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { ProjectionsService } from '../projections/projections.service';
import { ClockDecisionRecorder, type DeadlineWatchReport } from './clock-decision-recorder';
import { overduePromiseRule, type SkippedPromise } from './deadline-rules';
import { READ_MODELS } from '@rapport/projections/read-models';

/** Candidates: open promises whose due date had passed without a recorded overdue event; skipped: refused by the decider (kept, renegotiated or overdue meanwhile). */
export type OverduePromiseWatchReport = DeadlineWatchReport<SkippedPromise>;

/**
 * Records PromiseBecameOverdue, dated at the due date, for every open promise whose due date has passed
 * at `now`, once per deadline (the application's overdue-promise rule over the live promise-fulfilment
 * collection, through its one clock-decision loop).
 */
@Injectable()
export class DeadlineWatcher {
  private readonly logger = new Logger(DeadlineWatcher.name);

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(ClockDecisionRecorder) private readonly recorder: ClockDecisionRecorder,
  ) {}

  /** The report of a run that did not watch (scoring at a past time). */
  static skipped(now: Date): OverduePromiseWatchReport {
    return { now: now.toISOString(), candidates: 0, recorded: 0, alreadyRecorded: 0, skipped: [] };
  }

  async run(now: Date): Promise<OverduePromiseWatchReport> {
    const collection = await this.projections.liveCollection(READ_MODELS.promiseFulfilment.name);
    const report = await this.recorder.watch(overduePromiseRule(this.readStore, collection), now);
    if (report.recorded > 0)
      this.logger.log(`deadline watcher at ${report.now}: ${report.recorded} promise(s) became overdue`);
    return report;
  }
}
