// Part of a scoring run's population scored on a thread of its own, so that a large run's per-customer
// work (stage histories, documents, their JSON) uses two cores: what the part is sent, as plain data, and
// what it sends back batch by batch. The same functions score the rest on the run's own thread.
import { DAY_MS } from '@rapport/domain';
import type { BulkLoadShare, IdRange, ReadStoreShare, SerialisedDoc } from '@rapport/read-store';
import type { CollectionNames } from './collections';
import type { StageModelsProvider } from './scoring-job';
import { buyersData, type BuyersData, type PopulationPart } from './read-population';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { isoMs } from '@rapport/projections/customer-value/iso-time';
import type { PromiseFulfilmentDoc } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import type { SentimentSignal } from '@rapport/projections/sentiment-timeline/sentiment-signal';
import type { LifecycleStage } from '@rapport/projections/customer-vocabulary';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import type { ClvPredictionLookup } from './clv-prediction-columns';
import type { LifecycleHistory } from '@rapport/projections/lifecycle-facts/lifecycle-history';
import { PopulationColumns, type PopulationColumnsData } from './population-columns';
import { ranksOf, sliceRanks, type RankData } from './population-ranks';
import { scoreRange, type ScoringPopulation, type ScoringSubject } from './score';
import type { ScoringConfig } from './scoring-config';
import { stageHistoryOf, withRunModel, type StageModelAt } from './stage-history';
import { MoneyColumns, type StageTimeline } from './stage-timeline';

/**
 * The share of a large run's customers scored (and read, when the store can be opened on its thread) by
 * the part worker: half (measured: the run's thread waits for a larger part while it reads, and the part
 * for a smaller one while it scores).
 */
export const PART_SHARE = 0.5;

/** What scoring part of a population needs, as plain data (typed arrays, strings) a thread can be sent. */
export interface ScoringPartInput {
  asOf: string;
  knownAt: string;
  config: ScoringConfig;
  /** The part's customers as the run read them; null: the part read them itself (ScoringPartWorker.read). */
  customers: PartCustomers | null;
  /** The run's CLV fit (plain data) the part predicts its customers with; null: no CLV models. */
  clvFit: unknown;
  ranks: RankData;
  /** The stage models' record, from which the thread rebuilds their calendar, and their change points. */
  stageModels: unknown;
  changes: number[];
  /** A share of the run's bulk load the part writes its documents into; null: it sends them back to the run. */
  load: BulkLoadShare | null;
}

/** A part's customers as plain data. */
export interface PartCustomers {
  values: PopulationColumnsData;
  timelines: TimelineData;
  promises: Array<[string, PromiseFulfilmentDoc]>;
  sentiment: Array<[string, SentimentSignal]>;
}

/** What a part reads itself: its range of the store a share opens, as of the run. */
export interface PartReadRequest {
  store: ReadStoreShare;
  collections: CollectionNames;
  range: IdRange;
  asOf: string;
  knownAt: string;
  trendWindowDays: number;
}

/** What a part that read its customers tells the run: their figures, buyers and promises (ranks, fits, agents). */
export interface PartFigures {
  values: PopulationColumnsData;
  buyers: BuyersData;
  promises: Array<[string, PromiseFulfilmentDoc]>;
  earliest: string | null;
}

/** Timelines as plain data: customer j's money facts are [from[j], to[j]) of the columns; from −1: no timeline. */
export interface TimelineData {
  startMs: Float64Array;
  from: Int32Array;
  to: Int32Array;
  ms: Float64Array;
  amount: Float64Array;
  purchase: Uint8Array;
}

/** A batch of a part's scored documents, serialised, sent back to the run when the part has no share of its load. */
export interface ScoredBatch {
  docs: SerialisedDoc[];
}

/** What a part reports once all its customers are scored (and, with a share of the load, stored). */
export interface ScoredPart {
  recentStageChanges: number;
  /** Each customer's stage, in order: the run tallies them after its own customers. */
  stages: LifecycleStage[];
  /** The customers whose CLV could not be predicted, named, for the fit's record. */
  clvFailures: string[];
}

/** The part's CLV predictions with the run's fit (the thread's host knows the models). */
export type PartPredictor = (values: Iterable<CustomerValueDoc>) => {
  predictions: ClvPredictionLookup;
  failures: string[];
};

/** A thread that scores part of a population (the engine starts one: scoring-part-off-thread.ts). */
export interface ScoringPartWorker {
  /** Reads a range of customers itself (kept for `score`), in parallel with the run reading the rest. */
  read(request: PartReadRequest): Promise<PartFigures>;
  /** Fits the run's stage models on its thread, idle while the run fits the CLV models. */
  stageModels?: StageModelsProvider;
  /** Scores `input`, handing each batch to `onBatch` (awaited before more are sent). */
  score(input: ScoringPartInput, onBatch: (batch: ScoredBatch) => Promise<void>): Promise<ScoredPart>;
  stop(): Promise<void>;
}

/** The run's view of its customers by index: each subject made when it is scored. */
export function scoringSubjects(
  values: PopulationColumns,
  promises: ReadonlyMap<string, PromiseFulfilmentDoc>,
  sentiment: ReadonlyMap<string, SentimentSignal>,
  predictions: ClvPredictionLookup | null,
): ScoringPopulation {
  return {
    length: values.length,
    figures: values,
    subject: (index): ScoringSubject => {
      const value = values.valueAt(index);
      return {
        value,
        promises: promises.get(value.id) ?? null,
        sentiment: sentiment.get(value.id) ?? null,
        clv: predictions?.get(value.id) ?? null,
      };
    },
  };
}

/**
 * Each customer's stage history as it is scored, derived from its timeline (then let go) and the stage
 * models in force over business time, the run's own P(alive) from the as-of time on; counts the
 * customers whose stage changed in the last 30 days.
 */
export function runStageHistories(
  timelines: Array<StageTimeline | null>,
  at: AsOf,
  config: ScoringConfig,
  modelAt: StageModelAt,
  changes: readonly number[],
): { historyOf: (index: number, subject: ScoringSubject) => LifecycleHistory | null; recentChanges(): number } {
  const recentSince = at.asOfMs - 30 * DAY_MS;
  let recent = 0;
  return {
    historyOf: (index, { value, clv }) => {
      const timeline = timelines[index];
      if (timeline === null || timeline === undefined) return null;
      timelines[index] = null; // scored once: let it go
      const modelOf = withRunModel(modelAt, at.asOfMs, clv?.probabilityAlive ?? null);
      const history = stageHistoryOf(value.id, timeline, at, config, modelOf, changes, false);
      if (isoMs(history.since) > recentSince) recent += 1;
      return history;
    },
    recentChanges: () => recent,
  };
}

/** Customers [from, to) of the run's population as what a part is sent (the run keeps its own copy). */
export function partInput(
  run: {
    values: PopulationColumns;
    timelines: ReadonlyArray<StageTimeline | null>;
    promises: ReadonlyMap<string, PromiseFulfilmentDoc>;
    sentiment: ReadonlyMap<string, SentimentSignal>;
    ranks: RankData;
  },
  range: { from: number; to: number },
  common: Pick<ScoringPartInput, 'asOf' | 'knownAt' | 'config' | 'stageModels' | 'changes' | 'clvFit' | 'load'>,
  held: boolean,
): ScoringPartInput {
  const { from, to } = range;
  return {
    ...common,
    customers: held ? null : partCustomers(run, from, to),
    ranks: sliceRanks(run.ranks, from, to),
  };
}

/** Customers [from, to) of the run, as plain data: their figures, timelines, promises and sentiment. */
function partCustomers(
  run: Pick<Parameters<typeof partInput>[0], 'values' | 'timelines' | 'promises' | 'sentiment'>,
  from: number,
  to: number,
): PartCustomers {
  const values = run.values.slice(from, to);
  const pick = <T>(map: ReadonlyMap<string, T>): Array<[string, T]> =>
    map.size === 0 ? [] : values.ids.flatMap((id) => (map.has(id) ? [[id, map.get(id) as T]] : []));
  return {
    values,
    timelines: timelineData(run.timelines, from, to),
    promises: pick(run.promises),
    sentiment: pick(run.sentiment),
  };
}

/** The timelines of customers [from, to), their money facts copied out of the run's shared columns. */
function timelineData(timelines: ReadonlyArray<StageTimeline | null>, from: number, to: number): TimelineData {
  const data = { startMs: new Float64Array(to - from), from: new Int32Array(to - from), to: new Int32Array(to - from) };
  let money: MoneyColumns | null = null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let i = from; i < to; i += 1) {
    const timeline = timelines[i];
    if (timeline === null || timeline === undefined) continue;
    money = timeline.money;
    lo = Math.min(lo, timeline.from);
    hi = Math.max(hi, timeline.to);
  }
  for (let i = from; i < to; i += 1) {
    const timeline = timelines[i];
    data.from[i - from] = timeline ? timeline.from - lo : -1;
    data.to[i - from] = timeline ? timeline.to - lo : -1;
    data.startMs[i - from] = timeline ? timeline.startMs : Number.NaN;
  }
  if (money === null)
    return { ...data, ms: new Float64Array(0), amount: new Float64Array(0), purchase: new Uint8Array(0) };
  return {
    ...data,
    ms: money.ms.slice(lo, hi),
    amount: money.amount.slice(lo, hi),
    purchase: money.purchase.slice(lo, hi),
  };
}

function timelinesOf(data: TimelineData): Array<StageTimeline | null> {
  const money = new MoneyColumns(0);
  Object.assign(money, { ms: data.ms, amount: data.amount, purchase: data.purchase, length: data.ms.length });
  return Array.from(data.from, (from, j) =>
    from < 0 ? null : { startMs: data.startMs[j] as number, money, from, to: data.to[j] as number },
  );
}

/** The customers a run sent, as the part scores them. */
const customersOf = (data: PartCustomers): Pick<PopulationPart, 'values' | 'timelines' | 'promises' | 'sentiment'> => ({
  values: PopulationColumns.fromData(data.values),
  timelines: timelinesOf(data.timelines),
  promises: new Map(data.promises),
  sentiment: new Map(data.sentiment),
});

/** What a part that read its customers tells the run (the part keeps its copy). */
export const partFigures = (part: PopulationPart): PartFigures => ({
  values: part.values.slice(0, part.values.length),
  buyers: buyersData(part.buyers),
  promises: [...part.promises],
  earliest: part.earliest,
});

/**
 * Scores a part (on its own thread): the same documents, in the same order, as the run would make for
 * these customers, `batchSize` at a time.
 */
export function* scorePart(
  input: ScoringPartInput,
  held: Pick<PopulationPart, 'values' | 'timelines' | 'promises' | 'sentiment'> | null,
  models: { modelAt: StageModelAt; predict: PartPredictor | null },
  batchSize: number,
): Generator<AnalyticsCustomerDoc[], ScoredPart> {
  const part = input.customers === null ? held : customersOf(input.customers);
  if (part === null) throw new Error('scoring part: no customers sent and none read');
  const { values } = part;
  const predicted = models.predict?.(values.figuresIn(0, values.length)) ?? null;
  const population = scoringSubjects(values, part.promises, part.sentiment, predicted?.predictions ?? null);
  const at: AsOf = { asOfMs: Date.parse(input.asOf), knownAtMs: Date.parse(input.knownAt) };
  const histories = runStageHistories(part.timelines, at, input.config, models.modelAt, input.changes);
  const ranks = ranksOf(input.ranks);
  const scored = scoreRange(
    population,
    ranks,
    { from: 0, to: values.length },
    input.asOf,
    input.config,
    histories.historyOf,
  );
  const stages: LifecycleStage[] = [];
  let batch: AnalyticsCustomerDoc[] = [];
  for (const doc of scored) {
    batch.push(doc);
    stages.push(doc.stage);
    if (batch.length < batchSize) continue;
    yield batch;
    batch = [];
  }
  if (batch.length > 0) yield batch;
  return { recentStageChanges: histories.recentChanges(), stages, clvFailures: predicted?.failures ?? [] };
}
