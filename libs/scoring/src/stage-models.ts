import { DAY_MS } from '@rapport/domain';
import { fitBgNbd, probabilityAliveUnder, type BgNbdParams, type FrequencyRecencyAge } from '@rapport/clv';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { BuyerDays } from './read-population';
import type { ModelCalendar, StageModel } from './stage-history';
import { MIN_CLV_CUSTOMERS } from './clv-model';

/** A BG/NBD fit in force from `fromMs` on, fitted on what had occurred by then. */
export interface CalendarModel {
  fromMs: number;
  params: BgNbdParams;
}

/** UTC quarter starts strictly after `fromMs` and strictly before `toMs`. */
export function quarterStarts(fromMs: number, toMs: number): number[] {
  const from = new Date(fromMs);
  const out: number[] = [];
  for (let q = Date.UTC(from.getUTCFullYear(), Math.floor(from.getUTCMonth() / 3) * 3 + 3, 1); q < toMs;) {
    out.push(q);
    const d = new Date(q);
    q = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
  }
  return out;
}

/** Buyers a quarter's fit uses at most: beyond it, a sample chosen by customer id (the same in any store). */
export const STAGE_MODEL_SAMPLE = 20_000;

/** FNV-1a of the id, as a fraction in [0, 1): a customer's place in every quarter's sample. */
function sampleKey(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash / 2 ** 32;
}

/** The BG/NBD summary (in days) of purchase days at `day`, as clvSummaryOf computes it; null before the first. */
function summaryAt(days: ArrayLike<number>, day: number): FrequencyRecencyAge | null {
  let count = 0;
  while (count < days.length && (days[count] as number) <= day) count++;
  if (count === 0) return null;
  const first = days[0] as number;
  return { frequency: count - 1, recency: (days[count - 1] as number) - first, T: day - first };
}

/**
 * The P(alive) models over business time that stage histories use: a BG/NBD fit at each UTC quarter
 * start before the as-of time, each on what had occurred by that date (point in time, as known at the
 * run's known-at time), each warm-started from the one before. A quarter with more than
 * STAGE_MODEL_SAMPLE buyers is fitted on a sample chosen by customer id, so the fit costs the same
 * whatever the population and is the same in any store holding the same events. Quarters with too few
 * buyers, or whose fit the data cannot identify, have no model: stage rules then ignore P(alive) until
 * the next.
 */
export function fitStageModels(buyers: readonly BuyerDays[], at: AsOf): CalendarModel[] {
  if (buyers.length === 0) return [];
  const keys = buyers.map((b) => sampleKey(b.id));
  let earliest = Number.POSITIVE_INFINITY;
  for (const b of buyers) earliest = Math.min(earliest, b.days[0] as number);
  const models: CalendarModel[] = [];
  let initial: BgNbdParams | undefined;
  for (const fromMs of quarterStarts(earliest * DAY_MS, at.asOfMs)) {
    const day = Math.floor(fromMs / DAY_MS);
    let count = 0;
    for (const b of buyers) if ((b.days[0] as number) <= day) count += 1;
    const share = Math.min(1, STAGE_MODEL_SAMPLE / Math.max(1, count));
    const population: FrequencyRecencyAge[] = [];
    buyers.forEach((b, i) => {
      if ((keys[i] as number) >= share) return;
      const summary = summaryAt(b.days, day);
      if (summary !== null) population.push(summary);
    });
    if (population.length < MIN_CLV_CUSTOMERS || !population.some((s) => s.frequency > 0)) continue;
    try {
      const fit = fitBgNbd(population, initial ? { initial, maxRestarts: 2 } : { maxRestarts: 2 });
      if (fit.warnings.some((w) => /search bound/.test(w))) continue;
      models.push({ fromMs, params: fit.params });
      initial = fit.params;
    } catch {
      // An optimiser failure leaves the quarter without a model, as too few buyers would.
    }
  }
  return models;
}

/** The calendar of a run's models (its `stageModels` record): the latest fit at or before a moment is in force. */
export function modelCalendar(models: readonly CalendarModel[]): ModelCalendar {
  const fitted = models.map(({ fromMs, params }) => ({
    fromMs,
    model: probabilityAliveUnder(params),
  }));
  return {
    changes: fitted.map((m) => m.fromMs),
    modelAt: (ms) => {
      let found: StageModel | null = null;
      for (const m of fitted) if (m.fromMs <= ms) found = m.model;
      return found;
    },
  };
}
