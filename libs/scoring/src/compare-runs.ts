import type { ReadStore } from '@rapport/read-store';
import type { LifecycleStage, ValueTier } from '@rapport/projections/customer-vocabulary';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import type { ScoringRunRecord } from './scoring-run';

/** How the customers scored in both runs moved from one to the other (when both runs kept their customers). */
export interface CustomerMovement {
  /** Customers scored in both runs. */
  inBoth: number;
  onlyInA: number;
  onlyInB: number;
  /** `from → to` counts of stage changes, e.g. { "maturity": { "decline": 12 } }. */
  stages: Partial<Record<LifecycleStage, Partial<Record<LifecycleStage, number>>>>;
  tiers: Partial<Record<ValueTier, Partial<Record<ValueTier, number>>>>;
  /** Sum of predicted CLV over customers with one in both runs. */
  predictedClv: { a: number; b: number };
}

export interface RunComparison {
  a: ScoringRunRecord;
  b: ScoringRunRecord;
  movement: CustomerMovement | null;
}

const bump = <K extends string>(table: Partial<Record<K, Partial<Record<K, number>>>>, from: K, to: K): void => {
  const row: Partial<Record<K, number>> = table[from] ?? {};
  row[to] = (row[to] ?? 0) + 1;
  table[from] = row;
};

/** Both run records, and how their customers moved, read with one merged pass over both collections (id order). */
export async function compareRuns(store: ReadStore, a: ScoringRunRecord, b: ScoringRunRecord): Promise<RunComparison> {
  if (a.customers === null || b.customers === null) return { a, b, movement: null };
  const movement: CustomerMovement = {
    inBoth: 0,
    onlyInA: 0,
    onlyInB: 0,
    stages: {},
    tiers: {},
    predictedClv: { a: 0, b: 0 },
  };
  const left = store.scan<AnalyticsCustomerDoc>(a.customers, 5000)[Symbol.asyncIterator]();
  const right = store.scan<AnalyticsCustomerDoc>(b.customers, 5000)[Symbol.asyncIterator]();
  let x = await left.next();
  let y = await right.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value.id < y.value.id)) {
      movement.onlyInA += 1;
      x = await left.next();
    } else if (x.done || y.value.id < x.value.id) {
      movement.onlyInB += 1;
      y = await right.next();
    } else {
      movement.inBoth += 1;
      if (x.value.stage !== y.value.stage) bump(movement.stages, x.value.stage, y.value.stage);
      if (x.value.tier !== y.value.tier) bump(movement.tiers, x.value.tier, y.value.tier);
      if (x.value.predictedClv !== null && y.value.predictedClv !== null) {
        movement.predictedClv.a += x.value.predictedClv;
        movement.predictedClv.b += y.value.predictedClv;
      }
      x = await left.next();
      y = await right.next();
    }
  }
  movement.predictedClv = {
    a: Math.round(movement.predictedClv.a * 100) / 100,
    b: Math.round(movement.predictedClv.b * 100) / 100,
  };
  return { a, b, movement };
}
