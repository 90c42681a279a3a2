import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EngineConfig } from '../config/engine-config';
import { ProjectionsService } from '../projections/projections.service';
import { WorklistService } from './worklist.service';

export const WORKLIST_SCHEDULE = 'worklist';

/**
 * Runs a health and worklist pass every WORKLIST_INTERVAL_SECONDS in the process that runs the
 * projections; the next pass is scheduled when the previous one ends, so a long pass delays the next
 * instead of queueing behind it. A failed pass is logged and the next one goes ahead.
 */
@Injectable()
export class WorklistScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorklistScheduler.name);
  private stopped = false;

  constructor(
    @Inject(EngineConfig) private readonly config: EngineConfig,
    @Inject(ProjectionsService) private readonly projections: Pick<ProjectionsService, 'runsHere' | 'asLeader'>,
    @Inject(WorklistService) private readonly worklist: Pick<WorklistService, 'pass'>,
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.projections.runsHere) this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.registry.doesExist('timeout', WORKLIST_SCHEDULE)) this.registry.deleteTimeout(WORKLIST_SCHEDULE);
  }

  private schedule(): void {
    const seconds = this.config.WORKLIST_INTERVAL_SECONDS;
    if (seconds <= 0 || this.stopped) return;
    const timeout = setTimeout(() => {
      this.registry.deleteTimeout(WORKLIST_SCHEDULE);
      // Every projector worker keeps the schedule; only the jobs leader passes (once per cluster).
      this.projections
        .asLeader(() => this.worklist.pass())
        .catch((error: unknown) =>
          this.logger.error(`worklist pass failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => this.schedule());
    }, seconds * 1000);
    timeout.unref();
    this.registry.addTimeout(WORKLIST_SCHEDULE, timeout);
  }
}
