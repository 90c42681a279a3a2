import type { CustomerEventType } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import {
  emptyPurchaseHistory,
  epochDay,
  isNewPurchaseDay,
  recordPurchase,
  roundMoney,
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

function addDailyRevenue(doc: CustomerValueDoc, day: number, amount: number): Pick<CustomerValueDoc, 'dailyRevenue' | 'latestActivityDay'> {
  const latestActivityDay = doc.latestActivityDay === null ? day : Math.max(doc.latestActivityDay, day);
  const horizon = latestActivityDay - REVENUE_WINDOW_DAYS;
  const byDay = new Map(doc.dailyRevenue);
  if (day > horizon) byDay.set(day, roundMoney((byDay.get(day) ?? 0) + amount));
  const dailyRevenue = [...byDay.entries()].filter(([d]) => d > horizon).sort((a, b) => a[0] - b[0]);
  return { dailyRevenue, latestActivityDay };
}

/** Recomputes the fields derived from the running totals. */
function withDerived(doc: CustomerValueDoc): CustomerValueDoc {
  const netRevenue = roundMoney(doc.grossRevenue - doc.refunded);
  return {
    ...doc,
    netRevenue,
    averageOrderValue: doc.orders > 0 ? roundMoney(netRevenue / doc.orders) : 0,
    frequency: doc.orders,
    monetary: netRevenue,
    historicalLifetimeValue: roundMoney(netRevenue - doc.acquisitionCost),
  };
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
      const day = epochDay(event.metadata.occurredAt);
      const firstDay = doc.firstPurchaseAt === null ? null : epochDay(doc.firstPurchaseAt);
      const total = event.data.total;
      // The first purchase day's revenue: reset when an earlier day arrives late.
      const firstDayRevenue =
        firstDay === null || day < firstDay ? total : day === firstDay ? doc.firstDayRevenue + total : doc.firstDayRevenue;
      const history = recordPurchase(doc, event.metadata.occurredAt);
      return withDerived({
        ...doc,
        ...history,
        grossRevenue: roundMoney(doc.grossRevenue + total),
        firstDayRevenue: roundMoney(firstDayRevenue),
        ...addDailyRevenue(doc, day, total),
      });
    }
    case 'PurchaseRefunded':
      return withDerived({
        ...doc,
        refunded: roundMoney(doc.refunded + event.data.amount),
        ...addDailyRevenue(doc, epochDay(event.metadata.occurredAt), -event.data.amount),
      });
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
