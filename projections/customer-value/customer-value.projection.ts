import type { CustomerEventType } from '@rapport/domain';
import { foldOnOwnCopy, type Projection, type ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import {
  emptyPurchaseHistory,
  epochDay,
  isNewPurchaseDay,
  recordPurchaseOn,
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
  /** Every handled event as a bitemporal fact, in stream order: what the as-of view folds again. */
  facts: ValueFact[];
}

/**
 * One handled event, reduced to what this read model folds, with its business and recording times.
 * Kept so that the document as of any time T (and known at K) can be folded from the document alone.
 */
export type ValueFact =
  | [
      kind: 'registered',
      occurredAt: string,
      recordedAt: string,
      region: string | null,
      city: string | null,
      acquisitionChannel: string | null,
      acquisitionCost: number,
    ]
  | [kind: 'profile', occurredAt: string, recordedAt: string, region: string | null, city: string | null]
  | [kind: 'erased', occurredAt: string, recordedAt: string]
  | [kind: 'purchase', occurredAt: string, recordedAt: string, total: number]
  | [kind: 'refund', occurredAt: string, recordedAt: string, amount: number];

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
    facts: [],
  };
}

/**
 * The daily revenue after `amount` on `day`: days at or before the new horizon drop off the front,
 * the day is added or updated in place of order. On evolve's copy `next` the array is copied (it is
 * bounded by REVENUE_WINDOW_DAYS, and untouched days are shared); a fold, which owns its array
 * (`owned`), changes it in place. Day entries are replaced, never written to: they may be shared.
 */
function addDailyRevenue(next: CustomerValueDoc, day: number, amount: number, owned: boolean): void {
  const latestActivityDay = next.latestActivityDay === null ? day : Math.max(next.latestActivityDay, day);
  const horizon = latestActivityDay - REVENUE_WINDOW_DAYS;
  const days = next.dailyRevenue;
  let start = 0;
  while (start < days.length && days[start]![0] <= horizon) start++;
  next.latestActivityDay = latestActivityDay;
  if (!(day > horizon)) {
    if (start > 0) next.dailyRevenue = owned ? dropFirst(days, start) : days.slice(start);
    return;
  }
  let at = days.length;
  while (at > start && days[at - 1]![0] > day) at--; // usually the end: activity mostly arrives in order
  const sameDay = at > start && days[at - 1]![0] === day;
  const entry: [number, number] = [day, roundMoney((sameDay ? days[at - 1]![1] : 0) + amount)];
  if (owned) {
    if (sameDay) days[at - 1] = entry;
    else if (at === days.length) days.push(entry);
    else days.splice(at, 0, entry);
    if (start > 0) dropFirst(days, start);
    return;
  }
  const dailyRevenue = days.slice(start, sameDay ? at - 1 : at);
  dailyRevenue.push(entry);
  for (let k = at; k < days.length; k++) dailyRevenue.push(days[k]!);
  next.dailyRevenue = dailyRevenue;
}

function dropFirst<T>(items: T[], count: number): T[] {
  items.splice(0, count);
  return items;
}

/**
 * A field-by-field copy for evolve to change before returning it: a literal of the document's own
 * shape costs a fraction of an object spread, and evolve runs for every event of every rebuild.
 */
function copyOf(doc: CustomerValueDoc): CustomerValueDoc {
  return {
    id: doc.id,
    customerId: doc.customerId,
    registeredAt: doc.registeredAt,
    region: doc.region,
    city: doc.city,
    acquisitionChannel: doc.acquisitionChannel,
    acquisitionCost: doc.acquisitionCost,
    erased: doc.erased,
    orders: doc.orders,
    firstPurchaseAt: doc.firstPurchaseAt,
    lastPurchaseAt: doc.lastPurchaseAt,
    purchaseDays: doc.purchaseDays,
    recentPurchaseDays: doc.recentPurchaseDays,
    meanInterPurchaseDays: doc.meanInterPurchaseDays,
    grossRevenue: doc.grossRevenue,
    refunded: doc.refunded,
    netRevenue: doc.netRevenue,
    averageOrderValue: doc.averageOrderValue,
    firstDayRevenue: doc.firstDayRevenue,
    frequency: doc.frequency,
    monetary: doc.monetary,
    historicalLifetimeValue: doc.historicalLifetimeValue,
    dailyRevenue: doc.dailyRevenue,
    latestActivityDay: doc.latestActivityDay,
    facts: doc.facts,
  };
}

/** Sets the fields derived from the running totals on a copy evolve has just made. */
function withDerived(next: CustomerValueDoc): void {
  const netRevenue = roundMoney(next.grossRevenue - next.refunded);
  next.netRevenue = netRevenue;
  next.averageOrderValue = next.orders > 0 ? roundMoney(netRevenue / next.orders) : 0;
  next.frequency = next.orders;
  next.monetary = netRevenue;
  next.historicalLifetimeValue = roundMoney(netRevenue - next.acquisitionCost);
}

const HANDLED: ReadonlySet<string> = new Set(CUSTOMER_VALUE_HANDLES);

export function evolveCustomerValue(current: CustomerValueDoc | null, event: ProjectedEvent): CustomerValueDoc | null {
  const doc = current ?? emptyCustomerValue(event.data.customerId);
  const fact = factOf(event);
  if (fact === null) return doc;
  const next = copyOf(doc);
  applyFact(next, fact, false);
  return next;
}

/** A copy whose arrays the caller may change in place. */
export function ownCopyOf(doc: CustomerValueDoc): CustomerValueDoc {
  const own = copyOf(doc);
  own.dailyRevenue = own.dailyRevenue.slice();
  own.facts = own.facts.slice();
  return own;
}

/**
 * The document after a run of events: equal to folding `evolveCustomerValue` over them (a property
 * test holds it to that) but in one pass. `evolve` copies the document, and the daily revenue, on
 * every purchase; the fold copies them once, then changes its own copy. For replays of one customer's
 * stream, such as the audit's as-of state.
 */
export function foldCustomerValue(
  doc: CustomerValueDoc | null,
  events: Iterable<ProjectedEvent>,
): CustomerValueDoc | null {
  return foldOnOwnCopy(doc, events, {
    handles: HANDLED,
    empty: emptyCustomerValue,
    ownCopy: ownCopyOf,
    apply: (own, event) => applyFact(own, factOf(event) as ValueFact, true),
  });
}

/** The fact a handled event contributes; null for events this read model does not fold. */
function factOf(event: ProjectedEvent): ValueFact | null {
  const { occurredAt } = event.metadata;
  // Synthetic events (tests, benches) may lack a recording time: they were known when they occurred.
  const recordedAt = event.metadata.recordedAt ?? occurredAt;
  switch (event.type) {
    case 'CustomerRegistered':
      return [
        'registered',
        occurredAt,
        recordedAt,
        event.data.region,
        event.data.city,
        event.data.acquisitionChannel,
        event.data.acquisitionCost,
      ];
    case 'CustomerProfileUpdated':
      return ['profile', occurredAt, recordedAt, event.data.changes.region ?? null, event.data.changes.city ?? null];
    case 'CustomerErased':
      return ['erased', occurredAt, recordedAt];
    case 'PurchaseRecorded':
      return ['purchase', occurredAt, recordedAt, event.data.total];
    case 'PurchaseRefunded':
      return ['refund', occurredAt, recordedAt, event.data.amount];
    default:
      return null;
  }
}

/**
 * One fact applied to `next`, a copy the caller owns (its arrays too when `owned`), and appended to
 * its facts. Evolve, the fold and the as-of view all go through here, so they cannot disagree.
 */
export function applyFact(next: CustomerValueDoc, fact: ValueFact, owned: boolean): void {
  if (owned) next.facts.push(fact);
  else next.facts = [...next.facts, fact];
  switch (fact[0]) {
    case 'registered':
      next.registeredAt = fact[1];
      next.region = fact[3];
      next.city = fact[4];
      next.acquisitionChannel = fact[5];
      next.acquisitionCost = fact[6];
      withDerived(next);
      return;
    case 'profile':
      next.region = fact[3] ?? next.region;
      next.city = fact[4] ?? next.city;
      return;
    case 'erased':
      next.erased = true;
      return;
    case 'purchase': {
      const occurredAt = fact[1];
      const day = epochDay(occurredAt);
      const total = fact[3];
      // The first purchase day's revenue: reset when an earlier day arrives late.
      const firstDay = next.firstPurchaseAt === null ? null : storedEpochDay(next.firstPurchaseAt);
      const firstDayRevenue =
        firstDay === null || day < firstDay
          ? total
          : day === firstDay
            ? next.firstDayRevenue + total
            : next.firstDayRevenue;
      recordPurchaseOn(next, next, occurredAt, day);
      next.grossRevenue = roundMoney(next.grossRevenue + total);
      next.firstDayRevenue = roundMoney(firstDayRevenue);
      addDailyRevenue(next, day, total, owned);
      withDerived(next);
      return;
    }
    case 'refund':
      next.refunded = roundMoney(next.refunded + fact[3]);
      addDailyRevenue(next, epochDay(fact[1]), -fact[3], owned);
      withDerived(next);
      return;
    default: {
      const unhandled: never = fact[0];
      throw new Error(`customer-value: unknown fact ${String(unhandled)}`);
    }
  }
}

export const customerValueProjection: Projection<CustomerValueDoc> = {
  name: 'customer-value',
  // v2: bitemporal facts kept for as-of views.
  version: 2,
  handles: CUSTOMER_VALUE_HANDLES,
  indexes: [{ fields: ['region'] }, { fields: ['netRevenue'] }, { fields: ['lastPurchaseAt'] }],
  evolve: evolveCustomerValue,
};

// Re-exported so callers need one import for the day arithmetic.
export { epochDay, isNewPurchaseDay };
