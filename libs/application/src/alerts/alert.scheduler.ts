import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EngineConfig } from '../config/engine-config';
import { ProjectionsService } from '../projections/projections.service';
import { AlertWatcher } from './alert-watcher.service';

/**
 * Runs an alert pass every DEADLINE_WATCH_INTERVAL_SECONDS where the projections run (the read models
 * it reads are there); the next pass is scheduled when the previous one ends. A failed pass is logged.
 */
@Injectable()
export class AlertScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(EngineConfig) private readonly config: EngineConfig,
    @Inject(ProjectionsService) private readonly projections: Pick<ProjectionsService, 'runsHere' | 'asLeader'>,
    @Inject(AlertWatcher) private readonly watcher: Pick<AlertWatcher, 'pass'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.projections.runsHere) this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    const seconds = this.config.DEADLINE_WATCH_INTERVAL_SECONDS;
    if (seconds <= 0 || this.stopped) return;
    this.timer = setTimeout(() => {
      // Every projector worker keeps the schedule; only the jobs leader passes (once per cluster).
      this.projections
        .asLeader(() => this.watcher.pass(new Date()))
        .catch((error: unknown) =>
          this.logger.error(`alert pass failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => this.schedule());
    }, seconds * 1000);
    this.timer.unref();
  }
}
