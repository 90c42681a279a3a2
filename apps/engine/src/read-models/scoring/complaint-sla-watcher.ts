import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { complaintSlaBreachesDue } from '@rapport/projections/complaint-sla/complaint-sla-deadlines';
import type { ComplaintSlaPolicy, SlaStep } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import type { ComplaintSlaDoc } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import { CustomerCommandService } from '@rapport/application';
import { COMPLAINT_SLA_POLICY } from '../../config/engine-config.module';
import { PROJECTION_NAMES } from '../engine-projections';
import { ProjectionsService } from '../projections.service';
import { docsWithOpenItems, recordAsSystem } from './system-recording';

export interface ComplaintSlaWatchReport {
  now: string;
  /** Steps of open complaints whose deadline had passed without a recorded breach. */
  candidates: number;
  recorded: number;
  /** Already recorded under the same idempotency key (a rerun, or another watcher first). */
  alreadyRecorded: number;
  /** Refused by the decider (acknowledged, resolved or recorded meanwhile; customer erased): nothing to record. */
  skipped: Array<{ customerId: string; complaintId: string; sla: SlaStep; rule: string }>;
}

/**
 * Same complaint, step and deadline, same key: the event id is derived from it, so nothing is stored
 * twice. A reopening gives a new resolution deadline, hence a new key.
 */
export const slaBreachIdempotencyKey = (complaintId: string, sla: SlaStep, dueAt: string): string =>
  `complaint-sla:${complaintId}:${sla}:${dueAt}`;

/**
 * Records ComplaintSlaBreached, dated at the deadline, for every step of an open complaint whose deadline (from the configured
 * policy) has passed at `now`, through the engine's command path (decider, append), exactly once per
 * deadline: reruns and concurrent watchers store nothing twice.
 */
@Injectable()
export class ComplaintSlaWatcher {
  private readonly logger = new Logger(ComplaintSlaWatcher.name);

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(CustomerCommandService) private readonly commands: CustomerCommandService,
    @Inject(COMPLAINT_SLA_POLICY) private readonly policy: ComplaintSlaPolicy,
  ) {}

  /** The report of a run that did not watch (scoring at a past time). */
  static skipped(now: Date): ComplaintSlaWatchReport {
    return { now: now.toISOString(), candidates: 0, recorded: 0, alreadyRecorded: 0, skipped: [] };
  }

  async run(now: Date): Promise<ComplaintSlaWatchReport> {
    const at = now.toISOString();
    const collection = await this.projections.liveCollection(PROJECTION_NAMES.complaintSla);
    const candidates = complaintSlaBreachesDue(
      await docsWithOpenItems<ComplaintSlaDoc>(this.readStore, collection),
      at,
      this.policy,
    );
    const report: ComplaintSlaWatchReport = {
      now: at,
      candidates: candidates.length,
      recorded: 0,
      alreadyRecorded: 0,
      skipped: [],
    };
    for (const { customerId, complaintId, sla, dueAt } of candidates) {
      const key = slaBreachIdempotencyKey(complaintId, sla, dueAt);
      // Dated at the deadline it records (business time); `now` is only when it was noticed (recordedAt).
      const command = {
        type: 'RecordComplaintSlaBreach',
        customerId,
        complaintId,
        sla,
        dueAt,
        occurredAt: dueAt,
        noticedAt: at,
      } as const;
      const outcome = await recordAsSystem(this.commands, command, key);
      if (outcome.status === 'skipped') report.skipped.push({ customerId, complaintId, sla, rule: outcome.rule });
      else report[outcome.status] += 1;
    }
    if (report.recorded > 0)
      this.logger.log(`deadline watcher at ${at}: ${report.recorded} complaint SLA breach(es) recorded`);
    return report;
  }
}
