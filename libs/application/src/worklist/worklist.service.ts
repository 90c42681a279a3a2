import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { HealthWatcher, type HealthWatchReport } from './health-watcher.service';
import { WorklistEngine, type WorklistRunReport } from './worklist-engine.service';

export interface WorklistPassReport {
  health: HealthWatchReport;
  /** Null for a pass as of a past time: triggers and band changes are recorded only at now. */
  worklist: WorklistRunReport | null;
}

/**
 * One pass: health scored for everyone (band changes recorded), then the worklist triggers. Passes never
 * overlap. A pass as of a past time only scores health (nothing is recorded about the past).
 */
@Injectable()
export class WorklistService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(HealthWatcher) private readonly health: HealthWatcher,
    @Inject(WorklistEngine) private readonly engine: WorklistEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  pass(asOf?: Date): Promise<WorklistPassReport> {
    return this.serially(async () => {
      const now = this.clock.now();
      const atNow = asOf === undefined || asOf.getTime() === now.getTime();
      const health = await this.health.run(asOf ?? now, { recordChanges: atNow });
      const worklist = atNow ? await this.engine.run(now) : null;
      return { health, worklist };
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
