import { fitBgNbd, probabilityAlive, type BgNbdParams, type FrequencyRecencyAge } from '@rapport/clv';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import type { StageModelAt } from '@rapport/projections/scoring/stage-history';
import { MIN_CLV_CUSTOMERS } from './clv-model';

const DAY = 86_400_000;

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

/** Distinct purchase days (epoch days, ascending) of an as-of customer-value document. */
function purchaseDaysOf(doc: CustomerValueDoc): number[] {
  const days = new Set<number>();
  for (const fact of doc.facts) if (fact[0] === 'purchase') days.add(Math.floor(Date.parse(fact[1]) / DAY));
  return [...days].sort((a, b) => a - b);
}

/** The BG/NBD summary (in days) of purchase days at `day`, as clvSummaryOf computes it; null before the first. */
function summaryAt(days: readonly number[], day: number): FrequencyRecencyAge | null {
  let count = 0;
  while (count < days.length && (days[count] as number) <= day) count++;
  if (count === 0) return null;
  const first = days[0] as number;
  return { frequency: count - 1, recency: (days[count - 1] as number) - first, T: day - first };
}

/**
 * The P(alive) models over business time that stage histories use: a BG/NBD fit at each UTC quarter
 * start before the as-of time, each on what had occurred by that date (point in time, as known at
 * the run's known-at time), each warm-started from the one before. Quarters with too few buyers, or
 * whose fit the data cannot identify, have no model: stage rules then ignore P(alive) until the next.
 */
export function fitStageModels(values: readonly CustomerValueDoc[], at: AsOf): CalendarModel[] {
  const histories = values.map(purchaseDaysOf).filter((days) => days.length > 0);
  if (histories.length === 0) return [];
  const earliest = Math.min(...histories.map((days) => days[0] as number)) * DAY;
  const models: CalendarModel[] = [];
  let initial: BgNbdParams | undefined;
  for (const fromMs of quarterStarts(earliest, at.asOfMs)) {
    const day = Math.floor(fromMs / DAY);
    const population: FrequencyRecencyAge[] = [];
    for (const days of histories) {
      const summary = summaryAt(days, day);
      if (summary !== null) population.push(summary);
    }
    if (population.length < MIN_CLV_CUSTOMERS || !population.some((s) => s.frequency > 0)) continue;
    try {
      const fit = fitBgNbd(population, initial ? { initial } : {});
      if (fit.warnings.some((w) => /search bound/.test(w))) continue;
      models.push({ fromMs, params: fit.params });
      initial = fit.params;
    } catch {
      // An optimiser failure leaves the quarter without a model, as too few buyers would.
    }
  }
  return models;
}

/** The model in force at a moment: the latest calendar fit at or before it. */
export function modelAtOf(models: readonly CalendarModel[]): StageModelAt {
  return (ms) => {
    let found: CalendarModel | null = null;
    for (const model of models) if (model.fromMs <= ms) found = model;
    if (found === null) return null;
    const params = found.params;
    return (summary) => probabilityAlive(params, summary);
  };
}
