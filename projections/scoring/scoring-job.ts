import type { Doc, DocChange, ReadStore } from '@rapport/read-store';
import type { CustomerValueDoc } from '../customer-value/customer-value.projection';
import type { PromiseFulfilmentDoc } from '../promise-fulfilment/promise-fulfilment.projection';
import { ANALYTICS_CUSTOMER_INDEXES } from './analytics-customer';
import { SCORING_META, withCollections, type CollectionNames } from './collections';
import type { LifecycleHistory } from './lifecycle-rules';
import { agentPromiseRates, type AgentPromiseRates } from './promise-deadlines';
import { score, type ClvPrediction, type ScoringSubject, type SegmentSummary, type SentimentSignal } from './score';
import { scoringConfig, type ScoringConfig } from './scoring-config';

/** Predicts CLV fields for the population at `now` (e.g. a BG/NBD + Gamma-Gamma fit); optional. */
export type ClvPredictor = (customers: readonly CustomerValueDoc[], now: string) => Promise<Map<string, ClvPrediction>> | Map<string, ClvPrediction>;

export interface ScoringJobOptions {
  config?: Partial<ScoringConfig>;
  collections?: Partial<CollectionNames>;
  predictClv?: ClvPredictor;
  /** Progress callback (phase, customers so far) for long runs. */
  onProgress?: (phase: string, count: number) => void;
}

export interface ScoringRunSummary {
  run: number;
  now: string;
  customers: number;
  stageChanges: number;
  durationMs: number;
  /** Milliseconds per phase: read, score, write. */
  phases: { read: number; score: number; write: number };
}

export interface AgentRatesRecord {
  scoredAt: string;
  agents: AgentPromiseRates[];
}

const SCAN_BATCH = 10_000;
/** Documents per write transaction into the build collection (bounds the memory of one commit). */
const WRITE_BATCH = 50_000;

/** Reads the sentiment-timeline document defensively: another read model, whose shape may move. */
export function sentimentSignal(doc: Doc): SentimentSignal {
  const record = doc as Record<string, unknown>;
  const nested = (record.drop ?? null) as Record<string, unknown> | boolean | null;
  const drop =
    record.dropFlag === true ||
    record.sentimentDrop === true ||
    record.dropped === true ||
    nested === true ||
    (typeof nested === 'object' && nested !== null && (nested.flag === true || nested.active === true));
  const meanCandidate = record.rollingMean ?? record.mean ?? null;
  const mean = typeof meanCandidate === 'number' && Number.isFinite(meanCandidate) ? meanCandidate : null;
  return { drop, mean };
}

/**
 * Recomputes the population- and clock-dependent scores from the read models at `now` and writes the
 * `analytics-customers` collection, stage histories and the segment/agent summaries. Same read models and
 * same `now` give the same scores.
 */
export class ScoringJob {
  private readonly config: ScoringConfig;
  private readonly collections: CollectionNames;

  constructor(
    private readonly store: ReadStore,
    private readonly options: ScoringJobOptions = {},
  ) {
    this.config = scoringConfig(options.config);
    this.collections = withCollections(options.collections);
  }

  /** Runs one scoring pass at `now`; overlapping calls on one job run one after the other (they share the build collection). */
  run(now: string): Promise<ScoringRunSummary> {
    const next = this.previous.then(
      () => this.runOnce(now),
      () => this.runOnce(now),
    );
    this.previous = next.catch(() => undefined);
    return next;
  }

  private previous: Promise<unknown> = Promise.resolve();

  private async runOnce(now: string): Promise<ScoringRunSummary> {
    const started = performance.now();
    if (Number.isNaN(Date.parse(now))) throw new RangeError(`now: must be an ISO-8601 time (got ${now})`);
    const { collections, store } = this;
    await store.ensureCollection({ name: collections.lifecycleHistory, indexes: [] });

    const values: CustomerValueDoc[] = [];
    for await (const doc of store.scan<CustomerValueDoc>(collections.customerValue, SCAN_BATCH)) {
      values.push(doc);
      if (values.length % 50_000 === 0) this.options.onProgress?.('read customer-value', values.length);
    }
    const promises = new Map<string, PromiseFulfilmentDoc>();
    for await (const doc of store.scan<PromiseFulfilmentDoc>(collections.promiseFulfilment, SCAN_BATCH)) promises.set(doc.id, doc);
    const sentiment = new Map<string, SentimentSignal>();
    for await (const doc of store.scan<Doc>(collections.sentimentTimeline, SCAN_BATCH)) sentiment.set(doc.id, sentimentSignal(doc));
    const histories = new Map<string, LifecycleHistory>();
    for await (const doc of store.scan<LifecycleHistory & Doc>(collections.lifecycleHistory, SCAN_BATCH)) histories.set(doc.id, doc);
    const clv = this.options.predictClv ? await this.options.predictClv(values, now) : new Map<string, ClvPrediction>();

    const population: ScoringSubject[] = values.map((value) => ({
      value,
      promises: promises.get(value.id) ?? null,
      sentiment: sentiment.get(value.id) ?? null,
      clv: clv.get(value.id) ?? null,
      history: histories.get(value.id) ?? null,
    }));
    const read = performance.now();
    const result = score(population, now, this.config);
    const scored = performance.now();
    this.options.onProgress?.('scored', result.customers.length);

    const lastRun = await store.getMeta<ScoringRunSummary>(SCORING_META.lastRun);
    const run = (lastRun?.run ?? 0) + 1;
    // Every customer's scores change with the clock, so the run writes a fresh collection without
    // indexes in bulk, then switches it in whole (indexes built once); queries never see a half run.
    const build = `${collections.analyticsCustomers}_build`;
    await store.dropCollection(build); // a crashed run's leftovers
    await store.ensureCollection({ name: build, indexes: ANALYTICS_CUSTOMER_INDEXES, deferIndexes: true });
    for (let i = 0; i < result.customers.length; i += WRITE_BATCH) {
      const docs = result.customers.slice(i, i + WRITE_BATCH);
      await store.commit(docs.map((doc): DocChange => ({ kind: 'upsert', collection: build, doc, position: run, force: true })));
    }
    // Scoring output is not an event fold: `force` writes whatever position the document holds.
    await store.commit(
      result.changedHistories.map((history): DocChange => ({ kind: 'upsert', collection: collections.lifecycleHistory, doc: history as unknown as Doc, position: run, force: true })),
    );
    await store.replaceCollection({ name: collections.analyticsCustomers, indexes: ANALYTICS_CUSTOMER_INDEXES }, build);

    const agents: AgentRatesRecord = { scoredAt: now, agents: agentPromiseRates(promises.values(), now) };
    await store.setMeta<SegmentSummary>(SCORING_META.segments, result.segments);
    await store.setMeta<AgentRatesRecord>(SCORING_META.agents, agents);
    const summary: ScoringRunSummary = {
      run,
      now,
      customers: result.customers.length,
      stageChanges: result.changedHistories.length,
      durationMs: Math.round(performance.now() - started),
      phases: { read: Math.round(read - started), score: Math.round(scored - read), write: Math.round(performance.now() - scored) },
    };
    await store.setMeta(SCORING_META.lastRun, summary);
    return summary;
  }
}
