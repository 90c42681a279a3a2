// Customer health and worklist scenarios (issue 14): scoring the health of 100,000 customers from their
// read-model documents in SQLite (read a page, score, write the scores) against a raw better-sqlite3
// scan + JSON.parse of the same documents; and an agent's worklist (open follow-ups by priority and due
// date, 50 at a time) at 100,000 customers against the same indexed query in raw better-sqlite3.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@rapport/clv';
import { DAY_MS, type FollowUpRule } from '@rapport/domain';
import { SqliteReadStore } from '../../libs/read-store/src/sqlite/sqlite-read-store';
import type { DocChange } from '../../libs/read-store/src/read-store.port';
import type { ProjectedEvent } from '../../libs/projection-engine/src/projection';
import { customerHealthAt } from '../../projections/customer-health/customer-health-at';
import { healthScoreDoc, HEALTH_SCORES_INDEXES } from '../../projections/customer-health/health-scores';
import {
  evolveCustomerHealth,
  type CustomerHealthDoc,
} from '../../projections/customer-health/customer-health.projection';
import {
  evolveSentimentTimeline,
  type SentimentTimelineDoc,
} from '../../projections/sentiment-timeline/sentiment-timeline.projection';
import { evolveWorklist, worklistProjection, type FollowUpDoc } from '../../projections/worklist/worklist.projection';
import { worklistOf } from '../../projections/worklist/worklist.query';
import type { Scenario, ScenarioResult } from '../scenario';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CUSTOMERS = Math.max(1000, Math.round(100_000 * SCALE));
const START = Date.parse('2024-01-01T00:00:00Z');
const NOW = Date.parse('2026-01-01T00:00:00Z');
const AGENTS = Array.from({ length: 200 }, (_, i) => `agent-${i}`);
const TEAMS = ['key-accounts', 'customer-care', 'complaints', 'billing', 'retention'];
const RULES: FollowUpRule[] = [
  'revisit',
  'promise_due_soon',
  'complaint_sla_at_risk',
  'high_value_decline',
  'detractor_survey',
  'sentiment_drop',
];
const PAGE = 1000;

const p = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const ms = (x: number): number => Number(x.toFixed(2));

/** About 10 events a customer: purchases, calls, surveys, a promise, sometimes a complaint. */
function* customers(count: number): Generator<{ health: CustomerHealthDoc; sentiment: SentimentTimelineDoc | null }> {
  const rand = seededRandom(14);
  let position = 0;
  for (let i = 0; i < count; i++) {
    const customerId = `c${String(i).padStart(7, '0')}`;
    const events: Array<[number, string, Record<string, unknown>]> = [];
    const joined = START + rand() * 500 * DAY_MS;
    events.push([joined, 'CustomerRegistered', { region: 'East', city: 'c', acquisitionChannel: 'web' }]);
    let t = joined;
    const buys = 1 + Math.floor(rand() * 5);
    for (let b = 0; b < buys; b++) {
      events.push([t, 'PurchaseRecorded', { orderId: `o${i}-${b}`, total: Math.round(rand() * 20000) / 100 }]);
      t += rand() * 90 * DAY_MS;
    }
    const span = (): number => joined + rand() * (NOW - joined);
    events.push([span(), 'CallLogged', { callId: `call${i}`, agentId: AGENTS[i % AGENTS.length] }]);
    for (let s = 0; s < 2; s++)
      events.push([span(), 'SurveyResponded', { surveyId: `s${i}-${s}`, kind: 'nps', score: Math.floor(rand() * 11) }]);
    const made = span();
    events.push([made, 'PromiseMade', { promiseId: `p${i}`, dueAt: new Date(made + 7 * DAY_MS).toISOString() }]);
    if (rand() < 0.5)
      events.push([
        made + rand() * 10 * DAY_MS,
        rand() < 0.7 ? 'PromiseKept' : 'PromiseBroken',
        { promiseId: `p${i}` },
      ]);
    if (rand() < 0.3) {
      const filed = span();
      events.push([filed, 'ComplaintFiled', { complaintId: `k${i}`, severity: 'high', category: 'delivery' }]);
      if (rand() < 0.3)
        events.push([filed + 8 * 3_600_000, 'ComplaintSlaBreached', { complaintId: `k${i}`, sla: 'acknowledgement' }]);
      if (rand() < 0.7) events.push([filed + rand() * 200 * 3_600_000, 'ComplaintResolved', { complaintId: `k${i}` }]);
    }
    events.sort((a, b) => a[0] - b[0]);
    let health: CustomerHealthDoc | null = null;
    let sentiment: SentimentTimelineDoc | null = null;
    for (const [at, type, data] of events) {
      const iso = new Date(at).toISOString();
      position += 1;
      const event = {
        type,
        data: { customerId, ...data },
        metadata: { eventId: `e${position}`, occurredAt: iso, recordedAt: iso },
        streamId: `customer-${customerId}`,
        revision: 0,
        position,
      } as unknown as ProjectedEvent;
      health = evolveCustomerHealth(health, event);
      if (type === 'SurveyResponded') sentiment = evolveSentimentTimeline(sentiment, event);
    }
    yield { health: health!, sentiment };
  }
}

async function storeAll(store: SqliteReadStore, collection: string, docs: Iterable<{ id: string }>): Promise<number> {
  let batch: DocChange[] = [];
  let count = 0;
  for (const doc of docs) {
    batch.push({ kind: 'upsert', collection, doc: doc as never, position: 1 });
    count += 1;
    if (batch.length === 20_000) {
      await store.commit(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.commit(batch);
  return count;
}

/** The customers' health and sentiment documents stored; returns how many health facts they hold. */
async function storeHealthDocs(store: SqliteReadStore): Promise<number> {
  for (const name of ['customer-health', 'sentiment-timeline']) await store.ensureCollection({ name, indexes: [] });
  const sentiments: SentimentTimelineDoc[] = [];
  const healths: CustomerHealthDoc[] = [];
  for (const c of customers(CUSTOMERS)) {
    healths.push(c.health);
    if (c.sentiment) sentiments.push(c.sentiment);
  }
  const facts = healths.reduce((n, h) => n + h.facts.length, 0);
  await storeAll(store, 'customer-health', healths);
  await storeAll(store, 'sentiment-timeline', sentiments);
  return facts;
}

/** A page of health documents scored at NOW: one score upsert per scored customer, bands counted. */
function scorePage(
  page: readonly CustomerHealthDoc[],
  sentiment: ReadonlyMap<string, SentimentTimelineDoc>,
  bands: Record<string, number>,
): DocChange[] {
  const changes: DocChange[] = [];
  for (const doc of page) {
    const health = customerHealthAt(
      {
        health: doc,
        sentiment: sentiment.get(doc.id) ?? null,
        population: { run: 'run-1', probabilityAlive: 0.8 },
      },
      NOW,
      NOW,
    );
    if (!health) continue;
    bands[health.band] = (bands[health.band] ?? 0) + 1;
    changes.push({
      kind: 'upsert',
      collection: 'customer-health-scores',
      doc: healthScoreDoc(health, 'run-1', null),
      position: 1,
      force: true,
    });
  }
  return changes;
}

export const healthScore: Scenario = {
  name: 'health.score',
  async run(workDir: string): Promise<ScenarioResult> {
    const db = new Database(join(workDir, 'health.db'));
    const store = new SqliteReadStore({ database: db });
    const facts = await storeHealthDocs(store);

    // Baseline: the least a pass does, reading and parsing every health document.
    let t = performance.now();
    let parsed = 0;
    for (const row of db
      .prepare('SELECT doc FROM "rs_customer-health" WHERE doc IS NOT NULL ORDER BY id')
      .iterate() as Iterable<{ doc: string }>)
      parsed += (JSON.parse(row.doc) as CustomerHealthDoc).facts.length;
    const scanMs = performance.now() - t;

    // The pass: pages of health documents, the same customers' sentiment, scored, scores written.
    await store.ensureCollection({
      name: 'customer-health-scores',
      indexes: HEALTH_SCORES_INDEXES,
      deferIndexes: true,
    });
    t = performance.now();
    let scored = 0;
    const bands: Record<string, number> = {};
    let page: CustomerHealthDoc[] = [];
    const phases = { scanMs: 0, sentimentMs: 0, scoreMs: 0, writeMs: 0 };
    let mark = performance.now();
    const lap = (phase: keyof typeof phases) => {
      const at = performance.now();
      phases[phase] += at - mark;
      mark = at;
    };
    const flush = async () => {
      lap('scanMs');
      const sentiment = await store.getMany<SentimentTimelineDoc>(
        'sentiment-timeline',
        page.map((d) => d.id),
      );
      lap('sentimentMs');
      const changes = scorePage(page, sentiment, bands);
      scored += changes.length;
      lap('scoreMs');
      await store.commit(changes);
      lap('writeMs');
      page = [];
    };
    for await (const doc of store.scan<CustomerHealthDoc>('customer-health', PAGE)) {
      page.push(doc);
      if (page.length === PAGE) await flush();
    }
    if (page.length > 0) await flush();
    await store.ensureCollection({ name: 'customer-health-scores', indexes: HEALTH_SCORES_INDEXES });
    const passMs = performance.now() - t;
    await store.close();
    if (parsed !== facts) throw new Error(`scan read ${parsed} facts of ${facts}`);
    return {
      value: ms(passMs),
      unit: 'ms',
      baseline: ms(scanMs),
      baselineLabel: 'raw better-sqlite3 scan + JSON.parse of every customer-health document',
      target: `< 5000 ms for ${CUSTOMERS.toLocaleString('en')} customers`,
      extra: {
        customers: scored,
        facts,
        ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)])),
        ...Object.fromEntries(Object.entries(bands).map(([b, n]) => [`band_${b}`, n])),
      },
    };
  },
};

/** 1.5 follow-ups a customer on average, half open, over 200 agents and 5 teams. */
function* followUps(count: number): Generator<FollowUpDoc> {
  const rand = seededRandom(41);
  let position = 0;
  for (let i = 0; i < count; i++) {
    const customerId = `c${String(i).padStart(7, '0')}`;
    const n = rand() < 0.5 ? 1 : 2;
    for (let f = 0; f < n; f++) {
      const at = NOW - rand() * 60 * DAY_MS;
      const iso = new Date(at).toISOString();
      const scheduled = {
        type: 'FollowUpScheduled',
        data: {
          customerId,
          followUpId: `f${f}`,
          rule: RULES[Math.floor(rand() * RULES.length)],
          reasons: [{ code: 'r', detail: 'why', eventIds: [`e${i}`] }],
          dueAt: new Date(at + rand() * 14 * DAY_MS).toISOString(),
          assignee: {
            agentId: AGENTS[Math.floor(rand() * AGENTS.length)],
            team: TEAMS[Math.floor(rand() * TEAMS.length)],
          },
          priority: `p${1 + Math.floor(rand() * 4)}`,
        },
        metadata: {
          eventId: `e${++position}`,
          occurredAt: iso,
          recordedAt: iso,
          actor: { id: 'worklist-engine', role: 'system' },
        },
        position,
      } as unknown as ProjectedEvent;
      let doc = evolveWorklist(null, scheduled)!;
      if (rand() < 0.5) doc = { ...doc, status: rand() < 0.8 ? 'completed' : 'dismissed', closedAt: iso };
      yield doc;
    }
  }
}

export const worklistQuery: Scenario = {
  name: 'worklist.query',
  async run(workDir: string): Promise<ScenarioResult> {
    const db = new Database(join(workDir, 'worklist.db'));
    const store = new SqliteReadStore({ database: db });
    await store.ensureCollection({ name: 'worklist', indexes: worklistProjection.indexes });
    const stored = await storeAll(store, 'worklist', followUps(CUSTOMERS));
    const rand = seededRandom(7);
    const QUERIES = 1000;
    const now = new Date(NOW).toISOString();
    const agents = Array.from({ length: QUERIES }, () => AGENTS[Math.floor(rand() * AGENTS.length)]!);
    const teams = Array.from({ length: 200 }, () => TEAMS[Math.floor(rand() * TEAMS.length)]!);
    // Warm both paths once.
    await worklistOf({ store, collection: 'worklist' }, { agent: agents[0]!, now });
    const columns = db.prepare(`SELECT name FROM pragma_table_info('rs_worklist')`).all() as Array<{ name: string }>;
    const col = (field: string) =>
      columns.some((c) => c.name === `f:${field}`) ? `"f:${field}"` : `json_extract(doc, '$.${field}')`;
    const raw = db.prepare(
      `SELECT doc FROM "rs_worklist" WHERE ${col('agentId')} = ? AND ${col('status')} = 'open' ORDER BY ${col('priority')}, ${col('dueAt')} LIMIT 50`,
    );

    const engine: number[] = [];
    let items = 0;
    for (const agent of agents) {
      const t = performance.now();
      const page = await worklistOf({ store, collection: 'worklist' }, { agent, now });
      engine.push(performance.now() - t);
      items += page.items.length;
    }
    const team: number[] = [];
    for (const name of teams) {
      const t = performance.now();
      await worklistOf({ store, collection: 'worklist' }, { team: name, now });
      team.push(performance.now() - t);
    }
    const baseline: number[] = [];
    for (const agent of agents) {
      const t = performance.now();
      (raw.all(agent) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as FollowUpDoc);
      baseline.push(performance.now() - t);
    }
    await store.close();
    for (const xs of [engine, team, baseline]) xs.sort((a, b) => a - b);
    return {
      value: ms(p(engine, 0.95)),
      unit: 'ms',
      baseline: ms(p(baseline, 0.95)),
      baselineLabel:
        'p95 of the same indexed query (agent, open, by priority and due date, 50 rows) in raw better-sqlite3 + JSON.parse',
      target: `p95 < 20 ms at ${CUSTOMERS.toLocaleString('en')} customers`,
      extra: {
        followUps: stored,
        queries: QUERIES,
        p50: ms(p(engine, 0.5)),
        teamP95: ms(p(team, 0.95)),
        meanItems: Math.round(items / QUERIES),
      },
    };
  },
};
