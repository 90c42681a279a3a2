// Service-quality scenarios (issue 13): the dashboard's KPI query set and the cohort table over 100,000
// customers and about 1,000,000 events, from the service-kpi read model in SQLite read back as a fact
// table, against a raw better-sqlite3 scan + JSON.parse of the same collection (what answering a query
// by scanning the read model would cost at the least), measured in the same run.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@rapport/clv';
import { SqliteReadStore } from '../../libs/read-store/src/sqlite/sqlite-read-store';
import type { ProjectedEvent } from '../../libs/projection-engine/src/projection';
import { cohortReport, parseCohortQuery } from '@rapport/analytics/cohort-retention/cohort-retention.query';
import { driversReport, parseDriversQuery } from '../../projections/service-kpi/kpi-drivers';
import { loadKpiFactSource, refreshKpiFactSource, type KpiFactSource } from '../../projections/service-kpi/kpi-source';
import { kpiReport, parseKpiQuery } from '../../projections/service-kpi/kpi.query';
import {
  evolveServiceKpi,
  serviceKpiProjection,
  type ServiceKpiDoc,
} from '../../projections/service-kpi/service-kpi.projection';
import type { Scenario, ScenarioResult } from '../scenario';
import { DAY_MS } from '@rapport/domain';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CUSTOMERS = Math.max(1000, Math.round(100_000 * SCALE));
const ROUNDS = 40;
const START = Date.parse('2024-01-01T00:00:00Z');
const END = Date.parse('2025-12-31T00:00:00Z');
// After every event of the population (complaints resolve up to 200 hours after END).
const NOW = Date.parse('2026-02-01T00:00:00Z');
const REGIONS = ['East China', 'North China', 'South China', 'Central China', 'West China'];
const CHANNELS = ['phone', 'email', 'wechat', 'web', 'store', 'app'];
const ACQUISITION = ['ads', 'referral', 'search', 'social', 'store'];
const AGENTS = Array.from({ length: 200 }, (_, i) => `agent-${i}`);

/** One customer's events (about 10), in time order: registration, purchases, calls, surveys, complaints, promises. */
function* population(count: number): Generator<ServiceKpiDoc> {
  const rand = seededRandom(13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let position = 0;
  for (let i = 0; i < count; i++) {
    const customerId = `c${String(i).padStart(7, '0')}`;
    const events: Array<[number, string, Record<string, unknown>]> = [];
    const joined = START + rand() * (END - START) * 0.8;
    events.push([
      joined,
      'CustomerRegistered',
      { region: pick(REGIONS), city: 'c', acquisitionChannel: pick(ACQUISITION) },
    ]);
    let t = joined;
    const buys = 1 + Math.floor(rand() * 7);
    for (let b = 0; b < buys && t < END; b++) {
      events.push([t, 'PurchaseRecorded', { orderId: `o${i}-${b}`, total: Math.round(rand() * 20000) / 100 }]);
      t += rand() * 120 * DAY_MS;
    }
    const agent = pick(AGENTS);
    const span = (): number => joined + rand() * (END - joined);
    if (rand() < 0.6) events.push([span(), 'CallLogged', { agentId: agent }]);
    for (let s = 0; s < 3; s++) {
      const kind = pick(['nps', 'nps', 'csat', 'ces'] as const);
      const score =
        kind === 'nps'
          ? Math.floor(rand() * 11)
          : kind === 'csat'
            ? 1 + Math.floor(rand() * 5)
            : 1 + Math.floor(rand() * 7);
      events.push([span(), 'SurveyResponded', { surveyId: `s${i}-${s}`, kind, score }]);
    }
    if (rand() < 0.3) {
      const filed = span();
      events.push([filed, 'ComplaintFiled', { complaintId: `k${i}`, severity: 'high', category: 'delivery' }]);
      events.push([filed + rand() * 30 * 3_600_000, 'ComplaintAcknowledged', { complaintId: `k${i}`, by: agent }]);
      events.push([filed + rand() * 200 * 3_600_000, 'ComplaintResolved', { complaintId: `k${i}`, by: agent }]);
    }
    if (rand() < 0.4) {
      const made = span();
      const dueAt = new Date(made + 7 * DAY_MS).toISOString();
      events.push([made, 'PromiseMade', { promiseId: `p${i}`, dueAt, madeBy: agent }]);
      events.push([
        made + rand() * 10 * DAY_MS,
        rand() < 0.7 ? 'PromiseKept' : 'PromiseBroken',
        { promiseId: `p${i}`, keptBy: agent },
      ]);
    }
    events.sort((a, b) => a[0] - b[0]);
    let doc: ServiceKpiDoc | null = null;
    for (const [at, type, data] of events) {
      const iso = new Date(at).toISOString();
      const event = {
        type,
        data: { customerId, ...data },
        metadata: { occurredAt: iso, recordedAt: iso, channel: pick(CHANNELS) },
        streamId: `customer-${customerId}`,
        revision: 0,
        position: ++position,
      } as unknown as ProjectedEvent;
      doc = evolveServiceKpi(doc, event);
    }
    yield doc!;
  }
}

interface Fixture {
  source: KpiFactSource;
  facts: number;
  loadMs: number;
  /** Raw SELECT + JSON.parse of every document, ms. */
  scanMs: number;
  /** Bringing the table up to date after 1,000 customers' documents changed, ms. */
  refreshMs: number;
}
let fixture: Promise<Fixture> | null = null;

/** The population stored in SQLite 20,000 documents at a time, then read back as a fact table. */
function kpiFixture(workDir: string): Promise<Fixture> {
  fixture ??= (async () => {
    const db = new Database(join(workDir, 'kpi.db'));
    const store = new SqliteReadStore({ database: db });
    await store.ensureCollection({ name: 'service-kpi', indexes: serviceKpiProjection.indexes });
    let batch: ServiceKpiDoc[] = [];
    let facts = 0;
    let last = 0;
    const flush = async () => {
      for (const doc of batch) last = Math.max(last, doc.position);
      await store.commit(
        batch.map((doc) => ({ kind: 'upsert' as const, collection: 'service-kpi', doc, position: doc.position })),
        { name: 'service-kpi', position: last },
      );
      batch = [];
    };
    for (const doc of population(CUSTOMERS)) {
      facts += doc.facts.length;
      batch.push(doc);
      if (batch.length === 20_000) await flush();
    }
    await flush();
    let t = performance.now();
    let rows = 0;
    for (const row of db
      .prepare('SELECT doc FROM "rs_service-kpi" WHERE doc IS NOT NULL ORDER BY id')
      .iterate() as Iterable<{ doc: string }>)
      rows += (JSON.parse(row.doc) as ServiceKpiDoc).facts.length;
    const scanMs = performance.now() - t;
    t = performance.now();
    const loaded = await loadKpiFactSource(store, 'service-kpi');
    const loadMs = performance.now() - t;
    if (rows !== facts) throw new Error(`scanned ${rows} facts of ${facts}`);
    // Then 1,000 customers answer a survey: the engine reads those documents again, not the collection.
    const changed: ServiceKpiDoc[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = `c${String(i * Math.floor(CUSTOMERS / 1000)).padStart(7, '0')}`;
      const doc = (await store.get<ServiceKpiDoc>('service-kpi', id))!;
      const at = new Date(END - i * 60_000).toISOString();
      changed.push({ ...doc, position: last + i + 1, facts: [...doc.facts, ['survey', at, at, 'web', 'nps', 9]] });
    }
    await store.commit(
      changed.map((doc) => ({ kind: 'upsert' as const, collection: 'service-kpi', doc, position: doc.position })),
      { name: 'service-kpi', position: last + 1000 },
    );
    t = performance.now();
    const source = await refreshKpiFactSource(store, loaded, 'service-kpi');
    const refreshMs = performance.now() - t;
    if (source.table.kind.length !== facts + 1000) throw new Error('refresh lost or repeated facts');
    return { source, facts: facts + 1000, loadMs, scanMs, refreshMs };
  })();
  return fixture;
}

const p = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const ms = (x: number): number => Number(x.toFixed(2));

/** The dashboard's KPI requests, as the console makes them. */
const DASHBOARD: Array<Record<string, string>> = [
  { period: 'month' },
  { period: 'week' },
  { period: 'month', by: 'region' },
  { period: 'month', by: 'channel' },
  { period: 'month', by: 'acquisitionChannel' },
  { period: 'month', by: 'agent' },
];

/** Times the query set `ROUNDS` times (after one warm-up), each at `asOf` of the round. */
function timeSet(
  source: KpiFactSource,
  asOfOf: (round: number) => string,
): { p95: number; p50: number; per: number[] } {
  const sets: number[] = [];
  const per = DASHBOARD.map(() => [] as number[]).concat([[]]);
  for (let round = -1; round < ROUNDS; round++) {
    const asOf = asOfOf(round);
    const start = performance.now();
    DASHBOARD.forEach((params, i) => {
      const t = performance.now();
      const q = parseKpiQuery({ ...params, asOf }, NOW);
      const report = kpiReport(source.table, source.records(q.asOfMs, q.knownAtMs), q);
      if (report.totals.nps.responses === 0) throw new Error('query.kpi: no NPS answer counted');
      per[i]!.push(performance.now() - t);
    });
    const t = performance.now();
    const dq = parseDriversQuery({ asOf }, NOW);
    driversReport(source.records(dq.asOfMs, dq.knownAtMs), dq);
    per[DASHBOARD.length]!.push(performance.now() - t);
    if (round >= 0) sets.push(performance.now() - start);
  }
  sets.sort((a, b) => a - b);
  return {
    p95: p(sets, 0.95),
    p50: p(sets, 0.5),
    per: per.map((xs) =>
      p(
        xs.slice(1).sort((a, b) => a - b),
        0.95,
      ),
    ),
  };
}

export const queryKpi: Scenario = {
  name: 'query.kpi',
  run: async (workDir): Promise<ScenarioResult> => {
    const f = await kpiFixture(workDir);
    // "Now": each round a later as-of past every fact (one derivation serves them all).
    const now = timeSet(f.source, (round) => new Date(NOW + (round + 1) * 1000).toISOString());
    // As of a past date: each round its own as-of, so every round derives its records again.
    const past = timeSet(f.source, (round) => new Date(END - (round + 2) * DAY_MS).toISOString());
    return {
      value: ms(now.p95),
      unit: 'ms',
      baseline: ms(f.scanMs),
      baselineLabel:
        'raw better-sqlite3 scan + JSON.parse of the service-kpi collection (the least a scanning query costs), same run',
      target: 'full dashboard KPI set p95 < 50 ms at 100,000 customers / 1,000,000 events',
      extra: {
        customers: CUSTOMERS,
        events: f.facts,
        setP50: ms(now.p50),
        pastAsOfSetP95: ms(past.p95),
        perQueryP95: DASHBOARD.map((d) => `${d.period}${d.by ? `/${d.by}` : ''}`)
          .concat(['drivers'])
          .map((name, i) => `${name} ${ms(now.per[i]!)}`)
          .join(', '),
        factTableLoadMs: Math.round(f.loadMs),
        refreshAfter1000ChangedMs: Math.round(f.refreshMs),
        rounds: ROUNDS,
      },
    };
  },
};

export const queryCohorts: Scenario = {
  name: 'query.cohorts',
  run: async (workDir): Promise<ScenarioResult> => {
    const f = await kpiFixture(workDir);
    const time = (asOfOf: (round: number) => string) => {
      const xs: number[] = [];
      for (let round = -1; round < ROUNDS; round++) {
        const t = performance.now();
        const q = parseCohortQuery({ asOf: asOfOf(round), metric: round % 2 === 0 ? 'customers' : 'revenue' }, NOW);
        const report = cohortReport(f.source.records(q.asOfMs, q.knownAtMs), q);
        if (report.cohorts.length === 0) throw new Error('query.cohorts: no cohort');
        if (round >= 0) xs.push(performance.now() - t);
      }
      return xs.sort((a, b) => a - b);
    };
    const now = time((round) => new Date(NOW + (round + 1) * 1000).toISOString());
    const past = time((round) => new Date(END - (round + 2) * DAY_MS).toISOString());
    return {
      value: ms(p(now, 0.95)),
      unit: 'ms',
      baseline: ms(f.scanMs),
      baselineLabel: 'raw better-sqlite3 scan + JSON.parse of the service-kpi collection, same run',
      target: '< 200 ms at 100,000 customers / 1,000,000 events',
      extra: {
        customers: CUSTOMERS,
        events: f.facts,
        p50: ms(p(now, 0.5)),
        pastAsOfP95: ms(p(past, 0.95)),
        rounds: ROUNDS,
      },
    };
  },
};
