import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { SCORING_META } from '@rapport/projections/scoring/collections';
import { ScoringJob, type ScoringRunSummary } from '@rapport/projections/scoring/scoring-job';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { ProjectionsService } from '../projections.service';
import { fitClv, type ClvModelRecord } from './clv-model';
import { ComplaintSlaWatcher, type ComplaintSlaWatchReport } from './complaint-sla-watcher';
import { DeadlineWatcher, type DeadlineWatchReport } from './deadline-watcher';
import { ScoringRunFinished } from './scoring-run-finished.event';

/** What one pass of the deadline watchers did: overdue promises, then complaint SLA breaches. */
export interface DeadlineWatchReports {
  deadlines: DeadlineWatchReport;
  complaintSla: ComplaintSlaWatchReport;
}

export interface ScoringRunReport extends ScoringRunSummary, DeadlineWatchReports {
  clv: Pick<ClvModelRecord, 'status' | 'population' | 'repeaters' | 'errors' | 'durationMs'>;
}

/**
 * One scoring run at the clock's `now`: fits the CLV models on the current population, recomputes the
 * population- and clock-dependent scores (ScoringJob with the CLV predictions), stores the fit in the
 * read store's meta, then runs the deadline watchers (promises, complaint SLAs). Runs never overlap.
 */
@Injectable()
export class ScoringService {
  private readonly logger = new Logger(ScoringService.name);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(DeadlineWatcher) private readonly watcher: DeadlineWatcher,
    @Inject(ComplaintSlaWatcher) private readonly complaintWatcher: ComplaintSlaWatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EventBus) private readonly eventBus: EventBus,
  ) {}

  /**
   * Scores at the clock's now, or at `asOf` for a historical data set (CDNOW ends in 1998). A run
   * `asOf` a past time records no deadline events: those belong to the real clock.
   */
  run(asOf?: Date): Promise<ScoringRunReport> {
    return this.serially(() => this.timed(() => this.runAt(asOf ?? this.clock.now(), asOf === undefined)));
  }

  /** The watchers alone, between scoring runs. */
  watchDeadlines(): Promise<DeadlineWatchReports> {
    return this.serially(() => this.watchAt(this.clock.now()));
  }

  clvModel(): Promise<ClvModelRecord | null> {
    return this.readStore.getMeta<ClvModelRecord>(SCORING_META.clvModel);
  }

  /** Publishes how long a run took and whether it succeeded (the metrics listen). */
  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const finished = (outcome: ScoringRunFinished['outcome']) =>
      this.eventBus.publish(new ScoringRunFinished(outcome, (performance.now() - started) / 1000, new Date()));
    try {
      const result = await work();
      finished('succeeded');
      return result;
    } catch (error) {
      finished('failed');
      throw error;
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async watchAt(now: Date): Promise<DeadlineWatchReports> {
    const deadlines = await this.watcher.run(now);
    const complaintSla = await this.complaintWatcher.run(now);
    return { deadlines, complaintSla };
  }

  private async runAt(now: Date, watchDeadlines: boolean): Promise<ScoringRunReport> {
    const at = now.toISOString();
    const collections = await this.projections.liveCollections();
    let clv: ClvModelRecord | null = null;
    const job = new ScoringJob(this.readStore, {
      collections,
      predictClv: async (values, when) => {
        const outcome = fitClv(values, when);
        clv = outcome.record;
        await this.readStore.setMeta(SCORING_META.clvModel, outcome.record);
        if (outcome.record.errors.length > 0) this.logger.warn(`CLV fit at ${when}: ${outcome.record.errors.join('; ')}`);
        return outcome.predictions;
      },
      onProgress: (phase, count) => this.logger.log(`scoring at ${at}: ${phase} ${count}`),
    });
    const summary = await job.run(at);
    const watched = watchDeadlines ? await this.watchAt(now) : { deadlines: DeadlineWatcher.skipped(now), complaintSla: ComplaintSlaWatcher.skipped(now) };
    const fit = clv as ClvModelRecord | null;
    this.logger.log(`scoring run ${summary.run} at ${at}: ${summary.customers} customers in ${summary.durationMs} ms, CLV ${fit?.status ?? 'not run'}`);
    return {
      ...summary,
      clv: fit
        ? { status: fit.status, population: fit.population, repeaters: fit.repeaters, errors: fit.errors, durationMs: fit.durationMs }
        : { status: 'failed', population: 0, repeaters: 0, errors: ['no population to fit'], durationMs: 0 },
      ...watched,
    };
  }
}
