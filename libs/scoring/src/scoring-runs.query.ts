import type { Filter, ReadStore } from '@rapport/read-store';
import { asOfTimes, customerValueAsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import { withCollections, type CollectionNames } from './collections';
import type { LifecycleHistory } from '@rapport/projections/lifecycle-facts/lifecycle-history';
import { NO_MODELS, stageHistory, withRunModel, type ModelCalendar } from './stage-history';
import { SCORING_RUNS_COLLECTION, type ScoringRunRecord } from './scoring-run';

/** Meta keys: the id of the run whose answers are current, and the last run number handed out. */
export const CURRENT_RUN_META = 'scoring:current-run';
export const LAST_RUN_NUMBER_META = 'scoring:last-run-number';

/** Which run an analyst asks for: by id, by date (the latest as-of at or before it), or the current one. */
export interface RunSelector {
  run?: string;
  asOf?: string;
}

/** Every run record, newest first. */
export async function listRuns(store: ReadStore): Promise<ScoringRunRecord[]> {
  const runs: ScoringRunRecord[] = [];
  for await (const record of store.scan<ScoringRunRecord>(SCORING_RUNS_COLLECTION, 1000)) runs.push(record);
  return runs.sort((a, b) => b.run - a.run);
}

export const getRun = (store: ReadStore, id: string): Promise<ScoringRunRecord | null> =>
  store.get<ScoringRunRecord>(SCORING_RUNS_COLLECTION, id);

/**
 * The run a selector names, or null when there is none (no run yet, no run as of that date, an
 * unknown id). A run asked for by id is returned whatever its status; by date or by default, only
 * a succeeded run whose customers are kept.
 */
export async function selectRun(store: ReadStore, selector: RunSelector = {}): Promise<ScoringRunRecord | null> {
  if (selector.run !== undefined) return getRun(store, selector.run);
  if (selector.asOf !== undefined) return latestServableRun(store, new Date(Date.parse(selector.asOf)).toISOString());
  const current = await store.getMeta<string | null>(CURRENT_RUN_META);
  return current === null ? null : getRun(store, current);
}

/**
 * The succeeded run whose customers are kept with the latest as-of time (at or before `upTo`); between
 * runs as of the same time, the later one. With no bound, the run whose answers are current.
 */
export async function latestServableRun(store: ReadStore, upTo?: string): Promise<ScoringRunRecord | null> {
  const servable: Filter[] = [
    { field: 'status', eq: 'succeeded' },
    { field: 'customers', ne: null },
  ];
  const page = await store.find<ScoringRunRecord>(SCORING_RUNS_COLLECTION, {
    filter: { and: upTo === undefined ? servable : [{ field: 'asOf', lte: upTo }, ...servable] },
    sort: [
      { field: 'asOf', direction: 'desc' },
      { field: 'run', direction: 'desc' },
    ],
    limit: 1,
  });
  return page.items[0] ?? null;
}

/** Runs still marked running that started before `before` (an ISO time), oldest first. */
export async function runsStillRunning(store: ReadStore, before: string): Promise<ScoringRunRecord[]> {
  const page = await store.find<ScoringRunRecord>(SCORING_RUNS_COLLECTION, {
    filter: {
      and: [
        { field: 'status', eq: 'running' },
        { field: 'startedAt', lt: before },
      ],
    },
    sort: [{ field: 'run', direction: 'asc' }],
    limit: 100,
  });
  return page.items;
}

/** Scheduled runs that still keep their customers, newest first, a page at a time. */
export async function* scheduledRunsWithCustomers(store: ReadStore): AsyncIterable<ScoringRunRecord> {
  let cursor: string | undefined;
  do {
    const page = await store.find<ScoringRunRecord>(SCORING_RUNS_COLLECTION, {
      filter: {
        and: [
          { field: 'trigger', eq: 'scheduled' },
          { field: 'status', eq: 'succeeded' },
          { field: 'customers', ne: null },
        ],
      },
      sort: [{ field: 'run', direction: 'desc' }],
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** The collection names the analyst queries read for a run. */
export const runCollections = (run: ScoringRunRecord): Partial<CollectionNames> =>
  run.customers === null ? {} : { analyticsCustomers: run.customers };

/** The collection names of the run a selector names, or none (the defaults) when there is no such run. */
export async function collectionsOfRun(
  store: ReadStore,
  selector: RunSelector = {},
): Promise<Partial<CollectionNames>> {
  const run = await selectRun(store, selector);
  return run === null ? {} : runCollections(run);
}

/**
 * A customer's stage history as a run derived it: the run keeps only the stage, so the transitions are
 * derived again from the customer's facts as of the run, with the run's thresholds, its calendar of
 * P(alive) models (`calendarOf` turns the run's `stageModels` record into them) and the customer's
 * P(alive) in the run's own fit. Null when the run did not score the customer (or no longer keeps its
 * customers).
 */
export async function runStageHistory(
  store: ReadStore,
  run: ScoringRunRecord,
  customerId: string,
  names?: Partial<CollectionNames>,
  calendarOf: (stageModels: unknown) => ModelCalendar = () => NO_MODELS,
): Promise<LifecycleHistory | null> {
  if (run.customers === null) return null;
  const [value, scored] = await Promise.all([
    store.get<CustomerValueDoc>(withCollections(names).customerValue, customerId),
    store.get<AnalyticsCustomerDoc>(run.customers, customerId),
  ]);
  if (value === null || scored === null) return null;
  const at = asOfTimes(run.asOf, run.knownAt);
  const then = customerValueAsOf(value, at);
  if (then === null) return null;
  const { modelAt, changes } = calendarOf(run.stageModels);
  return stageHistory(then, at, run.config, withRunModel(modelAt, at.asOfMs, scored.probabilityAlive), [
    ...changes,
    at.asOfMs,
  ]);
}
