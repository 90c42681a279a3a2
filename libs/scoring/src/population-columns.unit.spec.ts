import {
  evolveCustomerValue,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import { ClvPredictionColumns } from './clv-prediction-columns';
import { PopulationColumns } from './population-columns';
import type { ClvPrediction } from './score';
import { fold, purchased, refunded, registered } from '@rapport/testing';

const DAY = 86_400_000;
const day = (iso: string): number => Math.floor(Date.parse(iso) / DAY);

describe('a scoring run population in columns', () => {
  const buyer = fold(evolveCustomerValue, [
    registered('c-1', '2024-01-02T08:00:00.000Z'),
    purchased('c-1', '2024-01-03T09:30:00.000Z', 120.5, 'o-1'),
    purchased('c-1', '2024-05-03T09:30:00.000Z', 80, 'o-2'),
    refunded('c-1', '2024-05-04T10:00:00.000Z', 'o-2', 20),
  ]) as CustomerValueDoc;
  const prospect = fold(evolveCustomerValue, [registered('c-2', '2024-02-01T00:00:00.000Z')]) as CustomerValueDoc;

  it('gives each customer back with the figures scoring reads, daily revenue only after trendFrom', () => {
    const trendFrom = day('2024-02-01T00:00:00.000Z');
    const columns = new PopulationColumns(trendFrom);
    columns.push(buyer);
    columns.push(prospect);

    const back = columns.valueAt(0);
    for (const field of [
      'id',
      'customerId',
      'registeredAt',
      'region',
      'acquisitionChannel',
      'erased',
      'orders',
      'firstPurchaseAt',
      'lastPurchaseAt',
      'purchaseDays',
      'meanInterPurchaseDays',
      'grossRevenue',
      'netRevenue',
      'averageOrderValue',
      'firstDayRevenue',
      'frequency',
      'monetary',
      'historicalLifetimeValue',
    ] as const)
      expect({ field, value: back[field] }).toEqual({ field, value: buyer[field] });
    expect(back.dailyRevenue).toEqual(buyer.dailyRevenue.filter(([d]) => d > trendFrom));
    expect(back.facts).toEqual([]);
    expect(columns.valueAt(1)).toMatchObject({
      id: 'c-2',
      orders: 0,
      lastPurchaseAt: null,
      meanInterPurchaseDays: null,
    });
    expect([columns.orders(0), columns.lastPurchaseMs(0), columns.netRevenue(0)]).toEqual([
      2,
      Date.parse('2024-05-03T09:30:00.000Z'),
      buyer.netRevenue,
    ]);
    expect(Number.isNaN(columns.lastPurchaseMs(1))).toBe(true);
    expect(columns.counts()).toEqual({ buyers: 1, repeatBuyers: 1 });
    expect([...columns].map((v) => v.id)).toEqual(['c-1', 'c-2']);
  });

  it('keeps a time not written as toISOString writes it as it was', () => {
    const columns = new PopulationColumns(0);
    columns.push({ ...prospect, registeredAt: '2024-02-01T08:00:00+08:00' });
    expect(columns.valueAt(0).registeredAt).toBe('2024-02-01T08:00:00+08:00');
  });
});

describe('CLV predictions in columns', () => {
  it('gives every prediction back as set, nulls included', () => {
    const full: ClvPrediction = {
      probabilityAlive: 0.8123,
      expectedPurchases90: 1.2345,
      predictedClv: 456.78,
      probabilityAliveInterval: [0.7, 0.9],
      expectedPurchases90Interval: [1.1, 1.4],
      purchases90PredictiveInterval: [0, 4],
      predictedClvInterval: [400.1, 520.9],
    };
    const partial: ClvPrediction = {
      ...full,
      predictedClv: null as unknown as number,
      probabilityAliveInterval: null,
      expectedPurchases90Interval: null,
      predictedClvInterval: null,
    };
    const columns = new ClvPredictionColumns();
    columns.set('a', full);
    columns.set('b', partial);
    for (let i = 0; i < 3000; i += 1) columns.set(`x${i}`, full); // grows past its first block
    expect(columns.get('a')).toEqual(full);
    expect(columns.get('b')).toEqual(partial);
    expect(columns.get('x2999')).toEqual(full);
    expect(columns.get('nobody')).toBeUndefined();
    expect(columns.size).toBe(3002);
  });
});

describe('parts of a run population as plain data (for another thread)', () => {
  const customers = Array.from(
    { length: 7 },
    (_, i) =>
      fold(evolveCustomerValue, [
        registered(`c-${i}`, '2024-01-02T08:00:00.000Z'),
        ...Array.from({ length: i }, (_, k) =>
          purchased(`c-${i}`, new Date(Date.UTC(2024, 1 + k, 3 + i)).toISOString(), 10 + i * k, `o-${i}-${k}`),
        ),
      ]) as CustomerValueDoc,
  );

  it('gives the customers of a slice back as the whole population does, indexed from 0', () => {
    const columns = new PopulationColumns(day('2024-02-15T00:00:00.000Z'));
    customers.forEach((c, i) => columns.push(i === 4 ? { ...c, registeredAt: '2024-01-02T16:00:00+08:00' } : c));
    for (const [from, to] of [
      [0, 7],
      [2, 5],
      [5, 7],
      [7, 7],
    ] as const) {
      const part = PopulationColumns.fromData(structuredClone(columns.slice(from, to)));
      expect(part.length).toBe(to - from);
      for (let j = 0; j < to - from; j += 1) {
        expect(part.valueAt(j)).toEqual(columns.valueAt(from + j));
        expect([part.lastPurchaseMs(j), part.netRevenue(j)]).toEqual([
          columns.lastPurchaseMs(from + j),
          columns.netRevenue(from + j),
        ]);
      }
    }
  });
});

describe('a run population put together from parts', () => {
  it('equals the population read in one piece, customer by customer', () => {
    const customers = Array.from(
      { length: 6 },
      (_, i) =>
        fold(evolveCustomerValue, [
          registered(`c-${i}`, i === 5 ? '2024-01-02T16:00:00+08:00' : '2024-01-02T08:00:00.000Z'),
          ...Array.from({ length: i }, (_, k) =>
            purchased(`c-${i}`, new Date(Date.UTC(2024, 1 + k, 3 + i)).toISOString(), 10 + i * k, `o-${i}-${k}`),
          ),
        ]) as CustomerValueDoc,
    );
    const whole = new PopulationColumns(day('2024-02-15T00:00:00.000Z'));
    customers.forEach((c) => whole.push(c));
    const first = new PopulationColumns(day('2024-02-15T00:00:00.000Z'));
    const second = new PopulationColumns(day('2024-02-15T00:00:00.000Z'));
    customers.slice(0, 4).forEach((c) => first.push(c));
    customers.slice(4).forEach((c) => second.push(c));
    first.append(structuredClone(second.slice(0, second.length)));
    expect(first.length).toBe(6);
    expect([...first]).toEqual([...whole]);
    expect(first.counts()).toEqual(whole.counts());
  });
});
