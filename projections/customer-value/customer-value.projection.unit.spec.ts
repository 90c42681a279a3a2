import { fold, projected, purchased, refunded, registered } from '@rapport/testing';
import {
  customerValueProjection,
  evolveCustomerValue,
  REVENUE_WINDOW_DAYS,
  type CustomerValueDoc,
} from './customer-value.projection';
import { epochDay } from './purchase-history';
import { DAY_MS } from '@rapport/domain';

const value = (...events: Parameters<typeof fold>[1]) =>
  fold<CustomerValueDoc>(evolveCustomerValue, events) as CustomerValueDoc;

describe('customer-value projection', () => {
  it('declares its events, version and indexes', () => {
    expect(customerValueProjection.handles).toEqual(
      expect.arrayContaining(['CustomerRegistered', 'PurchaseRecorded', 'PurchaseRefunded']),
    );
    expect(customerValueProjection.version).toBeGreaterThanOrEqual(1);
    expect(customerValueProjection.indexes.length).toBeGreaterThan(0);
  });

  it('given a registration, keeps region and acquisition cost, with no purchase yet', () => {
    const doc = value(registered('c1', '2024-01-01T10:00:00Z', { acquisitionCost: 25, region: 'North' }));
    expect(doc).toMatchObject({
      id: 'c1',
      region: 'North',
      orders: 0,
      netRevenue: 0,
      acquisitionCost: 25,
      historicalLifetimeValue: -25,
      firstPurchaseAt: null,
      meanInterPurchaseDays: null,
    });
  });

  it('given purchases and a refund, counts orders, net revenue, average order value and lifetime value', () => {
    const doc = value(
      registered('c1', '2024-01-01T10:00:00Z', { acquisitionCost: 10 }),
      purchased('c1', '2024-01-05T10:00:00Z', 100, 'o1'),
      purchased('c1', '2024-01-05T18:00:00Z', 50, 'o2'),
      purchased('c1', '2024-01-25T09:00:00Z', 30.1, 'o3'),
      purchased('c1', '2024-02-14T09:00:00Z', 19.9, 'o4'),
      refunded('c1', '2024-02-20T09:00:00Z', 'o1', 40),
    );
    expect(doc).toMatchObject({
      orders: 4,
      grossRevenue: 200,
      refunded: 40,
      netRevenue: 160,
      averageOrderValue: 40,
      frequency: 4,
      monetary: 160,
      historicalLifetimeValue: 150,
      firstPurchaseAt: '2024-01-05T10:00:00Z',
      lastPurchaseAt: '2024-02-14T09:00:00Z',
      purchaseDays: 3, // two orders on 5 January merge into one day
      meanInterPurchaseDays: 20, // 40 days over two gaps
      firstDayRevenue: 150,
    });
    expect(doc.dailyRevenue).toEqual([
      [epochDay('2024-01-05T00:00:00Z'), 150],
      [epochDay('2024-01-25T00:00:00Z'), 30.1],
      [epochDay('2024-02-14T00:00:00Z'), 19.9],
      [epochDay('2024-02-20T00:00:00Z'), -40],
    ]);
  });

  it('given purchases out of order, finds the same first and last purchase and interval', () => {
    const inOrder = value(
      purchased('c1', '2024-01-01T00:00:00Z', 10),
      purchased('c1', '2024-01-11T00:00:00Z', 10),
      purchased('c1', '2024-01-31T00:00:00Z', 10),
    );
    const shuffled = value(
      purchased('c1', '2024-01-31T00:00:00Z', 10),
      purchased('c1', '2024-01-01T00:00:00Z', 10),
      purchased('c1', '2024-01-11T00:00:00Z', 10),
    );
    for (const doc of [inOrder, shuffled]) {
      expect(doc).toMatchObject({
        firstPurchaseAt: '2024-01-01T00:00:00Z',
        lastPurchaseAt: '2024-01-31T00:00:00Z',
        purchaseDays: 3,
        meanInterPurchaseDays: 15,
        firstDayRevenue: 10,
      });
    }
  });

  it('keeps daily revenue bounded to the two 90-day windows before the latest activity', () => {
    const events = [];
    for (let i = 0; i < 400; i += 1)
      events.push(purchased('c1', new Date(Date.UTC(2023, 0, 1) + i * DAY_MS).toISOString(), 1));
    const doc = value(...events);
    expect(doc.dailyRevenue.length).toBe(REVENUE_WINDOW_DAYS);
    expect(doc.recentPurchaseDays.length).toBeLessThanOrEqual(32);
    expect(doc.purchaseDays).toBe(400);
    expect(doc.meanInterPurchaseDays).toBe(1);
  });

  it('updates the region from a profile change and marks erasure without losing the figures', () => {
    const doc = value(
      registered('c1', '2024-01-01T10:00:00Z', { region: 'East' }),
      purchased('c1', '2024-01-02T10:00:00Z', 10),
      projected('CustomerProfileUpdated', '2024-01-03T10:00:00Z', { customerId: 'c1', changes: { region: 'West' } }),
      projected('CustomerErased', '2024-01-04T10:00:00Z', { customerId: 'c1', reason: 'request' }),
    );
    expect(doc).toMatchObject({ region: 'West', erased: true, netRevenue: 10, orders: 1 });
  });

  it('never changes the document it is given, though the next one shares its untouched parts', () => {
    const events = [registered('c1', '2023-01-01T00:00:00Z')];
    for (let i = 0; i < 300; i += 1) {
      const at = new Date(Date.UTC(2023, 0, 1) + ((i * 37) % 300) * DAY_MS).toISOString(); // out of order
      events.push(i % 7 === 0 ? refunded('c1', at, `o-${i}`, 3) : purchased('c1', at, 10 + i, `o-${i}`));
    }
    let doc: CustomerValueDoc | null = null;
    const seen: Array<[CustomerValueDoc, string]> = [];
    for (const event of events) {
      doc = evolveCustomerValue(doc, event);
      seen.push([doc!, JSON.stringify(doc)]);
    }
    for (const [earlier, json] of seen) expect(JSON.stringify(earlier)).toBe(json);
    expect(doc!.dailyRevenue.map(([day]) => day)).toEqual(
      [...doc!.dailyRevenue.map(([day]) => day)].sort((a, b) => a - b),
    );
    expect(doc!.dailyRevenue[0]![0]).toBeGreaterThan(doc!.latestActivityDay! - REVENUE_WINDOW_DAYS);
    expect(doc!.orders).toBe(300 - Math.ceil(300 / 7));
  });

  it('is deterministic: the same events give the same document', () => {
    const events = [
      registered('c1', '2024-01-01T10:00:00Z'),
      purchased('c1', '2024-01-02T10:00:00Z', 10),
      refunded('c1', '2024-01-03T10:00:00Z', 'x', 5),
    ];
    expect(value(...events)).toEqual(value(...events));
  });
});
