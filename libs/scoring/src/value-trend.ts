import { roundMoney } from '@rapport/projections/customer-value/purchase-history';
import type { TrendDirection } from './analytics-customer';

export interface ValueTrend {
  revenueLast: number;
  revenuePrev: number;
  trend: number;
  ratio: number | null;
  direction: TrendDirection;
}

/**
 * Net revenue in the window (nowDay − W, nowDay] against (nowDay − 2W, nowDay − W], from daily
 * revenue pairs [epoch day, amount]. Direction: flat when |ratio| ≤ flatBand (or both windows empty),
 * up when the earlier window is empty and the later is not.
 */
export function valueTrend(
  dailyRevenue: ReadonlyArray<readonly [number, number]>,
  nowDay: number,
  windowDays: number,
  flatBand: number,
): ValueTrend {
  let last = 0;
  let prev = 0;
  for (const [day, amount] of dailyRevenue) {
    const age = nowDay - day;
    if (age < 0) continue;
    if (age < windowDays) last += amount;
    else if (age < 2 * windowDays) prev += amount;
  }
  const revenueLast = roundMoney(last);
  const revenuePrev = roundMoney(prev);
  const trend = roundMoney(revenueLast - revenuePrev);
  const ratio = revenuePrev > 0 ? trend / revenuePrev : null;
  let direction: TrendDirection;
  if (ratio !== null) direction = Math.abs(ratio) <= flatBand ? 'flat' : ratio > 0 ? 'up' : 'down';
  else direction = revenueLast > 0 ? 'up' : revenueLast < 0 ? 'down' : 'flat';
  return { revenueLast, revenuePrev, trend, ratio, direction };
}
