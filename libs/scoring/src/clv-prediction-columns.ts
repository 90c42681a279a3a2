import { Float64Column } from './float64-column';
import type { ClvPrediction } from './score';

/** Per-customer CLV predictions by customer id (a Map fits). */
export interface ClvPredictionLookup {
  get(customerId: string): ClvPrediction | undefined;
}

const FIELDS = 11;
type Interval = [number, number] | null;

/**
 * CLV predictions of a whole population in one growing Float64Array (eleven numbers a customer, NaN for null),
 * each prediction made again when asked: a run keeps every customer's from the fit to the last write,
 * and objects with four interval arrays each cost it several times the memory.
 */
export class ClvPredictionColumns implements ClvPredictionLookup {
  private readonly rows = new Map<string, number>();
  private readonly values = new Float64Column(FIELDS * 1024);

  get size(): number {
    return this.rows.size;
  }

  set(customerId: string, p: ClvPrediction): void {
    const row = this.rows.get(customerId) ?? this.rows.size;
    this.rows.set(customerId, row);
    const interval = (i: Interval): [number, number] => (i === null ? [Number.NaN, Number.NaN] : i);
    [
      p.probabilityAlive,
      p.expectedPurchases90,
      p.predictedClv ?? Number.NaN,
      ...interval(p.probabilityAliveInterval),
      ...interval(p.expectedPurchases90Interval),
      ...interval(p.purchases90PredictiveInterval),
      ...interval(p.predictedClvInterval),
    ].forEach((value, k) => this.values.set(row * FIELDS + k, value));
  }

  get(customerId: string): ClvPrediction | undefined {
    const row = this.rows.get(customerId);
    if (row === undefined) return undefined;
    const at = (k: number): number => this.values.at(row * FIELDS + k);
    const interval = (k: number): Interval => (Number.isNaN(at(k)) ? null : [at(k), at(k + 1)]);
    const clv = at(2);
    return {
      probabilityAlive: at(0),
      expectedPurchases90: at(1),
      predictedClv: (Number.isNaN(clv) ? null : clv) as number,
      probabilityAliveInterval: interval(3),
      expectedPurchases90Interval: interval(5),
      purchases90PredictiveInterval: interval(7),
      predictedClvInterval: interval(9),
    };
  }
}
