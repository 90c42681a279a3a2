import type { Doc, ReadStore } from '@rapport/read-store';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { withCollections, type CollectionNames } from './collections';
import { agentPromiseRates } from '@rapport/projections/promise-fulfilment/promise-deadlines';
import type { ClvPredictionLookup } from './clv-prediction-columns';
import { scorePopulation } from './score-population';
import type { ScoringPartWorker } from './scoring-part';
import { scoringConfig, type ScoringConfig } from './scoring-config';
import { ScoringRunRefused } from './scoring-run-refused';
import {
  runCustomersCollection,
  runId,
  SCORING_RUNS_COLLECTION,
  type RunActor,
  type ScoringRunRecord,
  type ScoringRunTrigger,
} from './scoring-run';
import {
  CURRENT_RUN_META,
  LAST_RUN_NUMBER_META,
  latestServableRun,
  runsStillRunning,
  scheduledRunsWithCustomers,
} from './scoring-runs.query';
import type { ModelCalendar, StageModelAt } from './stage-history';

/**
 * The CLV models of a run (e.g. BG/NBD + Gamma-Gamma): fitted on the whole population as it was at the
 * as-of time, then predicting any part of it (a part worker predicts its own customers with the fit).
 */
export interface ClvModels {
  /** Fits the models: the fit as plain data another thread can be sent. */
  fit(customers: Iterable<CustomerValueDoc>, asOf: string): unknown;
  /** Predicts customers with a fit; names those it could not predict. */
  predict(
    fit: unknown,
    customers: Iterable<CustomerValueDoc>,
    asOf: string,
  ): { predictions: ClvPredictionLookup; failures: string[] };
  /** The record a run keeps of a fit, with the failures of every part's predictions. */
  record(fit: unknown, failures: readonly string[]): unknown;
}

import type { BuyerDays } from './read-population';
import { readRunPopulation, type RunPopulation } from './run-population';

/**
 * The P(alive) models in force over business time up to `asOf`, for stage histories: each fitted on
 * what had occurred by its own date. Optional; without it no stage rule uses P(alive) in the past.
 */
export type StageModelsProvider = (buyers: readonly BuyerDays[], at: AsOf) => StageModels | Promise<StageModels>;

/** P(alive) models over business time, and a record of them for the run. */
export interface StageModels extends ModelCalendar {
  record: unknown;
}

export interface ScoringJobOptions {
  config?: Partial<ScoringConfig>;
  collections?: Partial<CollectionNames>;
  clv?: ClvModels;
  stageModels?: StageModelsProvider;
  /** Scheduled runs whose customers are kept (older ones keep their record only). Default 3. */
  keepScheduledRuns?: number;
  /**
   * A full garbage collection, asked between phases and every 50,000 documents written, so that a
   * run's peak memory follows its live data (the engine passes one; without it the runtime decides).
   */
  collectGarbage?: () => void;
  /** Progress callback (phase, customers so far) for long runs. */
  onProgress?: (phase: string, count: number) => void;
  /**
   * Starts a thread that scores part of a large population (ScoringPartWorker); without it one thread
   * scores every customer. Started while the population is read, once it reaches `partFrom` customers.
   */
  scoringPart?: () => ScoringPartWorker;
  /** Customers from which a run uses the part worker. Default 20,000. */
  partFrom?: number;
  /** Customers up to which the part reads its own half (SPLIT_READ_UP_TO). Default 250,000. */
  splitReadUpTo?: number;
}

export interface ScoringRunRequest {
  /** Business time the scores are true at. */
  asOf: string;
  /** Recording time: only what was recorded by then is used. Defaults to the run's `startedAt`. */
  knownAt?: string;
  /** The recording time of the run itself (the engine clock). */
  startedAt: string;
  trigger: ScoringRunTrigger;
  ranBy: RunActor;
}

/** What scoring wrote before its runs were kept as records. */
const LEGACY_COLLECTIONS = ['analytics-customers', 'analytics-customers_build', 'lifecycle-history'];
/**
 * How long after its start a run still marked running counts as interrupted (its engine stopped, or it
 * lost the scoring lease and its writes were refused): far beyond any run's length (400,000 customers
 * take ~20 s), so a run alive in another engine is never taken for one.
 */
export const RUN_ABANDONED_AFTER_MS = 60 * 60 * 1000;
/** Customers from which a part worker scores some of them: below it, starting a thread costs more than it saves. */
const PART_FROM = 20_000;
/**
 * Customers up to which the part worker reads its half itself: its thread then holds that half beside
 * the run's copy of the whole population's figures from the read on, which at 400,000 customers took the
 * run's peak to 1.0-1.05 GB. Above it the run reads everyone and sends the part its customers to score
 * (peak 0.94-0.96 GB at 400,000).
 */
const SPLIT_READ_UP_TO = 250_000;

/** Milliseconds spent in each named phase, each measured from the end of the one before. */
function phaseClock(started: number): ((name: string) => void) & { all: Record<string, number> } {
  let last = started;
  const all: Record<string, number> = {};
  const mark = (name: string): void => {
    const now = performance.now();
    all[name] = Math.round(now - last);
    last = now;
  };
  return Object.assign(mark, { all });
}

const iso = (field: string, value: string): string => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ScoringRunRefused(field, `must be an ISO-8601 time (got ${value})`);
  return new Date(ms).toISOString();
};

/**
 * Scores the population as it was at `asOf` (and as known at `knownAt`), point in time: every
 * customer-value, promise and sentiment document is read back to what had occurred (and been
 * recorded) by then, so a run on the full store equals a run on a store holding only those events.
 * Each run is a record (`scoring-runs`) with its own customers collection; none overwrites another.
 */
export class ScoringJob {
  private readonly config: ScoringConfig;
  private readonly collections: CollectionNames;
  private previous: Promise<unknown> = Promise.resolve();
  /** The running run's part worker, once its population is large enough. */
  private part: ScoringPartWorker | null = null;

  constructor(
    private readonly store: ReadStore,
    private readonly options: ScoringJobOptions = {},
  ) {
    this.config = scoringConfig(options.config);
    this.collections = withCollections(options.collections);
  }

  /** Runs one scoring pass; overlapping calls on one job run one after the other. */
  run(request: ScoringRunRequest): Promise<ScoringRunRecord> {
    const next = this.previous.then(
      () => this.runWithPart(request),
      () => this.runWithPart(request),
    );
    this.previous = next.catch(() => undefined);
    return next;
  }

  private async runWithPart(request: ScoringRunRequest): Promise<ScoringRunRecord> {
    try {
      return await this.runOnce(request);
    } finally {
      const part = this.part;
      this.part = null;
      await part?.stop();
    }
  }

  private async runOnce(request: ScoringRunRequest): Promise<ScoringRunRecord> {
    const started = performance.now();
    const startedAt = iso('startedAt', request.startedAt);
    const asOf = iso('asOf', request.asOf);
    const knownAt = iso('knownAt', request.knownAt ?? startedAt);
    if (asOf > startedAt) throw new ScoringRunRefused('asOf', `must not be in the future (now ${startedAt})`);
    if (knownAt > startedAt) throw new ScoringRunRefused('knownAt', `must not be in the future (now ${startedAt})`);
    const at: AsOf = { asOfMs: Date.parse(asOf), knownAtMs: Date.parse(knownAt) };

    const population = await this.readPopulation(at, asOf, knownAt);
    const { store } = this;
    await store.ensureCollection({ name: SCORING_RUNS_COLLECTION, indexes: [{ fields: ['asOf'] }] });
    await this.settleInterrupted(startedAt);
    const run = ((await store.getMeta<number>(LAST_RUN_NUMBER_META)) ?? 0) + 1;
    await store.setMeta(LAST_RUN_NUMBER_META, run);
    // Before runs were records, one run overwrote these; the first run as a record retires them.
    if (run === 1) for (const legacy of LEGACY_COLLECTIONS) await store.dropCollection(legacy);
    const id = runId(run);
    const customers = runCustomersCollection(id);
    const record: ScoringRunRecord = {
      id,
      run,
      asOf,
      knownAt,
      trigger: request.trigger,
      ranBy: request.ranBy,
      startedAt,
      finishedAt: null,
      status: 'running',
      error: null,
      customers,
      population: null,
      segments: null,
      agents: null,
      clvModel: null,
      stageModels: null,
      config: this.config,
      durationMs: null,
      phases: null,
    };
    await this.saveRecord(record);
    try {
      await this.scoreInto(record, population, at, started);
    } catch (error) {
      await store.dropCollection(customers);
      await this.saveRecord({
        ...record,
        status: 'failed',
        customers: null,
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date().toISOString(),
      });
      throw error;
    }
    await this.settleCurrentAndPrune();
    return record;
  }

  /**
   * Every customer that existed by the as-of time, as it was then, slimmed (see PopulationPart): a run
   * holds the population's figures, not its history; refuses a time before the first fact.
   */
  private async readPopulation(at: AsOf, asOf: string, knownAt: string): Promise<RunPopulation> {
    const read = await readRunPopulation({
      store: this.store,
      collections: this.collections,
      at,
      asOf,
      knownAt,
      trendWindowDays: this.config.trendWindowDays,
      partFrom: this.options.partFrom ?? PART_FROM,
      splitReadUpTo: this.options.splitReadUpTo ?? SPLIT_READ_UP_TO,
      ...(this.options.scoringPart ? { startPart: this.options.scoringPart } : {}),
      ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
      ...(this.options.collectGarbage ? { collectGarbage: this.options.collectGarbage } : {}),
    });
    this.part = read.part;
    const { values, earliest } = read.population;
    if (values.length === 0 && earliest !== null && Date.parse(earliest) > at.asOfMs)
      throw new ScoringRunRefused('asOf', `is before the first event (${earliest}): nothing had happened yet`);
    return read;
  }

  private async scoreInto(record: ScoringRunRecord, read: RunPopulation, at: AsOf, started: number): Promise<void> {
    const { store, config } = this;
    const { population } = read;
    const { values, promises, sentiment } = population;
    const phase = phaseClock(started);
    phase('read');
    this.options.collectGarbage?.(); // the pages read are garbage now
    // Asked first: a provider that fits on a thread does so while the CLV model is fitted here.
    // A part that read its half (a population up to SPLIT_READ_UP_TO) fits the stage models too, being
    // started and idle meanwhile; for a larger one they get a thread whose memory goes when it ends.
    const byPart = read.heldFrom !== null ? read.part?.stageModels : undefined;
    const provider = this.options.stageModels && (byPart ?? this.options.stageModels);
    const fittingStageModels = Promise.resolve(provider?.(population.buyers, at) ?? null);
    fittingStageModels.catch(() => undefined); // awaited below, once the CLV fit is done
    population.buyers = []; // handed over: let them go
    const clv = this.options.clv
      ? { models: this.options.clv, fit: this.options.clv.fit(values.figuresIn(0, values.length), record.asOf) }
      : null;
    phase('clv');
    const stageModels = await fittingStageModels;
    const modelAt: StageModelAt = stageModels?.modelAt ?? (() => null);
    const changes = [...(stageModels?.changes ?? []), at.asOfMs];

    phase('stageModels');
    this.options.collectGarbage?.(); // the fits' work is garbage now
    const customers = record.customers as string;
    await store.dropCollection(customers); // a crashed run's leftovers
    // Scored and written a batch at a time: the run never holds every scored document. A large run's
    // documents are stored by the store's bulk load (on SQLite, a thread) while the next are scored.
    const { segments, recentStageChanges, clvFailures } = await scorePopulation({
      store,
      customers,
      run: record.run,
      values,
      timelines: population.timelines,
      promises,
      sentiment,
      clv,
      stageModels: { modelAt, changes, record: stageModels?.record ?? null },
      at,
      asOf: record.asOf,
      knownAt: record.knownAt,
      config,
      part: read.part,
      heldFrom: read.heldFrom,
      ...(this.options.collectGarbage ? { collectGarbage: this.options.collectGarbage } : {}),
      ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
      phase,
    });

    Object.assign(record, {
      status: 'succeeded',
      finishedAt: new Date().toISOString(),
      population: {
        customers: values.length,
        ...values.counts(),
        recentStageChanges,
      },
      segments,
      agents: agentPromiseRates(promises.values(), record.asOf),
      clvModel: clv === null ? null : clv.models.record(clv.fit, clvFailures),
      stageModels: stageModels?.record ?? null,
      durationMs: Math.round(performance.now() - started),
      phases: phase.all,
    } satisfies Partial<ScoringRunRecord>);
    await this.saveRecord(record);
  }

  private saveRecord(record: ScoringRunRecord): Promise<void> {
    return this.store.commit([
      { kind: 'upsert', collection: SCORING_RUNS_COLLECTION, doc: record as Doc, position: record.run, force: true },
    ]);
  }

  /**
   * Marks failed the runs that were never finished (still running RUN_ABANDONED_AFTER_MS after they
   * started) and drops what they had written: their records stay, as every run's does.
   */
  private async settleInterrupted(now: string): Promise<void> {
    const before = new Date(Date.parse(now) - RUN_ABANDONED_AFTER_MS).toISOString();
    for (const run of await runsStillRunning(this.store, before)) {
      if (run.customers !== null) await this.store.dropCollection(run.customers);
      await this.saveRecord({
        ...run,
        status: 'failed',
        customers: null,
        error: `interrupted: still marked running at ${now}, over an hour after it started (its engine stopped or lost the scoring lease mid-run)`,
      });
    }
  }

  /**
   * Points the current-run marker at the latest as-of, then drops the customers of scheduled runs older
   * than the last `keepScheduledRuns`, never the current run's; on-demand runs keep theirs.
   */
  private async settleCurrentAndPrune(): Promise<void> {
    const current = (await latestServableRun(this.store))?.id ?? null;
    await this.store.setMeta(CURRENT_RUN_META, current);
    const stale: ScoringRunRecord[] = [];
    let kept = 0;
    for await (const run of scheduledRunsWithCustomers(this.store)) {
      if (kept < (this.options.keepScheduledRuns ?? 3)) kept += 1;
      else if (run.id !== current) stale.push(run);
    }
    for (const run of stale) {
      await this.store.dropCollection(run.customers as string);
      await this.saveRecord({ ...run, customers: null });
    }
  }
}
