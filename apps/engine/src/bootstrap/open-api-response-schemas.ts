import { LIFECYCLE_STAGES, VALUE_TIERS } from '@rapport/projections/customer-vocabulary';
import { RFM_SEGMENTS } from '@rapport/scoring/analytics-customer';

/**
 * The shapes the GET routes answer, as JSON schema in one place (the views are TypeScript types from
 * the projections, which the swagger plugin cannot read). The OpenAPI e2e spec compares real answers'
 * fields with these, so a field added to a view without a line here fails there.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const time: Schema = { type: 'string', format: 'date-time' };
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
const oneOf = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
/** An object with `properties` always present (null where the schema allows) and `optional` sometimes. */
const object = (
  properties: Record<string, Schema>,
  description?: string,
  optional: Record<string, Schema> = {},
): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties: { ...properties, ...optional },
});
/** An object keyed by names not fixed in advance (projection names, stages, channels). */
const mapOf = (values: Schema, description: string): Schema => ({
  type: 'object',
  description,
  additionalProperties: values,
});
/** A nested report whose fields docs/api.md describes; only its presence is fixed here. */
const report = (description: string): Schema => ({ type: 'object', description, additionalProperties: true });

const analyticsCustomerFields: Record<string, Schema> = {
  customerId: str,
  region: nullable(str),
  acquisitionChannel: nullable(str),
  registeredAt: nullable(time),
  erased: bool,
  orders: int,
  netRevenue: num,
  averageOrderValue: num,
  firstPurchaseAt: nullable(time),
  lastPurchaseAt: nullable(time),
  meanInterPurchaseDays: nullable(num),
  historicalLifetimeValue: num,
  recencyDays: nullable(int),
  frequency: int,
  monetary: num,
  revenueLast90: num,
  revenuePrev90: num,
  valueTrend: num,
  valueTrendRatio: nullable(num),
  valueTrendDirection: oneOf(['up', 'flat', 'down']),
  rScore: nullable(int),
  fScore: nullable(int),
  mScore: nullable(int),
  rfm: nullable(str),
  segment: nullable(oneOf(RFM_SEGMENTS)),
  tier: oneOf(VALUE_TIERS),
  stage: oneOf(LIFECYCLE_STAGES),
  stageSince: time,
  stageReason: str,
  probabilityAlive: nullable(num),
  expectedPurchases90: nullable(num),
  predictedClv: nullable(num),
  probabilityAliveLow: nullable(num),
  probabilityAliveHigh: nullable(num),
  expectedPurchases90Low: nullable(num),
  expectedPurchases90High: nullable(num),
  purchases90Low: nullable(int),
  purchases90High: nullable(int),
  predictedClvLow: nullable(num),
  predictedClvHigh: nullable(num),
  sentimentDrop: bool,
  sentimentMean: nullable(num),
  promisesOpen: int,
  promisesDueSoon: int,
  promisesOverdue: int,
  scoredAt: time,
};

const personal = nullable(
  object(
    { name: nullable(str), email: nullable(str), phone: nullable(str), address: nullable(str) },
    'decrypted for auditors and admins, "[redacted]" for other roles, "[erased]" after erasure',
  ),
);

/** A scored moment; language, text score and driving terms only where a text was scored. */
const moment = object({ at: time, recordedAt: time, position: int, source: str, kind: str, score: num }, undefined, {
  language: str,
  textScore: num,
  terms: arrayOf(object({ term: str, weight: num })),
});

const stageTierCell = object({ customers: int, netRevenue: num });
const segmentsFields: Record<string, Schema> = {
  scoredAt: time,
  customers: int,
  netRevenue: num,
  byStageTier: mapOf(mapOf(stageTierCell, 'by value tier'), 'by lifecycle stage, then value tier'),
  byRegion: arrayOf(object({ region: str, customers: int, netRevenue: num, tiers: mapOf(int, 'customers per tier') })),
};

const agentPromises = object({
  agentId: str,
  made: int,
  keptOnTime: int,
  keptLate: int,
  broken: int,
  cancelled: int,
  open: int,
  currentlyOverdue: int,
  keptOnTimeRate: nullable(num),
  keptRate: nullable(num),
  brokenRate: nullable(num),
});

const clvFields: Record<string, Schema> = {
  fittedAt: time,
  status: oneOf(['ok', 'partial', 'failed']),
  unit: str,
  population: int,
  repeaters: int,
  bgNbd: nullable(report('BG/NBD fit: params r, alpha, a, b, log-likelihood, optimiser, convergence, warnings')),
  gammaGamma: nullable(report('Gamma-Gamma fit: params p, q, gamma, log-likelihood, warnings')),
  prediction: report('purchase horizon and lifetime-value discounting'),
  uncertainty: report('level and method of the intervals, parameter covariances'),
  errors: arrayOf(str),
  durationMs: int,
};

const scoringRunFields: Record<string, Schema> = {
  id: str,
  run: int,
  asOf: time,
  knownAt: time,
  trigger: str,
  ranBy: object({ id: str, role: str }),
  startedAt: time,
  finishedAt: nullable(time),
  status: str,
  error: nullable(str),
  customers: { type: 'string', description: 'the collection holding the run’s customer scores' },
  population: object({ customers: int, buyers: int, repeatBuyers: int, recentStageChanges: int }),
  segments: nullable(object(segmentsFields)),
  agents: arrayOf(agentPromises),
  clvModel: nullable(report('the CLV fit of the run, as GET /analytics/models/clv')),
  stageModels: arrayOf(report('a quarterly stage model')),
  config: report('the thresholds the run scored with'),
  durationMs: nullable(int),
  phases: mapOf(int, 'milliseconds per phase'),
};

const projectionStatus = object({
  name: str,
  version: int,
  collection: str,
  checkpoint: int,
  headPosition: int,
  eventsBehind: int,
  secondsBehind: num,
  parked: int,
  state: str,
  rebuild: nullable(report('the rebuild in progress')),
  lastError: nullable(str),
  runner: str,
  owner: object({ worker: nullable(str), token: nullable(int), leaseExpiresAt: nullable(time) }),
});

const projectorWorker = object({ id: str, expiresAt: time, leader: bool, projections: arrayOf(str) });

const healthIndicators = mapOf(
  { type: 'object', properties: { status: oneOf(['up', 'down']) }, additionalProperties: true },
  'per indicator: eventStore, readStore, keyStore, projections',
);

/** The 200 answer of each GET route, by its path in the document. */
// Service KPIs (docs/api.md, "Service quality"; formulas in docs/read-models.md, service-kpi).
const npsValue = object({ score: nullable(num), promoters: int, passives: int, detractors: int, responses: int });
const csatValue = object({ score: nullable(num), satisfied: int, responses: int });
const hoursValue = object({ median: nullable(num), p90: nullable(num), count: int });
const kpiValues = object({
  nps: npsValue,
  csat: csatValue,
  ces: object({ mean: nullable(num), responses: int }),
  firstResponseHours: hoursValue,
  resolutionHours: hoursValue,
  promiseKeptRate: object({ rate: nullable(num), keptOnTime: int, due: int }),
  repeatPurchaseRate: object({ rate: nullable(num), repeaters: int, purchasers: int }),
  churnRate: object({ rate: nullable(num), churned: int, activeAtStart: int }),
});
const kpiGroup = object({ key: str, values: kpiValues });
const driverSide = object({ nps: npsValue, csat: csatValue, customers: int });
const cohortCell = object({
  monthsSince: int,
  active: int,
  retention: num,
  revenue: num,
  revenueRetained: nullable(num),
  value: nullable(num),
});

export const GET_RESPONSE_SCHEMAS: Record<string, Schema> = {
  '/customers/{id}': object({
    id: str,
    customerId: str,
    registered: bool,
    registeredAt: nullable(time),
    personal,
    region: nullable(str),
    city: nullable(str),
    demographics: mapOf(str, 'as registered or last changed'),
    acquisition: nullable(object({ channel: str, cost: num })),
    touchpoints: object({
      total: int,
      byType: mapOf(int, 'touchpoints per type'),
      byChannel: mapOf(int, 'touchpoints per channel'),
    }),
    firstTouchpointAt: nullable(time),
    lastTouchpointAt: nullable(time),
    openPromiseIds: arrayOf(str),
    openPromises: int,
    openComplaintIds: arrayOf(str),
    openComplaints: int,
    erased: bool,
    erasedAt: nullable(time),
  }),
  '/customers/{id}/value': object({
    customerId: str,
    region: nullable(str),
    erased: bool,
    orders: int,
    grossRevenue: num,
    refunded: num,
    netRevenue: num,
    averageOrderValue: num,
    firstPurchaseAt: nullable(time),
    lastPurchaseAt: nullable(time),
    purchaseDays: int,
    meanInterPurchaseDays: nullable(num),
    frequency: int,
    monetary: num,
    acquisitionCost: num,
    historicalLifetimeValue: num,
    scores: nullable(object(analyticsCustomerFields, 'the current scoring run’s scores (null before the first run)')),
  }),
  '/customers/{id}/lifecycle': object({
    customerId: str,
    registeredAt: nullable(time),
    orders: int,
    purchaseDays: int,
    firstPurchaseAt: nullable(time),
    lastPurchaseAt: nullable(time),
    meanInterPurchaseDays: nullable(num),
    stage: nullable(oneOf(LIFECYCLE_STAGES)),
    stageSince: nullable(time),
    stageReason: nullable(str),
    transitions: arrayOf(
      object({ at: time, from: nullable(oneOf(LIFECYCLE_STAGES)), to: oneOf(LIFECYCLE_STAGES), reason: str }),
    ),
  }),
  '/customers/{id}/promises': object({
    customerId: str,
    promises: arrayOf(
      object({
        promiseId: str,
        description: { type: 'string', description: 'per role, as personal data' },
        madeBy: str,
        madeAt: time,
        madeRecordedAt: time,
        dueAt: time,
        originalDueAt: time,
        withinPolicy: bool,
        renegotiations: arrayOf(report('a renegotiated due date')),
        status: str,
        becameOverdueAt: nullable(time),
        becameOverdueRecordedAt: nullable(time),
        overdueRecordedFor: nullable(time),
        closedAt: nullable(time),
        closedRecordedAt: nullable(time),
        closedBy: nullable(str),
      }),
    ),
    counts: mapOf(int, 'made, open, overdue, keptOnTime, keptLate, broken, cancelled, dueSoon, currentlyOverdue'),
    keptOnTimeRate: nullable(num),
  }),
  '/customers/{id}/complaints': object({
    customerId: str,
    erased: bool,
    complaints: arrayOf(
      object({
        customerId: str,
        complaintId: str,
        category: str,
        severity: str,
        status: str,
        erased: bool,
        filedAt: time,
        acknowledgedAt: nullable(time),
        resolvedAt: nullable(time),
        reopenedAt: nullable(time),
        escalations: int,
        reopenings: int,
        acknowledgement: report('dueAt, status, doneAt, breachRecordedAt, warnAt, warning, breached, pausedHours'),
        nextReply: nullable(
          report('the next reply owed after the customer answered: the same fields; null until then'),
        ),
        resolution: report('dueAt, status, doneAt, breachRecordedAt, warnAt, warning, breached, pausedHours'),
        nextDueAt: nullable(time),
        waitingForCustomer: bool,
        rule: nullable({ type: 'string', description: 'the SLA policy rule applied; null: the severity hours' }),
        calendar: nullable({ type: 'string', description: 'the business-hours calendar; null: the wall clock' }),
        breaches: arrayOf(object({ sla: str, dueAt: time, recordedAt: time })),
      }),
    ),
    counts: mapOf(
      int,
      'filed, open, resolved, reopened, escalated, breached, acknowledgementBreaches, nextReplyBreaches, resolutionBreaches (steps done late count as breaches)',
    ),
  }),
  '/customers/{id}/sentiment': object({
    id: str,
    customerId: str,
    moments: arrayOf(moment),
    count: int,
    rollingMean: nullable(num),
    mostPositive: nullable(moment),
    mostNegative: nullable(moment),
    peak: nullable(moment),
    end: nullable(moment),
    peakEnd: nullable(num),
    trendPer30Days: nullable(num),
    trend: nullable(oneOf(['rising', 'falling', 'flat'])),
    drop: object({ flagged: bool, amount: num, highAt: nullable(time) }),
    erased: bool,
    erasedAt: nullable(time),
    lastPosition: int,
  }),
  '/analytics/customers': object({
    items: arrayOf(object({ id: str, ...analyticsCustomerFields })),
    nextCursor: nullable({ type: 'string', description: 'pass as `cursor` for the next page; null on the last' }),
  }),
  '/analytics/segments': object({ run: str, knownAt: time, ...segmentsFields }),
  '/analytics/promises': object({ run: str, scoredAt: time, knownAt: time, agents: arrayOf(agentPromises) }),
  '/analytics/models/clv': object({ run: str, ...clvFields }),
  '/analytics/scoring/runs': object({ runs: arrayOf(object(scoringRunFields)), current: nullable(str) }),
  '/analytics/scoring/runs/{id}': object(scoringRunFields),
  '/analytics/kpis': object(
    {
      asOf: time,
      knownAt: nullable(time),
      period: oneOf(['week', 'month']),
      by: nullable(oneOf(['region', 'city', 'channel', 'acquisitionChannel', 'tier', 'stage', 'agent'])),
      churnDays: int,
      from: time,
      to: time,
      scoringRun: nullable(str),
      totals: kpiValues,
      periods: arrayOf(
        object({ period: str, start: time, end: time, values: kpiValues }, undefined, { groups: arrayOf(kpiGroup) }),
      ),
    },
    undefined,
    { groups: arrayOf(kpiGroup) },
  ),
  '/analytics/kpis/drivers': object({
    asOf: time,
    knownAt: nullable(time),
    from: time,
    to: time,
    windowDays: int,
    drivers: arrayOf(
      object({
        driver: oneOf(['brokenPromise', 'slaBreach', 'complaint']),
        with: driverSide,
        without: driverSide,
        difference: object({ nps: nullable(num), csat: nullable(num) }),
      }),
    ),
  }),
  '/analytics/cohorts': object({
    asOf: time,
    knownAt: nullable(time),
    metric: oneOf(['customers', 'revenue']),
    cohorts: arrayOf(object({ cohort: str, size: int, revenue0: num, cells: arrayOf(cohortCell) })),
    maxMonthsSince: int,
  }),
  '/projections': object({
    projections: arrayOf(projectionStatus),
    thisWorker: nullable(str),
    leader: nullable(str),
    workers: arrayOf(projectorWorker),
  }),
  '/health': object({
    status: oneOf(['ok', 'error', 'shutting_down']),
    info: healthIndicators,
    error: healthIndicators,
    details: healthIndicators,
    degraded: bool,
  }),
};
