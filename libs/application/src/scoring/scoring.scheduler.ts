import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EngineConfig } from '../config/engine-config';
import { ProjectionsService } from '../projections/projections.service';
import { ScoringService } from './scoring.service';

/** Names in @nestjs/schedule's registry (visible to whoever inspects the schedule). */
export const SCHEDULED = { scoring: 'scoring', deadlineWatch: 'deadline-watch' } as const;

/**
 * Runs scoring every SCORING_INTERVAL_SECONDS and the deadline watchers (promises, complaint SLAs) every
 * DEADLINE_WATCH_INTERVAL_SECONDS, in the process that runs the projections (0 turns either off). Each
 * next run is scheduled when the previous one has ended, through @nestjs/schedule's registry: a run
 * longer than the interval delays the next instead of queueing runs behind it. A failed run is logged
 * and the next one goes ahead.
 */
@Injectable()
export class ScoringScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ScoringScheduler.name);
  private stopped = false;

  constructor(
    @Inject(EngineConfig) private readonly config: EngineConfig,
    @Inject(ProjectionsService) private readonly projections: Pick<ProjectionsService, 'runsHere' | 'asLeader'>,
    @Inject(ScoringService) private readonly scoring: Pick<ScoringService, 'run' | 'watchDeadlines'>,
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.projections.runsHere) return;
    // Scheduled in every projector worker; run only by the one holding the jobs lease (once per cluster).
    const led = (work: () => Promise<unknown>) => () => this.projections.asLeader(work);
    this.every(
      this.config.SCORING_INTERVAL_SECONDS,
      SCHEDULED.scoring,
      led(() => this.scoring.run()),
    );
    this.every(
      this.config.DEADLINE_WATCH_INTERVAL_SECONDS,
      SCHEDULED.deadlineWatch,
      led(() => this.scoring.watchDeadlines()),
    );
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const name of Object.values(SCHEDULED))
      if (this.registry.doesExist('timeout', name)) this.registry.deleteTimeout(name);
  }

  private every(seconds: number, name: string, work: () => Promise<unknown>): void {
    if (seconds <= 0 || this.stopped) return;
    const timeout = setTimeout(() => {
      this.registry.deleteTimeout(name);
      work()
        .catch((error: unknown) =>
          this.logger.error(`scheduled ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => this.every(seconds, name, work));
    }, seconds * 1000);
    timeout.unref();
    this.registry.addTimeout(name, timeout);
  }
}
