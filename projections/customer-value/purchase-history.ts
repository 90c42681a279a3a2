// The purchase facts customer-value and lifecycle-stage both fold. Pure, bounded in size, no clock:
// days are UTC epoch days derived from the events' business time.

const MS_PER_DAY = 86_400_000;

/** Distinct purchase days kept for out-of-order arrivals; older days count as distinct. */
export const RECENT_PURCHASE_DAYS_CAP = 32;

export const epochDay = (iso: string): number => Math.floor(Date.parse(iso) / MS_PER_DAY);

export const roundMoney = (amount: number): number => Math.round(amount * 100) / 100;

export interface PurchaseHistory {
  /** Orders recorded (one PurchaseRecorded each). */
  orders: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  /** Distinct UTC days with a purchase (same-day orders merged, as the CLV literature counts). */
  purchaseDays: number;
  /** The most recent distinct purchase days (epoch days, ascending, capped). */
  recentPurchaseDays: number[];
  /** (last purchase day − first purchase day) / (purchaseDays − 1); null below two days. */
  meanInterPurchaseDays: number | null;
}

export const emptyPurchaseHistory = (): PurchaseHistory => ({
  orders: 0,
  firstPurchaseAt: null,
  lastPurchaseAt: null,
  purchaseDays: 0,
  recentPurchaseDays: [],
  meanInterPurchaseDays: null,
});

/** True when `day` is a day not yet counted in the history. */
export function isNewPurchaseDay(history: PurchaseHistory, day: number): boolean {
  if (history.purchaseDays === 0 || history.firstPurchaseAt === null) return true;
  if (history.recentPurchaseDays.includes(day)) return false;
  if (day === epochDay(history.firstPurchaseAt)) return false;
  return true;
}

export function recordPurchase(history: PurchaseHistory, occurredAt: string): PurchaseHistory {
  const day = epochDay(occurredAt);
  const newDay = isNewPurchaseDay(history, day);
  const firstPurchaseAt =
    history.firstPurchaseAt === null || occurredAt < history.firstPurchaseAt ? occurredAt : history.firstPurchaseAt;
  const lastPurchaseAt =
    history.lastPurchaseAt === null || occurredAt > history.lastPurchaseAt ? occurredAt : history.lastPurchaseAt;
  const purchaseDays = history.purchaseDays + (newDay ? 1 : 0);
  const recentPurchaseDays = newDay
    ? [...history.recentPurchaseDays, day].sort((a, b) => a - b).slice(-RECENT_PURCHASE_DAYS_CAP)
    : history.recentPurchaseDays;
  const span = epochDay(lastPurchaseAt) - epochDay(firstPurchaseAt);
  return {
    orders: history.orders + 1,
    firstPurchaseAt,
    lastPurchaseAt,
    purchaseDays,
    recentPurchaseDays,
    meanInterPurchaseDays: purchaseDays >= 2 ? span / (purchaseDays - 1) : null,
  };
}
