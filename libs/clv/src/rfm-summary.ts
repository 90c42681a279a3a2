import { InvalidClvInputError, requireFinite } from './clv-errors';

export type TimeUnit = 'days' | 'weeks';

/** One purchase: when and for how much (in the shop's currency). */
export interface Purchase {
  at: Date;
  amount: number;
}

/** A purchase of a known customer, for summarising a whole population at once. */
export interface CustomerPurchase extends Purchase {
  customerId: string;
}

/**
 * The frequency / recency / age summary of the BG/NBD and Gamma-Gamma literature, in `unit`s:
 * - frequency: number of repeat purchase days (distinct purchase days after the first);
 * - recency: time from the first purchase day to the last one (0 when frequency is 0);
 * - T: time from the first purchase day to the observation end day;
 * - monetaryValue: mean amount of the repeat purchase days (same-day amounts summed), 0 when frequency is 0.
 */
export interface CustomerSummary {
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
}

export interface SummaryOptions {
  /** Calibration end: purchases after this day are ignored; T is measured to this day. */
  observationEnd: Date;
  unit: TimeUnit;
  /**
   * Offset of the shop's local time from UTC in minutes (e.g. 60 for CET), used to decide which
   * purchases fall on the same calendar day. Default 0 (UTC days).
   */
  utcOffsetMinutes?: number;
}

const MS_PER_DAY = 86_400_000;
const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7 };

/**
 * Summarises one customer's purchases as lifetimes' `summary_data_from_transaction_data` does with
 * daily periods (same-day purchases merged, first purchase excluded from the monetary value), the
 * day counts divided by 7 for weeks. Returns null when the customer bought nothing up to observationEnd.
 */
export function summarizePurchases(purchases: readonly Purchase[], options: SummaryOptions): CustomerSummary | null {
  const endDay = dayNumber(options.observationEnd, options, 'observationEnd');
  const perUnit = DAYS_PER_UNIT[options.unit];
  if (perUnit === undefined) throw new InvalidClvInputError('unit', "must be 'days' or 'weeks'");
  const amountByDay = new Map<number, number>();
  purchases.forEach((purchase, index) => {
    requireFinite(purchase.amount, 'amount', index);
    const day = dayNumber(purchase.at, options, 'at', index);
    if (day <= endDay) amountByDay.set(day, (amountByDay.get(day) ?? 0) + purchase.amount);
  });
  if (amountByDay.size === 0) return null;
  const days = [...amountByDay.keys()].sort((x, y) => x - y);
  const first = days[0] as number;
  const last = days[days.length - 1] as number;
  const frequency = days.length - 1;
  let repeatTotal = 0;
  for (const day of days.slice(1)) repeatTotal += amountByDay.get(day) as number;
  return {
    frequency,
    recency: (last - first) / perUnit,
    T: (endDay - first) / perUnit,
    monetaryValue: frequency > 0 ? repeatTotal / frequency : 0,
  };
}

/** Summarises every customer in `purchases` (any order); customers with no purchase up to the end are left out. */
export function summarizePopulation(
  purchases: readonly CustomerPurchase[],
  options: SummaryOptions,
): Map<string, CustomerSummary> {
  const byCustomer = new Map<string, Purchase[]>();
  purchases.forEach((purchase, index) => {
    if (typeof purchase.customerId !== 'string' || purchase.customerId === '') {
      throw new InvalidClvInputError('customerId', 'must be a non-empty string', index);
    }
    let list = byCustomer.get(purchase.customerId);
    if (!list) byCustomer.set(purchase.customerId, (list = []));
    list.push(purchase);
  });
  const summaries = new Map<string, CustomerSummary>();
  for (const [customerId, list] of byCustomer) {
    const summary = summarizePurchases(list, options);
    if (summary) summaries.set(customerId, summary);
  }
  return summaries;
}

function dayNumber(at: Date, options: SummaryOptions, field: string, index?: number): number {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new InvalidClvInputError(field, 'must be a valid Date', index);
  return Math.floor((at.getTime() + (options.utcOffsetMinutes ?? 0) * 60_000) / MS_PER_DAY);
}
