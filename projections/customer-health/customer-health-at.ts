import type { HealthBand } from '@rapport/domain';
import { sentimentSignalAt } from '../sentiment-timeline/sentiment-signal';
import type { SentimentTimelineDoc } from '../sentiment-timeline/sentiment-timeline.projection';
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from './health-config';
import type { CustomerHealthDoc, HealthFact } from './customer-health.projection';

const DAY = 86_400_000;
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

interface PromiseThen {
  madeId: string;
  due: number;
  open: boolean;
  ids: string[];
  brokenAt: number | null;
}

interface ComplaintThen {
  open: boolean;
  ids: string[];
  breaches: Array<{ id: string; t: number }>;
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
  const w = config.weights;
  const lookbackFrom = asOfMs - config.lookbackDays * DAY;
  let registered: HealthFact | null = null;
  const purchases: Array<{ id: string; t: number; amount: number }> = [];
  const refunds: Array<{ t: number; amount: number }> = [];
  const promises = new Map<string, PromiseThen>();
  const complaints = new Map<string, ComplaintThen>();
  let nps: { id: string; t: number; score: number } | null = null;
  const idAtPosition = new Map<number, string>();

  for (const f of health.facts) {
    if (f.t > asOfMs || f.r > knownAtMs) continue;
    idAtPosition.set(f.p, f.id);
    switch (f.k) {
      case 'registered':
        registered = f;
        break;
      case 'erased':
        return null;
      case 'purchase':
        purchases.push({ id: f.id, t: f.t, amount: f.amount });
        break;
      case 'refund':
        refunds.push({ t: f.t, amount: f.amount });
        break;
      case 'promise': {
        const p = promises.get(f.ref);
        if (f.step === 'made')
          promises.set(f.ref, { madeId: f.id, due: f.due!, open: true, ids: [f.id], brokenAt: null });
        else if (p) {
          p.ids.push(f.id);
          if (f.step === 'renegotiated') Object.assign(p, { due: f.due!, open: true });
          else if (f.step === 'kept' || f.step === 'cancelled') p.open = false;
          else if (f.step === 'broken') Object.assign(p, { open: false, brokenAt: f.t });
        }
        break;
      }
      case 'complaint': {
        const c = complaints.get(f.ref);
        if (f.step === 'filed') complaints.set(f.ref, { open: true, ids: [f.id], breaches: [] });
        else if (c) {
          c.ids.push(f.id);
          if (f.step === 'resolved') c.open = false;
          else if (f.step === 'reopened') c.open = true;
          else if (f.step === 'breached') c.breaches.push({ id: f.id, t: f.t });
        }
        break;
      }
      case 'survey':
        if (f.kind === 'nps' && f.score !== null && (nps === null || f.t >= nps.t))
          nps = { id: f.id, t: f.t, score: f.score };
        break;
      case 'contact':
      case 'band':
        break;
    }
  }
  if (registered === null) return null;

  const reasons: HealthContribution[] = [];
  const add = (c: HealthContribution) => {
    if (c.points !== 0) reasons.push({ ...c, points: round1(c.points) });
  };

  // Recency against the customer's own rhythm (its mean gap between purchase days).
  const sorted = purchases.slice().sort((a, b) => a.t - b.t);
  const last = sorted[sorted.length - 1];
  const days = new Set(sorted.map((p) => Math.floor(p.t / DAY)));
  const typical =
    days.size >= 2
      ? Math.max(1, (Math.floor(last!.t / DAY) - Math.floor(sorted[0]!.t / DAY)) / (days.size - 1))
      : config.defaultIntervalDays;
  const since = last ? last.t : registered.t;
  const idle = (asOfMs - since) / DAY;
  const ratio = idle / typical;
  add({
    signal: 'recency',
    points: -w.recency * clamp01((ratio - 1) / 2),
    detail: last
      ? `${Math.floor(idle)} days since the last purchase; typically ${round1(typical)} days between purchases`
      : `no purchase in ${Math.floor(idle)} days since registration`,
    eventIds: [last ? last.id : registered.id],
  });

  if (population && population.probabilityAlive !== null) {
    add({
      signal: 'probabilityAlive',
      points: -w.probabilityAlive * (1 - clamp01(population.probabilityAlive)),
      detail: `P(alive) ${population.probabilityAlive.toFixed(2)} in scoring run ${population.run}`,
      eventIds: last ? [last.id] : [],
      run: population.run,
    });
  }

  // Value trend: net revenue of the last 90 days against the 90 before.
  let recent = 0;
  let before = 0;
  const windowIds: string[] = [];
  for (const p of sorted) {
    const age = (asOfMs - p.t) / DAY;
    if (age < TREND_WINDOW_DAYS) recent += p.amount;
    else if (age < 2 * TREND_WINDOW_DAYS) before += p.amount;
    else continue;
    windowIds.push(p.id);
  }
  for (const r of refunds) {
    const age = (asOfMs - r.t) / DAY;
    if (age < TREND_WINDOW_DAYS) recent -= r.amount;
    else if (age < 2 * TREND_WINDOW_DAYS) before -= r.amount;
  }
  if (before > 0 && recent < before) {
    const drop = (before - recent) / before;
    add({
      signal: 'valueTrend',
      points: -w.valueTrend * clamp01(drop),
      detail: `revenue of the last 90 days ${round2(recent)} against ${round2(before)} the 90 before (−${Math.round(drop * 100)} %)`,
      eventIds: windowIds,
    });
  }

  // Promises: broken within the lookback, open past their due date.
  let promisePoints = 0;
  const promiseIds: string[] = [];
  let broken = 0;
  let overdue = 0;
  for (const p of promises.values()) {
    if (p.brokenAt !== null && p.brokenAt >= lookbackFrom) {
      broken += 1;
      promisePoints += w.brokenPromise;
      promiseIds.push(...p.ids);
    } else if (p.open && p.due < asOfMs) {
      overdue += 1;
      promisePoints += w.overduePromise;
      promiseIds.push(...p.ids);
    }
  }
  add({
    signal: 'promises',
    points: -Math.min(w.promisesCap, promisePoints),
    detail: `${broken} promise(s) broken in ${config.lookbackDays} days, ${overdue} open past due`,
    eventIds: promiseIds,
  });

  // Complaints: open ones, and SLA breaches within the lookback.
  let complaintPoints = 0;
  const complaintIds: string[] = [];
  let open = 0;
  let breached = 0;
  for (const c of complaints.values()) {
    const recentBreaches = c.breaches.filter((b) => b.t >= lookbackFrom);
    if (!c.open && recentBreaches.length === 0) continue;
    if (c.open) open += 1;
    breached += recentBreaches.length;
    complaintPoints += (c.open ? w.openComplaint : 0) + recentBreaches.length * w.breachedComplaint;
    complaintIds.push(...c.ids);
  }
  add({
    signal: 'complaints',
    points: -Math.min(w.complaintsCap, complaintPoints),
    detail: `${open} open complaint(s), ${breached} SLA breach(es) in ${config.lookbackDays} days`,
    eventIds: complaintIds,
  });

  // Sentiment: the end (the last moment) and the drop alert, as of then.
  if (sentiment) {
    const seen = sentiment.moments.filter((m) => Date.parse(m.at) <= asOfMs && Date.parse(m.recordedAt) <= knownAtMs);
    const end = seen[seen.length - 1];
    const idOf = (position: number) => idAtPosition.get(position);
    if (end && end.score < 0) {
      add({
        signal: 'sentimentEnd',
        points: w.sentimentEnd * Math.max(-1, end.score),
        detail: `the latest moment (${end.source}, ${end.at}) scored ${end.score.toFixed(2)}`,
        eventIds: [idOf(end.position)].filter(isString),
      });
    }
    if (seen.length > 0) {
      const signal = sentimentSignalAt(
        sentiment,
        new Date(asOfMs).toISOString(),
        Number.isFinite(knownAtMs) ? new Date(knownAtMs).toISOString() : undefined,
      );
      if (signal.drop) {
        add({
          signal: 'sentimentDrop',
          points: -w.sentimentDrop,
          detail: `rolling sentiment fell to ${signal.mean?.toFixed(2) ?? '?'}, well below its recent high`,
          eventIds: seen
            .slice(-10)
            .map((m) => idOf(m.position))
            .filter(isString),
        });
      }
    }
  }

  // NPS: the latest answer within the lookback.
  if (nps && nps.t >= lookbackFrom) {
    if (nps.score <= 6)
      add({ signal: 'nps', points: -w.npsDetractor, detail: `detractor: NPS ${nps.score}`, eventIds: [nps.id] });
    else if (nps.score >= 9)
      add({ signal: 'nps', points: w.npsPromoter, detail: `promoter: NPS ${nps.score}`, eventIds: [nps.id] });
  }

  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.signal.localeCompare(b.signal));
  const score = round1(Math.min(100, Math.max(0, 100 + reasons.reduce((sum, r) => sum + r.points, 0))));
  return {
    customerId: health.customerId,
    asOf: new Date(asOfMs).toISOString(),
    knownAt: Number.isFinite(knownAtMs) ? new Date(knownAtMs).toISOString() : null,
    score,
    band: bandOf(score, config),
    reasons,
    lastPurchaseAt: last ? new Date(last.t).toISOString() : null,
  };
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const isString = (x: string | undefined): x is string => typeof x === 'string';
