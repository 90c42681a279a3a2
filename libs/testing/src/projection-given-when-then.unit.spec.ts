import type { ProjectedEvent, Projection } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { at, withMetadata } from './given-when-then';
import { givenProjection } from './projection-given-when-then';

interface OrdersDoc extends Doc {
  orders: number;
  total: number;
}

/** A small read model: orders and revenue per customer, deleted on erasure. */
const orders: Projection<OrdersDoc> = {
  name: 'orders',
  version: 2,
  handles: ['CustomerRegistered', 'PurchaseRecorded', 'CustomerErased'],
  indexes: [],
  evolve: (doc, event) => {
    switch (event.type) {
      case 'CustomerRegistered':
        return { id: event.data.customerId, orders: 0, total: 0 };
      case 'PurchaseRecorded':
        return doc && { ...doc, orders: doc.orders + 1, total: doc.total + event.data.total };
      case 'CustomerErased':
        return null;
      default:
        return doc;
    }
  },
};

const registered = (customerId: string) =>
  at('2024-01-01T00:00:00Z', {
    type: 'CustomerRegistered',
    data: {
      customerId,
      name: 'N',
      acquisitionChannel: 'web',
      acquisitionCost: 0,
      region: 'East',
      city: 'Shanghai',
      demographics: {},
    },
  });
const purchased = (customerId: string, total: number) =>
  at('2024-02-01T00:00:00Z', {
    type: 'PurchaseRecorded',
    data: { customerId, orderId: `o-${total}`, lines: [], total, currency: 'CNY' },
  });
const called = (customerId: string) =>
  at('2024-03-01T00:00:00Z', {
    type: 'CallLogged',
    data: {
      customerId,
      callId: 'k1',
      direction: 'inbound',
      durationSeconds: 60,
      agentId: 'a',
      topic: 't',
      outcome: 'resolved',
    },
  });

describe('givenProjection', () => {
  it('given past events, when one more, then the document folded through evolve', () => {
    givenProjection(orders)
      .given([registered('c1'), purchased('c1', 30)])
      .when(purchased('c1', 12))
      .then({ id: 'c1', orders: 2, total: 42 });
  });

  it('checks some fields with thenMatches and returns the document', () => {
    const doc = givenProjection(orders)
      .given([registered('c1')])
      .when(purchased('c1', 5))
      .thenMatches({ orders: 1 });
    expect(doc.total).toBe(5);
  });

  it("folds only the events of the when event's document", () => {
    givenProjection(orders)
      .given([registered('c1'), registered('c2'), purchased('c2', 99)])
      .when(purchased('c1', 1))
      .then({ id: 'c1', orders: 1, total: 1 });
  });

  it('fails naming the projection, its version and the event when the document differs', () => {
    const spec = givenProjection(orders).given([registered('c1')]);
    expect(() => spec.when(purchased('c1', 3)).then({ id: 'c1', orders: 1, total: 4 })).toThrow(
      /orders v2, when PurchaseRecorded/,
    );
  });

  it('an event type it does not handle changes nothing, and then() says so', () => {
    const spec = givenProjection(orders).given([registered('c1'), purchased('c1', 7)]);
    spec.when(called('c1')).thenNothing();
    expect(() => spec.when(called('c1')).then({ id: 'c1', orders: 1, total: 7 })).toThrow(/expect thenNothing/);
  });

  it('thenNothing fails when the event changes the document', () => {
    expect(() =>
      givenProjection(orders)
        .given([registered('c1')])
        .when(purchased('c1', 1))
        .thenNothing(),
    ).toThrow();
  });

  it('thenDeleted when evolve returns null, and then() says the document is gone', () => {
    const erased = at('2024-04-01T00:00:00Z', { type: 'CustomerErased', data: { customerId: 'c1', reason: 'asked' } });
    const spec = givenProjection(orders).given([registered('c1'), purchased('c1', 7)]);
    spec.when(erased).thenDeleted();
    expect(() => spec.when(erased).thenMatches({})).toThrow(/expect thenDeleted/);
    expect(() => spec.when(purchased('c1', 1)).thenDeleted()).toThrow();
  });

  it('takes projected events as they are (stream, revision, position)', () => {
    const event = { ...withMetadata(registered('c9')), streamId: 'customer-c9', revision: 0, position: 41 };
    givenProjection(orders).given([]).when(event).then({ id: 'c9', orders: 0, total: 0 });
  });

  it('fails an evolve that changes the document or the event it is given', () => {
    const mutating: Projection<OrdersDoc> = {
      ...orders,
      evolve: (doc, event) => {
        if (doc && event.type === 'PurchaseRecorded') {
          doc.orders += 1;
          return doc;
        }
        return orders.evolve(doc, event);
      },
    };
    expect(() =>
      givenProjection(mutating)
        .given([registered('c1')])
        .when(purchased('c1', 1))
        .thenMatches({ orders: 1 }),
    ).toThrow(TypeError);
  });

  it('pins the version the expectations were written for', () => {
    expect(() => givenProjection(orders, { version: 2 })).not.toThrow();
    expect(() => givenProjection(orders, { version: 1 })).toThrow(
      /spec written for orders v1, the projection is orders v2/,
    );
  });

  it('asks which document when an event names several', () => {
    // One document per agent and per customer: a purchase feeds both.
    const byParty: Projection<OrdersDoc> = {
      ...orders,
      handles: ['PurchaseRecorded'],
      keyOf: (event: ProjectedEvent) => [event.data.customerId, `agent-${event.metadata.actor.id}`],
      evolve: (doc, event) =>
        event.type === 'PurchaseRecorded'
          ? { id: doc?.id ?? 'agent-test', orders: (doc?.orders ?? 0) + 1, total: (doc?.total ?? 0) + event.data.total }
          : doc,
    };
    const spec = givenProjection(byParty).given([purchased('c1', 2)]);
    expect(() => spec.when(purchased('c1', 3)).thenNothing()).toThrow(/pass one as when\(event, key\)/);
    spec.when(purchased('c1', 3), 'agent-test').then({ id: 'agent-test', orders: 2, total: 5 });
  });
});
