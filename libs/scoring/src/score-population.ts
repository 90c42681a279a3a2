// A run's scoring and writing phase: every customer scored against the whole population's ranks and
// models, the documents stored through a bulk load as they come. With a part worker (a large run), the
// customers after a split point are scored on its thread while this one scores the rest.
import type { BulkLoad, Doc, ReadStore } from '@rapport/read-store';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import type { SentimentSignal } from '@rapport/projections/sentiment-timeline/sentiment-signal';
import { ANALYTICS_CUSTOMER_INDEXES, type AnalyticsCustomerDoc } from './analytics-customer';
import type { PopulationColumns } from './population-columns';
import { populationRankData, ranksOf, type RankData } from './population-ranks';
import { scoreRange, type SegmentSummary } from './score';
import type { ScoringConfig } from './scoring-config';
import type { ClvModels } from './scoring-job';
import {
  PART_SHARE,
  partInput,
  runStageHistories,
  scoringSubjects,
  type ScoredPart,
  type ScoringPartWorker,
} from './scoring-part';
import { SegmentTally } from './segment-tally';
import type { StageModelAt } from './stage-history';
import type { StageTimeline } from './stage-timeline';

/**
 * Documents handed to the bulk load at a time: few enough that a batch dies young (larger batches
 * outlived the young generation's collections and piled up in the old one: +2 KB a customer).
 */
const WRITE_BATCH = 250;
/** Documents written between two asked-for collections (see ScoringJobOptions.collectGarbage). */
const GC_EVERY = 50_000;
/** Documents written between two progress reports. */
const PROGRESS_EVERY = 10_000;

/** Everything the phase needs of the run: its population as of the run, the models, where to write. */
export interface ScoringPhase {
  store: ReadStore;
  customers: string;
  run: number;
  values: PopulationColumns;
  timelines: Array<StageTimeline | null>;
  promises: ReadonlyMap<string, PromiseFulfilmentDoc>;
  sentiment: ReadonlyMap<string, SentimentSignal>;
  /** The CLV models and their fit on the whole population; each thread predicts its own customers. */
  clv: { models: ClvModels; fit: unknown } | null;
  stageModels: { modelAt: StageModelAt; changes: number[]; record: unknown };
  at: AsOf;
  asOf: string;
  knownAt: string;
  config: ScoringConfig;
  /** Scores the customers after the split point on its thread; null: all are scored here. */
  part: ScoringPartWorker | null;
  /** The split point when the part read (and holds) its customers itself: null, this thread sends them. */
  heldFrom: number | null;
  collectGarbage?: () => void;
  onProgress?: (phase: string, count: number) => void;
  /** Marks the end of a named phase ('score': the last document handed over; 'write': all stored). */
  phase(name: string): void;
}

/** Scores and stores the population; returns the segments summary and how many stages changed lately. */
export async function scorePopulation(
  run: ScoringPhase,
): Promise<{ segments: SegmentSummary; recentStageChanges: number; clvFailures: string[] }> {
  const { values, config, at } = run;
  const n = values.length;
  const rankData = populationRankData(values, n, at.asOfMs, config);
  const split = run.part === null ? n : (run.heldFrom ?? Math.floor(n * (1 - PART_SHARE)));
  const load = await run.store.bulkLoad({ name: run.customers, indexes: ANALYTICS_CUSTOMER_INDEXES }, run.run);
  try {
    const scoringPart = await startPart(run, rankData, { from: split, to: n }, load);
    const histories = runStageHistories(run.timelines, at, config, run.stageModels.modelAt, run.stageModels.changes);
    const predicted = run.clv?.models.predict(run.clv.fit, values.figuresIn(0, split), run.asOf) ?? null;
    run.collectGarbage?.(); // the predictions' working data is garbage now
    const population = scoringSubjects(values, run.promises, run.sentiment, predicted?.predictions ?? null);
    const tally = new SegmentTally();
    const own = scoreRange(
      population,
      ranksOf(rankData),
      { from: 0, to: split },
      run.asOf,
      config,
      histories.historyOf,
      tally,
    );
    await writeAll(run, load, own);
    const part = await scoringPart.scored;
    // The part's customers counted after this thread's, in population order: the summary a single thread makes.
    part.stages.forEach((stage, j) =>
      tally.add(
        stage,
        rankData.tiers[split + j] as AnalyticsCustomerDoc['tier'],
        values.region(split + j),
        values.netRevenue(split + j),
      ),
    );
    run.phase('score');
    await load.finish();
    run.phase('write');
    return {
      segments: tally.summary(run.asOf, n),
      recentStageChanges: histories.recentChanges() + part.recentStageChanges,
      clvFailures: [...(predicted?.failures ?? []), ...part.clvFailures],
    };
  } catch (error) {
    await load.abort();
    throw error;
  }
}

/**
 * Sends customers [from, to) to the part's thread (nothing when the range is empty), with a share of the
 * load when the store has one (else its documents come back here, into the load).
 */
async function startPart(
  run: ScoringPhase,
  ranks: RankData,
  range: { from: number; to: number },
  load: BulkLoad,
): Promise<{ scored: Promise<ScoredPart> }> {
  if (run.part === null || range.from >= range.to)
    return { scored: Promise.resolve({ recentStageChanges: 0, stages: [], clvFailures: [] }) };
  const share = (await load.shareWithThread?.()) ?? null;

  const input = partInput(
    { ...run, ranks },
    range,
    {
      asOf: run.asOf,
      knownAt: run.knownAt,
      config: run.config,
      stageModels: run.stageModels.record,
      changes: run.stageModels.changes,
      clvFit: run.clv?.fit ?? null,
      load: share,
    },
    run.heldFrom !== null,
  );
  for (let i = range.from; i < Math.min(range.to, run.timelines.length); i += 1) run.timelines[i] = null; // sent: let them go
  const scored = run.part.score(input, (batch) => load.writeSerialised(batch.docs));
  scored.catch(() => undefined); // awaited once this thread's own customers are written
  return { scored }; // wrapped: an async function's returned promise would be awaited here
}

/** Hands each scored document to the load, WRITE_BATCH at a time. */
async function writeAll(run: ScoringPhase, load: BulkLoad, scored: Iterable<AnalyticsCustomerDoc>): Promise<void> {
  let batch: Doc[] = [];
  let written = 0;
  for (const doc of scored) {
    batch.push(doc);
    if (batch.length < WRITE_BATCH) continue;
    await load.write(batch);
    written += batch.length;
    batch = [];
    if (written % PROGRESS_EVERY === 0) run.onProgress?.('written', written);
    if (written % GC_EVERY === 0) run.collectGarbage?.();
  }
  await load.write(batch);
}
