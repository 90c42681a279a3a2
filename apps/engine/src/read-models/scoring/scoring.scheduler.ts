import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EngineConfig } from '../../config/engine-config';
import { ProjectionsService } from '../projections.service';
import { ScoringService } from './scoring.service';

/**
 * Runs scoring every SCORING_INTERVAL_SECONDS and the deadline watchers (promises, complaint SLAs) every
 * DEADLINE_WATCH_INTERVAL_SECONDS, in the process that runs the projections (0 turns either off).
 * A failed run is logged and the next one goes ahead.
 */
@Injectable()
export class ScoringScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ScoringScheduler.name);
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(EngineConfig) private readonly config: EngineConfig,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(ScoringService) private readonly scoring: ScoringService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.projections.runsHere) return;
    this.every(this.config.SCORING_INTERVAL_SECONDS, 'scoring', () => this.scoring.run());
    this.every(this.config.DEADLINE_WATCH_INTERVAL_SECONDS, 'deadline watch', () => this.scoring.watchDeadlines());
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  private every(seconds: number, name: string, work: () => Promise<unknown>): void {
    if (seconds <= 0) return;
    const timer = setInterval(() => {
      work().catch((error: unknown) => this.logger.error(`scheduled ${name} failed: ${error instanceof Error ? error.message : String(error)}`));
    }, seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }
}
