import { roundMoney } from '@rapport/projections/customer-value/purchase-history';
import {
  LIFECYCLE_STAGES,
  VALUE_TIERS,
  type LifecycleStage,
  type ValueTier,
} from '@rapport/projections/customer-vocabulary';
import type { SegmentCell, SegmentSummary } from './score';

type RegionCell = SegmentCell & { tiers: Record<ValueTier, number> };

const emptyCell = (): SegmentCell => ({ customers: 0, netRevenue: 0 });

/** The segments summary of a run, counted one scored customer at a time. */
export class SegmentTally {
  private readonly byStageTier = Object.fromEntries(
    LIFECYCLE_STAGES.map((stage) => [stage, Object.fromEntries(VALUE_TIERS.map((tier) => [tier, emptyCell()]))]),
  ) as Record<LifecycleStage, Record<ValueTier, SegmentCell>>;
  private readonly byRegion = new Map<string | null, RegionCell>();
  private totalRevenue = 0;

  add(stage: LifecycleStage, tier: ValueTier, region: string | null, netRevenue: number): void {
    const cell = this.byStageTier[stage][tier];
    cell.customers += 1;
    cell.netRevenue += netRevenue;
    let regionCell = this.byRegion.get(region);
    if (regionCell === undefined) {
      regionCell = { customers: 0, netRevenue: 0, tiers: { A: 0, B: 0, C: 0 } };
      this.byRegion.set(region, regionCell);
    }
    regionCell.customers += 1;
    regionCell.netRevenue += netRevenue;
    regionCell.tiers[tier] += 1;
    this.totalRevenue += netRevenue;
  }

  /** The summary, money rounded to cents, regions in name order. */
  summary(scoredAt: string, customers: number): SegmentSummary {
    const { byStageTier } = this;
    for (const stage of LIFECYCLE_STAGES)
      for (const tier of VALUE_TIERS)
        byStageTier[stage][tier].netRevenue = roundMoney(byStageTier[stage][tier].netRevenue);
    const regions = [...this.byRegion.entries()]
      .map(([region, cell]) => ({ region, ...cell, netRevenue: roundMoney(cell.netRevenue) }))
      .sort((a, b) => String(a.region).localeCompare(String(b.region)));
    return { scoredAt, customers, netRevenue: roundMoney(this.totalRevenue), byStageTier, byRegion: regions };
  }
}
