// The purchase facts customer-value and lifecycle-stage both fold. Pure, bounded in size, no clock:
// days are UTC epoch days derived from the events' business time.
import { DAY_MS } from '@rapport/domain';

/** Distinct purchase days kept for out-of-order arrivals; older days count as distinct. */
export const RECENT_PURCHASE_DAYS_CAP = 32;

export const epochDay = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS);

/**
 * The epoch day of a time already kept in a document (first or last purchase): read back on every
 * purchase and rarely changed, so the last two asked are remembered and a fold parses each once.
 */
let isoA: string | null = null;
let dayA = 0;
let isoB: string | null = null;
let dayB = 0;
export function storedEpochDay(iso: string): number {
  if (iso === isoA) return dayA;
  if (iso === isoB) return dayB;
  isoB = isoA;
  dayB = dayA;
  isoA = iso;
  dayA = epochDay(iso);
  return dayA;
}

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
  if (day === storedEpochDay(history.firstPurchaseAt)) return false;
  return true;
}

/** `days` (ascending, distinct) with `day` inserted in order, keeping the latest RECENT_PURCHASE_DAYS_CAP. */
function withRecentDay(days: readonly number[], day: number): number[] {
  let at = days.length;
  while (at > 0 && days[at - 1]! > day) at--; // usually the end: purchases mostly arrive in order
  const from = days.length + 1 > RECENT_PURCHASE_DAYS_CAP ? 1 : 0;
  if (at < from) return days.slice(); // older than every day kept: dropped by the cap
  const next = days.slice(from, at);
  next.push(day);
  for (let k = at; k < days.length; k++) next.push(days[k]!);
  return next;
}

/** The history after one more order at `occurredAt`; `day` is its epoch day when the caller has it. */
export function recordPurchase(
  history: PurchaseHistory,
  occurredAt: string,
  day: number = epochDay(occurredAt),
): PurchaseHistory {
  const newDay = isNewPurchaseDay(history, day);
  const firstIsNew = history.firstPurchaseAt === null || occurredAt < history.firstPurchaseAt;
  const lastIsNew = history.lastPurchaseAt === null || occurredAt > history.lastPurchaseAt;
  const firstPurchaseAt = firstIsNew ? occurredAt : history.firstPurchaseAt!;
  const lastPurchaseAt = lastIsNew ? occurredAt : history.lastPurchaseAt!;
  const purchaseDays = history.purchaseDays + (newDay ? 1 : 0);
  const recentPurchaseDays = newDay ? withRecentDay(history.recentPurchaseDays, day) : history.recentPurchaseDays;
  const span =
    (lastIsNew ? day : storedEpochDay(lastPurchaseAt)) - (firstIsNew ? day : storedEpochDay(firstPurchaseAt));
  return {
    orders: history.orders + 1,
    firstPurchaseAt,
    lastPurchaseAt,
    purchaseDays,
    recentPurchaseDays,
    meanInterPurchaseDays: purchaseDays >= 2 ? span / (purchaseDays - 1) : null,
  };
}

/**
 * Records one more order at `occurredAt` on `next`, a copy evolve has just made of `doc` (which it
 * leaves untouched); `day` is the order's epoch day when the caller has it.
 */
export function recordPurchaseOn(next: PurchaseHistory, doc: PurchaseHistory, occurredAt: string, day?: number): void {
  const history = recordPurchase(doc, occurredAt, day);
  next.orders = history.orders;
  next.firstPurchaseAt = history.firstPurchaseAt;
  next.lastPurchaseAt = history.lastPurchaseAt;
  next.purchaseDays = history.purchaseDays;
  next.recentPurchaseDays = history.recentPurchaseDays;
  next.meanInterPurchaseDays = history.meanInterPurchaseDays;
}
