import { join } from 'node:path';
import { loadBrowserModule } from './browser-module';

interface Point {
  customerShare: number;
  revenueShare: number;
}
interface ConsoleMath {
  paretoCurve(
    revenues: number[],
    totalCustomers: number,
    totalRevenue: number,
    laterPoints?: Point[],
    maxPoints?: number,
  ): Point[];
  customerShareFor(curve: Point[], revenueShare: number): number;
  tierTotals(byStageTier: Record<string, Record<string, { customers: number; netRevenue: number }>>): {
    tiers: Record<'A' | 'B' | 'C', { customers: number; netRevenue: number }>;
    customers: number;
    revenue: number;
    boundaries: Point[];
  };
  stageCounts(byStageTier: Record<string, Record<string, { customers: number }>>, stages: string[]): number[];
  rollingMeans(scores: number[], window?: number): number[];
  peakEnd(moments: { at: string; score: number }[]): {
    peak: { at: string; score: number } | null;
    end: { at: string; score: number } | null;
    peakEnd: number | null;
  };
  stageSpans(
    transitions: { at: string; to: string }[],
    now: string,
  ): { stage: string; from: string; to: string; days: number }[];
  queryString(params: Record<string, unknown>): string;
}

// The very file the browser imports.
const math = loadBrowserModule<ConsoleMath>(join(__dirname, '..', '..', 'console', 'console-math.js'));

describe('console math (the browser module)', () => {
  it('draws the 80/20 curve from the most valuable customer down', () => {
    const curve = math.paretoCurve([10, 80, 5, 5], 4, 100);
    expect(curve).toEqual([
      { customerShare: 0, revenueShare: 0 },
      { customerShare: 0.25, revenueShare: 0.8 },
      { customerShare: 0.5, revenueShare: 0.9 },
      { customerShare: 0.75, revenueShare: 0.95 },
      { customerShare: 1, revenueShare: 1 },
    ]);
    expect(math.customerShareFor(curve, 0.8)).toBe(0.25);
    expect(math.customerShareFor(curve, 0.85)).toBeCloseTo(0.375);
  });

  it('continues a curve known only for the top customers through later points (the tier boundaries) to (1, 1)', () => {
    // 10 customers, 1000 revenue; only the top 2 fetched; tier A ends at 30% of customers with 80%.
    const curve = math.paretoCurve([500, 200], 10, 1000, [
      { customerShare: 0.3, revenueShare: 0.8 },
      { customerShare: 0.6, revenueShare: 0.95 },
    ]);
    expect(curve).toEqual([
      { customerShare: 0, revenueShare: 0 },
      { customerShare: 0.1, revenueShare: 0.5 },
      { customerShare: 0.2, revenueShare: 0.7 },
      { customerShare: 0.3, revenueShare: 0.8 },
      { customerShare: 0.6, revenueShare: 0.95 },
      { customerShare: 1, revenueShare: 1 },
    ]);
  });

  it('keeps the tier boundaries when the fetched head is long enough to be thinned', () => {
    // 20,000 customers, the top 5,000 fetched (40% of revenue); tier A ends at 32% with 80%.
    const head = Array.from({ length: 5000 }, () => 8);
    const boundaries = [
      { customerShare: 0.32, revenueShare: 0.8 },
      { customerShare: 0.6, revenueShare: 0.95 },
    ];
    const curve = math.paretoCurve(head, 20_000, 100_000, boundaries, 100);
    expect(curve.slice(-3)).toEqual([...boundaries, { customerShare: 1, revenueShare: 1 }]);
    expect(math.customerShareFor(curve, 0.8)).toBeCloseTo(0.32, 10);
  });

  it('counts negative net revenue as nothing, survives an empty population and thins long curves', () => {
    expect(math.paretoCurve([-20, 50, 50], 3, 100).map((p) => p.revenueShare)).toEqual([0, 0.5, 1, 1]);
    expect(math.paretoCurve([], 0, 0)).toEqual([
      { customerShare: 0, revenueShare: 0 },
      { customerShare: 1, revenueShare: 1 },
    ]);
    const long = math.paretoCurve(
      Array.from({ length: 5000 }, (_, i) => 5000 - i),
      5000,
      (5000 * 5001) / 2,
      [],
      100,
    );
    expect(long).toHaveLength(100);
    expect(long[0]).toEqual({ customerShare: 0, revenueShare: 0 });
    expect(long[99]).toEqual({ customerShare: 1, revenueShare: 1 });
    for (let i = 1; i < long.length; i += 1)
      expect(long[i]!.revenueShare).toBeGreaterThanOrEqual(long[i - 1]!.revenueShare);
  });

  it('totals the stage × tier summary per tier, with the tier boundaries as curve points', () => {
    const byStageTier = {
      maturity: {
        A: { customers: 2, netRevenue: 700 },
        B: { customers: 1, netRevenue: 50 },
        C: { customers: 0, netRevenue: 0 },
      },
      decline: {
        A: { customers: 1, netRevenue: 100 },
        B: { customers: 2, netRevenue: 100 },
        C: { customers: 4, netRevenue: 50 },
      },
    };
    const totals = math.tierTotals(byStageTier);
    expect(totals.tiers.A).toEqual({ customers: 3, netRevenue: 800 });
    expect(totals.customers).toBe(10);
    expect(totals.revenue).toBe(1000);
    expect(totals.boundaries).toEqual([
      { customerShare: 0.3, revenueShare: 0.8 },
      { customerShare: 0.6, revenueShare: 0.95 },
    ]);
    expect(math.stageCounts(byStageTier, ['prospect', 'maturity', 'decline'])).toEqual([0, 3, 7]);
  });

  it('computes the trailing rolling mean the projection uses (window of 5 moments)', () => {
    expect(math.rollingMeans([1, 0, -1, 0, 1, 1, 1])).toEqual([1, 0.5, 0, 0, 0.2, 0.2, 0.4]);
    expect(math.rollingMeans([0.5, -0.5], 1)).toEqual([0.5, -0.5]);
  });

  it('finds the peak (most intense, the later on ties) and the end of a timeline, whatever the input order', () => {
    const moments = [
      { at: '2024-03-01T00:00:00Z', score: 0.2 },
      { at: '2024-01-01T00:00:00Z', score: -0.9 },
      { at: '2024-02-01T00:00:00Z', score: 0.9 },
    ];
    const result = math.peakEnd(moments);
    expect(result.peak).toEqual({ at: '2024-02-01T00:00:00Z', score: 0.9 });
    expect(result.end).toEqual({ at: '2024-03-01T00:00:00Z', score: 0.2 });
    expect(result.peakEnd).toBe(0.55);
    expect(math.peakEnd([])).toEqual({ peak: null, end: null, peakEnd: null });
  });

  it('turns stage transitions into time spent in each stage up to now', () => {
    const spans = math.stageSpans(
      [
        { at: '2024-01-11T00:00:00Z', to: 'growth' },
        { at: '2024-01-01T00:00:00Z', to: 'acquisition' },
      ],
      '2024-01-31T00:00:00Z',
    );
    expect(spans).toEqual([
      { stage: 'acquisition', from: '2024-01-01T00:00:00Z', to: '2024-01-11T00:00:00Z', days: 10 },
      { stage: 'growth', from: '2024-01-11T00:00:00Z', to: '2024-01-31T00:00:00Z', days: 20 },
    ]);
  });

  it('builds the analyst query string from the filled-in filters only', () => {
    expect(
      math.queryString({
        stage: ['decline', 'departure'],
        tier: 'A',
        region: '',
        netRevenueMin: 0,
        cursor: undefined,
        segment: "Can't Lose Them",
      }),
    ).toBe("stage=decline%2Cdeparture&tier=A&netRevenueMin=0&segment=Can't%20Lose%20Them");
  });
});
