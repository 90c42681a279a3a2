import { givenProjection, projected, purchased, refunded, registered } from '@rapport/testing';
import { evolveLifecycleFacts, lifecycleFactsProjection, type LifecycleFactsDoc } from './lifecycle-facts.projection';

describe('lifecycle-stage projection (facts)', () => {
  it('declares what it handles, with a version', () => {
    expect(lifecycleFactsProjection.handles).toContain('PurchaseRecorded');
    expect(lifecycleFactsProjection.version).toBe(1);
  });

  const spec = givenProjection(lifecycleFactsProjection, { version: 1 });

  it('given a registration only, is a prospect-to-be: no purchase facts', () => {
    spec.given([]).when(registered('c1', '2024-03-01T00:00:00Z')).thenMatches({
      registeredAt: '2024-03-01T00:00:00Z',
      orders: 0,
      purchaseDays: 0,
      lastPurchaseAt: null,
    });
  });

  it('given purchases, keeps count, last purchase and typical interval; ignores events it does not need', () => {
    const purchases = [
      registered('c1', '2024-03-01T00:00:00Z'),
      purchased('c1', '2024-03-02T00:00:00Z', 10),
      purchased('c1', '2024-03-12T00:00:00Z', 10),
      purchased('c1', '2024-03-22T00:00:00Z', 10),
    ];
    const call = projected('CallLogged', '2024-03-23T00:00:00Z', {
      customerId: 'c1',
      callId: 'k1',
      direction: 'inbound',
      durationSeconds: 60,
      agentId: 'a1',
      topic: 't',
      outcome: 'resolved',
    });
    spec.given(purchases).when(call).thenNothing();
    spec
      .given([...purchases, call])
      .when(refunded('c1', '2024-03-23T00:00:00Z', 'o', 5))
      .thenMatches({
        orders: 3,
        purchaseDays: 3,
        lastPurchaseAt: '2024-03-22T00:00:00Z',
        meanInterPurchaseDays: 10,
        refunds: 1,
      });
  });

  it('never changes the document it is given; purchase days stay counted once, out of order too', () => {
    const days = [5, 1, 5, 3, 40, 2, 3, 39];
    let doc: LifecycleFactsDoc | null = null;
    const seen: Array<[LifecycleFactsDoc, string]> = [];
    for (const day of days) {
      doc = evolveLifecycleFacts(doc, purchased('c1', new Date(Date.UTC(2024, 0, day, 12)).toISOString(), 10));
      seen.push([doc!, JSON.stringify(doc)]);
    }
    for (const [earlier, json] of seen) expect(JSON.stringify(earlier)).toBe(json);
    expect(doc).toMatchObject({
      orders: 8,
      purchaseDays: 6,
      recentPurchaseDays: [19723, 19724, 19725, 19727, 19761, 19762],
      meanInterPurchaseDays: 39 / 5,
    });
  });
});
