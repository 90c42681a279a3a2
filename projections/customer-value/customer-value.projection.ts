import type { CustomerEventType } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import {
  emptyPurchaseHistory,
  epochDay,
  isNewPurchaseDay,
  recordPurchase,
  roundMoney,
  storedEpochDay,
  type PurchaseHistory,
} from './purchase-history';

/** Daily net revenue is kept for this many days before the customer's latest activity (two 90-day windows). */
export const REVENUE_WINDOW_DAYS = 180;

/** One customer's value facts. Everything here follows from events alone; clock-dependent scores live in scoring. */
export interface CustomerValueDoc extends Doc, PurchaseHistory {
  customerId: string;
  registeredAt: string | null;
  region: string | null;
  city: string | null;
  acquisitionChannel: string | null;
  acquisitionCost: number;
  erased: boolean;
  grossRevenue: number;
  refunded: number;
  /** grossRevenue − refunded. */
  netRevenue: number;
  /** netRevenue / orders (0 without orders). */
  averageOrderValue: number;
  /** Gross revenue of the first purchase day: what the repeat spend excludes. */
  firstDayRevenue: number;
  /** RFM frequency: orders. */
  frequency: number;
  /** RFM monetary: net revenue. */
  monetary: number;
  /** netRevenue − acquisitionCost. */
  historicalLifetimeValue: number;
  /** [epoch day, net revenue that day] for days within REVENUE_WINDOW_DAYS of the latest activity. */
  dailyRevenue: Array<[number, number]>;
  /** Latest purchase or refund day seen (epoch day). */
  latestActivityDay: number | null;
}

export const CUSTOMER_VALUE_HANDLES = [
  'CustomerRegistered',
  'CustomerProfileUpdated',
  'CustomerErased',
  'PurchaseRecorded',
  'PurchaseRefunded',
] as const satisfies readonly CustomerEventType[];

export function emptyCustomerValue(customerId: string): CustomerValueDoc {
  return {
    id: customerId,
    customerId,
    registeredAt: null,
    region: null,
    city: null,
    acquisitionChannel: null,
    acquisitionCost: 0,
    erased: false,
    ...emptyPurchaseHistory(),
    grossRevenue: 0,
    refunded: 0,
    netRevenue: 0,
    averageOrderValue: 0,
    firstDayRevenue: 0,
    frequency: 0,
    monetary: 0,
    historicalLifetimeValue: 0,
    dailyRevenue: [],
    latestActivityDay: null,
  };
}

/**
 * The daily revenue after `amount` on `day`: days at or before the new horizon drop off the front,
 * the day is added or updated in place of order. The array is bounded (REVENUE_WINDOW_DAYS), so one
 * copy per event is bounded too; untouched days are shared with the previous document.
 */
function addDailyRevenue(doc: CustomerValueDoc, day: number, amount: number): Pick<CustomerValueDoc, 'dailyRevenue' | 'latestActivityDay'> {
  const latestActivityDay = doc.latestActivityDay === null ? day : Math.max(doc.latestActivityDay, day);
  const horizon = latestActivityDay - REVENUE_WINDOW_DAYS;
  const days = doc.dailyRevenue;
  let start = 0;
  while (start < days.length && days[start]![0] <= horizon) start++;
  if (!(day > horizon)) return { dailyRevenue: start === 0 ? days : days.slice(start), latestActivityDay };
  let at = days.length;
  while (at > start && days[at - 1]![0] > day) at--; // usually the end: activity mostly arrives in order
  const sameDay = at > start && days[at - 1]![0] === day;
  const dailyRevenue = days.slice(start, sameDay ? at - 1 : at);
  dailyRevenue.push([day, roundMoney((sameDay ? days[at - 1]![1] : 0) + amount)]);
  for (let k = at; k < days.length; k++) dailyRevenue.push(days[k]!);
  return { dailyRevenue, latestActivityDay };
}

/** Sets the fields derived from the running totals on a document this fold has just created. */
function withDerived(doc: CustomerValueDoc): CustomerValueDoc {
  const netRevenue = roundMoney(doc.grossRevenue - doc.refunded);
  doc.netRevenue = netRevenue;
  doc.averageOrderValue = doc.orders > 0 ? roundMoney(netRevenue / doc.orders) : 0;
  doc.frequency = doc.orders;
  doc.monetary = netRevenue;
  doc.historicalLifetimeValue = roundMoney(netRevenue - doc.acquisitionCost);
  return doc;
}

export function evolveCustomerValue(current: CustomerValueDoc | null, event: ProjectedEvent): CustomerValueDoc | null {
  const doc = current ?? emptyCustomerValue(event.data.customerId);
  switch (event.type) {
    case 'CustomerRegistered':
      return withDerived({
        ...doc,
        registeredAt: event.metadata.occurredAt,
        region: event.data.region,
        city: event.data.city,
        acquisitionChannel: event.data.acquisitionChannel,
        acquisitionCost: event.data.acquisitionCost,
      });
    case 'CustomerProfileUpdated':
      return {
        ...doc,
        region: event.data.changes.region ?? doc.region,
        city: event.data.changes.city ?? doc.city,
      };
    case 'CustomerErased':
      return { ...doc, erased: true };
    case 'PurchaseRecorded': {
      const occurredAt = event.metadata.occurredAt;
      const day = epochDay(occurredAt);
      const total = event.data.total;
      // The first purchase day's revenue: reset when an earlier day arrives late.
      const firstDay = doc.firstPurchaseAt === null ? null : storedEpochDay(doc.firstPurchaseAt);
      const firstDayRevenue =
        firstDay === null || day < firstDay ? total : day === firstDay ? doc.firstDayRevenue + total : doc.firstDayRevenue;
      const history = recordPurchase(doc, occurredAt, day);
      const { dailyRevenue, latestActivityDay } = addDailyRevenue(doc, day, total);
      return withDerived({
        ...doc,
        orders: history.orders,
        firstPurchaseAt: history.firstPurchaseAt,
        lastPurchaseAt: history.lastPurchaseAt,
        purchaseDays: history.purchaseDays,
        recentPurchaseDays: history.recentPurchaseDays,
        meanInterPurchaseDays: history.meanInterPurchaseDays,
        grossRevenue: roundMoney(doc.grossRevenue + total),
        firstDayRevenue: roundMoney(firstDayRevenue),
        dailyRevenue,
        latestActivityDay,
      });
    }
    case 'PurchaseRefunded': {
      const { dailyRevenue, latestActivityDay } = addDailyRevenue(doc, epochDay(event.metadata.occurredAt), -event.data.amount);
      return withDerived({ ...doc, refunded: roundMoney(doc.refunded + event.data.amount), dailyRevenue, latestActivityDay });
    }
    default:
      return doc;
  }
}

export const customerValueProjection: Projection<CustomerValueDoc> = {
  name: 'customer-value',
  version: 1,
  handles: CUSTOMER_VALUE_HANDLES,
  indexes: [{ fields: ['region'] }, { fields: ['netRevenue'] }, { fields: ['lastPurchaseAt'] }],
  evolve: evolveCustomerValue,
};

// Re-exported so callers need one import for the day arithmetic.
export { epochDay, isNewPurchaseDay };
