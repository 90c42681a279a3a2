import { DAY_MS, type HealthBand } from '@rapport/domain';
import { isoMs } from '../customer-value/iso-time';
import { sentimentSignalAt } from '../sentiment-timeline/sentiment-signal';
import type { SentimentTimelineDoc } from '../sentiment-timeline/sentiment-timeline.projection';
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from './health-config';
import type { CustomerHealthDoc } from './customer-health.projection';
import {
  healthFactsThen,
  type ComplaintThen,
  type HealthFactsThen,
  type PromiseThen,
  type PurchaseThen,
} from './health-facts-then';

const TREND_WINDOW_DAYS = 90;

export type HealthSignal =
  'recency' | 'probabilityAlive' | 'valueTrend' | 'promises' | 'complaints' | 'sentimentEnd' | 'sentimentDrop' | 'nps';

/** One signal's part in a score: signed points, why, and the events (or the scoring run) behind it. */
export interface HealthContribution {
  signal: HealthSignal;
  points: number;
  detail: string;
  eventIds: string[];
  /** The scoring run a population signal came from. */
  run?: string;
}

/** What the scoring run knows of a customer that needs the whole population. */
export interface PopulationSignals {
  run: string;
  probabilityAlive: number | null;
}

export interface CustomerHealth {
  customerId: string;
  asOf: string;
  knownAt: string | null;
  score: number;
  band: HealthBand;
  /** Every signal that moved the score, largest effect first. */
  reasons: HealthContribution[];
  lastPurchaseAt: string | null;
}

export interface HealthInputs {
  health: CustomerHealthDoc;
  sentiment?: SentimentTimelineDoc | null;
  population?: PopulationSignals | null;
}

export const bandOf = (score: number, config: HealthConfig = DEFAULT_HEALTH_CONFIG): HealthBand =>
  score >= config.healthyFrom ? 'healthy' : score >= config.watchFrom ? 'watch' : 'at_risk';

/** Records a contribution that moves the score; its detail and events are built only then (most do not). */
type AddReason = (
  signal: HealthSignal,
  points: number,
  detail: () => string,
  eventIds: () => string[],
  run?: string,
) => void;

/** Recency against the customer's own rhythm (its mean gap between purchase days); the last purchase. */
function recencyReason(
  then: HealthFactsThen,
  asOfMs: number,
  config: HealthConfig,
  add: AddReason,
): PurchaseThen | undefined {
  let last: PurchaseThen | undefined;
  let firstT = Number.POSITIVE_INFINITY;
  const days = new Set<number>();
  for (const p of then.purchases) {
    if (last === undefined || p.t >= last.t) last = p;
    if (p.t < firstT) firstT = p.t;
    days.add(Math.floor(p.t / DAY_MS));
  }
  const typical =
    days.size >= 2
      ? Math.max(1, (Math.floor(last!.t / DAY_MS) - Math.floor(firstT / DAY_MS)) / (days.size - 1))
      : config.defaultIntervalDays;
  const since = last ? last.t : then.registered.t;
  const idle = (asOfMs - since) / DAY_MS;
  add(
    'recency',
    -config.weights.recency * clamp01((idle / typical - 1) / 2),
    () =>
      last
        ? `${Math.floor(idle)} days since the last purchase; typically ${round1(typical)} days between purchases`
        : `no purchase in ${Math.floor(idle)} days since registration`,
    () => [last ? last.id : then.registered.id],
  );
  return last;
}

/** Value trend: net revenue of the last 90 days against the 90 before. */
function valueTrendReason(then: HealthFactsThen, asOfMs: number, config: HealthConfig, add: AddReason): void {
  let recent = 0;
  let before = 0;
  for (const p of then.purchases) {
    const age = (asOfMs - p.t) / DAY_MS;
    if (age < TREND_WINDOW_DAYS) recent += p.amount;
    else if (age < 2 * TREND_WINDOW_DAYS) before += p.amount;
  }
  for (const r of then.refunds) {
    const age = (asOfMs - r.t) / DAY_MS;
    if (age < TREND_WINDOW_DAYS) recent -= r.amount;
    else if (age < 2 * TREND_WINDOW_DAYS) before -= r.amount;
  }
  if (!(before > 0 && recent < before)) return;
  const drop = (before - recent) / before;
  add(
    'valueTrend',
    -config.weights.valueTrend * clamp01(drop),
    () =>
      `revenue of the last 90 days ${round2(recent)} against ${round2(before)} the 90 before (−${Math.round(drop * 100)} %)`,
    () =>
      then.purchases
        .filter((p) => (asOfMs - p.t) / DAY_MS < 2 * TREND_WINDOW_DAYS)
        .sort((a, b) => a.t - b.t)
        .map((p) => p.id),
  );
}

/** Promises: broken within the lookback, open past their due date. */
function promisesReason(
  promises: ReadonlyMap<string, PromiseThen>,
  asOfMs: number,
  config: HealthConfig,
  add: AddReason,
): void {
  const w = config.weights;
  const lookbackFrom = asOfMs - config.lookbackDays * DAY_MS;
  let promisePoints = 0;
  let broken = 0;
  let overdue = 0;
  const counted: PromiseThen[] = [];
  for (const p of promises.values()) {
    if (p.brokenAt !== null && p.brokenAt >= lookbackFrom) {
      broken += 1;
      promisePoints += w.brokenPromise;
      counted.push(p);
    } else if (p.open && p.due < asOfMs) {
      overdue += 1;
      promisePoints += w.overduePromise;
      counted.push(p);
    }
  }
  add(
    'promises',
    -Math.min(w.promisesCap, promisePoints),
    () => `${broken} promise(s) broken in ${config.lookbackDays} days, ${overdue} open past due`,
    () => counted.flatMap((p) => p.ids),
  );
}

/** Complaints: open ones, and SLA breaches within the lookback. */
function complaintsReason(
  complaints: ReadonlyMap<string, ComplaintThen>,
  asOfMs: number,
  config: HealthConfig,
  add: AddReason,
): void {
  const w = config.weights;
  const lookbackFrom = asOfMs - config.lookbackDays * DAY_MS;
  let complaintPoints = 0;
  let open = 0;
  let breached = 0;
  const flagged: ComplaintThen[] = [];
  for (const c of complaints.values()) {
    let recentBreaches = 0;
    for (const b of c.breaches) if (b.t >= lookbackFrom) recentBreaches += 1;
    if (!c.open && recentBreaches === 0) continue;
    if (c.open) open += 1;
    breached += recentBreaches;
    complaintPoints += (c.open ? w.openComplaint : 0) + recentBreaches * w.breachedComplaint;
    flagged.push(c);
  }
  add(
    'complaints',
    -Math.min(w.complaintsCap, complaintPoints),
    () => `${open} open complaint(s), ${breached} SLA breach(es) in ${config.lookbackDays} days`,
    () => flagged.flatMap((c) => c.ids),
  );
}

/** Sentiment: the end (the last moment) and the drop alert, as of then. */
function sentimentReasons(
  sentiment: SentimentTimelineDoc,
  idAtPosition: ReadonlyMap<number, string>,
  asOfMs: number,
  knownAtMs: number,
  config: HealthConfig,
  add: AddReason,
): void {
  const w = config.weights;
  let seen = 0;
  let end: SentimentTimelineDoc['moments'][number] | undefined;
  for (const m of sentiment.moments) {
    if (isoMs(m.at) > asOfMs) break; // in occurredAt order
    if (isoMs(m.recordedAt) > knownAtMs) continue;
    seen += 1;
    end = m;
  }
  const idOf = (position: number) => idAtPosition.get(position);
  if (end && end.score < 0) {
    const moment = end;
    add(
      'sentimentEnd',
      w.sentimentEnd * Math.max(-1, moment.score),
      () => `the latest moment (${moment.source}, ${moment.at}) scored ${moment.score.toFixed(2)}`,
      () => [idOf(moment.position)].filter(isString),
    );
  }
  // A drop needs a high to fall from: at least two moments.
  if (seen < 2) return;
  const signal = sentimentSignalAt(sentiment, isoOf(asOfMs), Number.isFinite(knownAtMs) ? isoOf(knownAtMs) : undefined);
  if (signal.drop)
    add(
      'sentimentDrop',
      -w.sentimentDrop,
      () => `rolling sentiment fell to ${signal.mean?.toFixed(2) ?? '?'}, well below its recent high`,
      () =>
        sentiment.moments
          .filter((m) => isoMs(m.at) <= asOfMs && isoMs(m.recordedAt) <= knownAtMs)
          .slice(-10)
          .map((m) => idOf(m.position))
          .filter(isString),
    );
}

/** NPS: the latest answer within the lookback, a detractor's or a promoter's. */
function npsReason(nps: HealthFactsThen['nps'], asOfMs: number, config: HealthConfig, add: AddReason): void {
  if (!nps || nps.t < asOfMs - config.lookbackDays * DAY_MS) return;
  const answer = nps;
  if (answer.score <= 6)
    add(
      'nps',
      -config.weights.npsDetractor,
      () => `detractor: NPS ${answer.score}`,
      () => [answer.id],
    );
  else if (answer.score >= 9)
    add(
      'nps',
      config.weights.npsPromoter,
      () => `promoter: NPS ${answer.score}`,
      () => [answer.id],
    );
}

/**
 * A customer's health as of `asOfMs` (business time) and as known at `knownAtMs` (recording time, no
 * limit when absent): only facts that had occurred and been recorded by then count. Null for a customer
 * not registered by then or erased. Pure; the population signals are those of the scoring run the
 * caller chose for that moment.
 */
export function customerHealthAt(
  inputs: HealthInputs,
  asOfMs: number,
  knownAtMs: number = Number.POSITIVE_INFINITY,
  config: HealthConfig = DEFAULT_HEALTH_CONFIG,
): CustomerHealth | null {
  const { health, sentiment, population } = inputs;
  const then = healthFactsThen(health, asOfMs, knownAtMs);
  if (then === null) return null;

  const reasons: HealthContribution[] = [];
  // Details are written only for contributions that move the score (most customers have few).
  const add: AddReason = (signal, points, detail, eventIds, run) => {
    if (points === 0) return;
    const reason: HealthContribution = { signal, points: round1(points), detail: detail(), eventIds: eventIds() };
    if (run !== undefined) reason.run = run;
    reasons.push(reason);
  };

  const last = recencyReason(then, asOfMs, config, add);
  if (population && population.probabilityAlive !== null) {
    const alive = population.probabilityAlive;
    add(
      'probabilityAlive',
      -config.weights.probabilityAlive * (1 - clamp01(alive)),
      () => `P(alive) ${alive.toFixed(2)} in scoring run ${population.run}`,
      () => (last ? [last.id] : []),
      population.run,
    );
  }
  valueTrendReason(then, asOfMs, config, add);
  promisesReason(then.promises, asOfMs, config, add);
  complaintsReason(then.complaints, asOfMs, config, add);
  if (sentiment && sentiment.moments.length > 0)
    sentimentReasons(sentiment, then.idAtPosition, asOfMs, knownAtMs, config, add);
  npsReason(then.nps, asOfMs, config, add);

  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.signal.localeCompare(b.signal));
  const score = round1(Math.min(100, Math.max(0, 100 + reasons.reduce((sum, r) => sum + r.points, 0))));
  return {
    customerId: health.customerId,
    asOf: isoOf(asOfMs),
    knownAt: Number.isFinite(knownAtMs) ? isoOf(knownAtMs) : null,
    score,
    band: bandOf(score, config),
    reasons,
    lastPurchaseAt: last ? new Date(last.t).toISOString() : null,
  };
}

/** ISO text of a time; the last one is kept, as a pass asks the same time for every customer. */
let lastIso = { ms: Number.NaN, text: '' };
function isoOf(ms: number): string {
  if (ms !== lastIso.ms) lastIso = { ms, text: new Date(ms).toISOString() };
  return lastIso.text;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const isString = (x: string | undefined): x is string => typeof x === 'string';
