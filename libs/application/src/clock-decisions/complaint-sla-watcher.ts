import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { ComplaintSlaPolicy } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import { COMPLAINT_SLA_POLICY } from '../config/engine-config.module';
import { ProjectionsService } from '../projections/projections.service';
import { ClockDecisionRecorder, type DeadlineWatchReport } from './clock-decision-recorder';
import { complaintSlaBreachRule, type SkippedSlaBreach } from './deadline-rules';
import { READ_MODELS } from '@rapport/projections/read-models';

/** Candidates: steps of open complaints whose deadline had passed without a recorded breach; skipped: refused by the decider (acknowledged, resolved or recorded meanwhile; customer erased). */
export type ComplaintSlaWatchReport = DeadlineWatchReport<SkippedSlaBreach>;

/**
 * Records ComplaintSlaBreached, dated at the deadline, for every step of an open complaint whose
 * deadline under the configured policy has passed at `now`, once per deadline (the application's
 * complaint-SLA rule over the live complaint-sla collection, through its one clock-decision loop).
 */
@Injectable()
export class ComplaintSlaWatcher {
  private readonly logger = new Logger(ComplaintSlaWatcher.name);

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(ClockDecisionRecorder) private readonly recorder: ClockDecisionRecorder,
    @Inject(COMPLAINT_SLA_POLICY) private readonly policy: ComplaintSlaPolicy,
  ) {}

  /** The report of a run that did not watch (scoring at a past time). */
  static skipped(now: Date): ComplaintSlaWatchReport {
    return { now: now.toISOString(), candidates: 0, recorded: 0, alreadyRecorded: 0, skipped: [] };
  }

  async run(now: Date): Promise<ComplaintSlaWatchReport> {
    const collection = await this.projections.liveCollection(READ_MODELS.complaintSla.name);
    const report = await this.recorder.watch(complaintSlaBreachRule(this.readStore, collection, this.policy), now);
    if (report.recorded > 0)
      this.logger.log(`deadline watcher at ${report.now}: ${report.recorded} complaint SLA breach(es) recorded`);
    return report;
  }
}
