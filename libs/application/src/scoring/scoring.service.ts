import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { leaderJobReadStore } from '@rapport/projection-engine';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { RunActor, ScoringRunRecord } from '@rapport/scoring/scoring-run';
import { ScoringJob } from '@rapport/scoring/scoring-job';
import type { LifecycleHistory } from '@rapport/projections/lifecycle-facts/lifecycle-history';
import { runStageHistory, selectRun, type RunSelector } from '@rapport/scoring/scoring-runs.query';
import { CLOCK, type Clock } from '../clock';
import { ProjectionsService } from '../projections/projections.service';
import { collectGarbage } from '@rapport/scoring/collect-garbage';
import type { ClvModelRecord } from '@rapport/scoring/clv-model';
import { ComplaintSlaWatcher, type ComplaintSlaWatchReport } from '../clock-decisions/complaint-sla-watcher';
import { DeadlineWatcher, type OverduePromiseWatchReport } from '../clock-decisions/deadline-watcher';
import { ScoringRunFinished } from './scoring-run-finished.event';
import { scoringModels } from '@rapport/scoring/scoring-models';
import { modelCalendar, type CalendarModel } from '@rapport/scoring/stage-models';

/** What one pass of the deadline watchers did: overdue promises, then complaint SLA breaches. */
export interface DeadlineWatchReports {
  deadlines: OverduePromiseWatchReport;
  complaintSla: ComplaintSlaWatchReport;
}

/** The run's record, with what the deadline watchers did after it. */
export interface ScoringRunReport extends DeadlineWatchReports {
  run: ScoringRunRecord;
}

/** A run asked for through the API: as of a time, as known at a time, by whom. */
export interface ScoringRunOptions {
  asOf?: Date;
  knownAt?: Date;
  ranBy?: RunActor;
}

const SCHEDULER: RunActor = { id: 'scheduler', role: 'system' };

/**
 * One scoring run as of a business time (the clock's now by default) and as known at a recording time
 * (now by default): fits the CLV models on the population as it was then, scores it point in time
 * (ScoringJob), keeps the run as a record, then, for a run at now, runs the deadline watchers. Runs
 * never overlap.
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
   * Scores as of `asOf` (the clock's now by default) with what was recorded by `knownAt` (now by
   * default). Only a run at now records deadline events: past deadlines belong to the watchers' own pass.
   */
  run(options: ScoringRunOptions = {}): Promise<ScoringRunReport> {
    return this.serially(() => this.timed(() => this.runAt(options)));
  }

  /** The watchers alone, between scoring runs. */
  watchDeadlines(): Promise<DeadlineWatchReports> {
    return this.serially(() => this.watchAt(this.clock.now()));
  }

  /** The run a selector names (the current one by default), or null. */
  selectRun(selector: RunSelector = {}): Promise<ScoringRunRecord | null> {
    return selectRun(this.readStore, selector);
  }

  /** A customer's stage history as a run (the current one by default) derived it; null if not scored. */
  async stageHistoryOf(customerId: string, selector: RunSelector = {}): Promise<LifecycleHistory | null> {
    const run = await this.selectRun(selector);
    if (run === null) return null;
    const calendarOf = (record: unknown) => modelCalendar(Array.isArray(record) ? (record as CalendarModel[]) : []);
    return runStageHistory(this.readStore, run, customerId, await this.projections.liveCollections(), calendarOf);
  }

  /** The CLV fit of a run (the current one by default). */
  async clvModel(selector: RunSelector = {}): Promise<(ClvModelRecord & { run: string }) | null> {
    const run = await this.selectRun(selector);
    const record = run?.clvModel as ClvModelRecord | null | undefined;
    return run && record ? { run: run.id, ...record } : null;
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

  private async runAt(options: ScoringRunOptions): Promise<ScoringRunReport> {
    const now = this.clock.now();
    const asOf = (options.asOf ?? now).toISOString();
    const collections = await this.projections.liveCollections();
    // A scheduled run presents the jobs lease with its writes: a leader that lost it keeps no run.
    const job = new ScoringJob(leaderJobReadStore(this.readStore), {
      collections,
      ...scoringModels((message) => this.logger.warn(message)),
      collectGarbage,
      onProgress: (phase, count) => this.logger.log(`scoring as of ${asOf}: ${phase} ${count}`),
    });
    const run = await job.run({
      asOf,
      ...(options.knownAt ? { knownAt: options.knownAt.toISOString() } : {}),
      startedAt: now.toISOString(),
      trigger: options.ranBy ? 'on-demand' : 'scheduled',
      ranBy: options.ranBy ?? SCHEDULER,
    });
    const atNow = options.asOf === undefined || options.asOf.getTime() === now.getTime();
    const watched = atNow
      ? await this.watchAt(now)
      : { deadlines: DeadlineWatcher.skipped(now), complaintSla: ComplaintSlaWatcher.skipped(now) };
    this.logger.log(
      `scoring ${run.id} as of ${asOf}: ${run.population?.customers ?? 0} customers in ${run.durationMs ?? 0} ms`,
    );
    return { run, ...watched };
  }
}
