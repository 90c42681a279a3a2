import { quintileScores } from './rfm';
import type { RankFigures } from './score';
import type { ValueTier } from './analytics-customer';
import { valueTiers } from './value-tier';

const DAY = 86_400_000;

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

/**
 * The ranks of a population of `length` customers at `nowMs`: RFM quintiles over the customers with at
 * least one order (R: fewer days better; F: more orders; M: more net revenue), 80/20 tiers by net revenue.
 */
export function populationRanks(
  figures: RankFigures,
  length: number,
  nowMs: number,
  tierShares: { tierAShare: number; tierBShare: number },
): PopulationRanks {
  const buyers: number[] = [];
  for (let i = 0; i < length; i += 1) if (figures.orders(i) > 0) buyers.push(i);
  const recency = new Float64Array(length);
  for (let i = 0; i < length; i += 1) {
    const last = figures.lastPurchaseMs(i);
    recency[i] = Number.isNaN(last) ? Number.NaN : Math.max(0, Math.floor((nowMs - last) / DAY));
  }
  const r = quintileScores(
    buyers.map((i) => recency[i] as number),
    false,
  );
  const f = quintileScores(
    buyers.map((i) => figures.frequency(i)),
    true,
  );
  const m = quintileScores(
    buyers.map((i) => figures.monetary(i)),
    true,
  );
  const rfmAt = new Int32Array(length).fill(-1);
  buyers.forEach((populationIndex, buyerIndex) => (rfmAt[populationIndex] = buyerIndex));
  const tiers = valueTiers(
    Array.from({ length }, (_, i) => ({ id: figures.id(i), netRevenue: figures.netRevenue(i) })),
    tierShares.tierAShare,
    tierShares.tierBShare,
  );
  return {
    recencyDays: (i) => recency[i] as number,
    rfm: (i) => {
      const b = rfmAt[i] as number;
      return b < 0 ? null : { r: r[b] as number, f: f[b] as number, m: m[b] as number };
    },
    tier: (i) => tiers[i] as ValueTier,
  };
}
