import { DAY_MS } from '@rapport/domain';
import { quintileScores } from './rfm';
import type { RankFigures } from './score';
import type { ValueTier } from '@rapport/projections/customer-vocabulary';
import { valueTiers } from './value-tier';

/** A buyer's RFM quintile scores (1-5 each). */
export interface RfmScores {
  r: number;
  f: number;
  m: number;
}

/** What scoring reads of the whole population before scoring anyone: recency, RFM quintiles, 80/20 tiers. */
export interface PopulationRanks {
  /** Whole days since the last purchase, ≥ 0; NaN without a purchase. */
  recencyDays(index: number): number;
  /** Null for a customer without an order. */
  rfm(index: number): RfmScores | null;
  tier(index: number): ValueTier;
}

/** The ranks as plain data, by customer index: what a thread scoring part of the population is sent. */
export interface RankData {
  /** Whole days since the last purchase; NaN without a purchase. */
  recency: Float64Array;
  /** RFM quintile scores; 0 for a customer without an order. */
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  tiers: ValueTier[];
}

/** RankData read as PopulationRanks. */
export function ranksOf({ recency, r, f, m, tiers }: RankData): PopulationRanks {
  return {
    recencyDays: (i) => recency[i] as number,
    rfm: (i) => (r[i] === 0 ? null : { r: r[i] as number, f: f[i] as number, m: m[i] as number }),
    tier: (i) => tiers[i] as ValueTier,
  };
}

/** The ranks of customers [from, to), indexed from 0. */
export const sliceRanks = ({ recency, r, f, m, tiers }: RankData, from: number, to: number): RankData => ({
  recency: recency.slice(from, to),
  r: r.slice(from, to),
  f: f.slice(from, to),
  m: m.slice(from, to),
  tiers: tiers.slice(from, to),
});

/**
 * The ranks of a population of `length` customers at `nowMs`: RFM quintiles over the customers with at
 * least one order (R: fewer days better; F: more orders; M: more net revenue), 80/20 tiers by net revenue.
 */
export function populationRankData(
  figures: RankFigures,
  length: number,
  nowMs: number,
  tierShares: { tierAShare: number; tierBShare: number },
): RankData {
  const buyers: number[] = [];
  for (let i = 0; i < length; i += 1) if (figures.orders(i) > 0) buyers.push(i);
  const recency = new Float64Array(length);
  for (let i = 0; i < length; i += 1) {
    const last = figures.lastPurchaseMs(i);
    recency[i] = Number.isNaN(last) ? Number.NaN : Math.max(0, Math.floor((nowMs - last) / DAY_MS));
  }
  const scores = (values: (i: number) => number, higherIsBetter: boolean): Uint8Array => {
    const byBuyer = quintileScores(
      buyers.map((i) => values(i)),
      higherIsBetter,
    );
    const byCustomer = new Uint8Array(length);
    buyers.forEach((i, b) => (byCustomer[i] = byBuyer[b] as number));
    return byCustomer;
  };
  const tiers = valueTiers(
    Array.from({ length }, (_, i) => ({ id: figures.id(i), netRevenue: figures.netRevenue(i) })),
    tierShares.tierAShare,
    tierShares.tierBShare,
  );
  return {
    recency,
    r: scores((i) => recency[i] as number, false),
    f: scores((i) => figures.frequency(i), true),
    m: scores((i) => figures.monetary(i), true),
    tiers,
  };
}

/** populationRankData read as PopulationRanks. */
export const populationRanks = (
  figures: RankFigures,
  length: number,
  nowMs: number,
  tierShares: { tierAShare: number; tierBShare: number },
): PopulationRanks => ranksOf(populationRankData(figures, length, nowMs, tierShares));
