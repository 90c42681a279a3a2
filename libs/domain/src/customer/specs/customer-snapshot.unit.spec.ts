import {
  decide,
  encodeCustomerState,
  rehydrate,
  restoreCustomerState,
  SnapshotFormatError,
  type CustomerEvent,
} from '@rapport/domain';
import { withMetadata, type GivenEvent } from '@rapport/testing';
import { command, complaintFiled, CUSTOMER, event, promiseMade, purchased, registered, T1, T2, T3 } from './fixtures';

/** Event ids by position, so the same history stored twice is the same (touchpoints are kept by event id). */
const stored = (events: GivenEvent[], from = 0): CustomerEvent[] =>
  events.map((e, i) => withMetadata({ ...e, metadata: { eventId: `ev-${from + i}`, ...e.metadata } }));
/** What the snapshot store keeps and gives back: the encoded state through JSON. */
const throughJson = (events: GivenEvent[]): unknown =>
  JSON.parse(JSON.stringify(encodeCustomerState(rehydrate(stored(events)))));

/** A history touching every part of the state, with prototype-looking ids and a time not in canonical form. */
const history: GivenEvent[] = [
  registered,
  // Recorded before the one id rule refused such ids in commands; the state must still hold it safely.
  purchased('__proto__', 30),
  purchased('valueOf', 8),
  purchased('o-eur', 12, T1, 'EUR'),
  event(T2, {
    type: 'PurchaseRefunded',
    data: { customerId: CUSTOMER, orderId: 'o-eur', refundId: 'constructor', amount: 2.5, currency: 'EUR' },
  }),
  event(T1, {
    type: 'CallLogged',
    data: {
      customerId: CUSTOMER,
      callId: 'toString',
      direction: 'inbound',
      durationSeconds: 5,
      agentId: 'a',
      topic: 't',
      outcome: 'resolved',
    },
  }),
  event(T1, { type: 'SurveyResponded', data: { customerId: CUSTOMER, surveyId: 's-1', kind: 'nps', score: 9 } }),
  promiseMade('p-open', '2024-02-01T00:00:00Z'),
  promiseMade('p-kept'),
  event(T2, { type: 'PromiseKept', data: { customerId: CUSTOMER, promiseId: 'p-kept', keptBy: 'a' } }),
  promiseMade('p-late'),
  event(T3, { type: 'PromiseBecameOverdue', data: { customerId: CUSTOMER, promiseId: 'p-late', dueAt: T2 } }),
  complaintFiled('k-ack'),
  event(T2, { type: 'ComplaintAcknowledged', data: { customerId: CUSTOMER, complaintId: 'k-ack', by: 'a' } }),
  event(T3, {
    type: 'ComplaintSlaBreached',
    data: { customerId: CUSTOMER, complaintId: 'k-ack', sla: 'resolution', dueAt: T2 },
  }),
  complaintFiled('k-done'),
  event(T2, {
    type: 'ComplaintSlaBreached',
    data: { customerId: CUSTOMER, complaintId: 'k-done', sla: 'acknowledgement', dueAt: T1 },
  }),
  event(T3, {
    type: 'ComplaintResolved',
    data: { customerId: CUSTOMER, complaintId: 'k-done', by: 'a', resolution: 'r' },
  }),
  ...(['f-open', 'f-done', 'f-gone'] as const).map((followUpId, i) =>
    event(T1, {
      type: 'FollowUpScheduled',
      data: {
        customerId: CUSTOMER,
        followUpId,
        rule: (['revisit', 'sentiment_drop', 'manual'] as const)[i]!,
        reasons: [{ code: 'r', detail: 'd', eventIds: [] }],
        dueAt: T2,
        assignee: i === 0 ? { team: 'key-accounts' } : { agentId: 'a', team: 't' },
        priority: 'p2',
      },
    }),
  ),
  event(T2, {
    type: 'FollowUpCompleted',
    data: {
      customerId: CUSTOMER,
      followUpId: 'f-done',
      outcome: 'contacted',
      touchpointEventId: 'x',
      completedBy: 'a',
    },
  }),
  event(T2, {
    type: 'FollowUpDismissed',
    data: { customerId: CUSTOMER, followUpId: 'f-gone', dismissedBy: 'a', reason: 'r' },
  }),
  event(T2, {
    type: 'CustomerHealthBandChanged',
    data: { customerId: CUSTOMER, from: null, to: 'watch', score: 50, reasons: [] },
  }),
];

describe('customer snapshot', () => {
  it('restores exactly the state it was taken from, for every status', () => {
    const erased = [...history, event(T3, { type: 'CustomerErased', data: { customerId: CUSTOMER, reason: 'asked' } })];
    for (const events of [[], history, erased]) {
      expect(restoreCustomerState(throughJson(events))).toEqual(rehydrate(stored(events)));
    }
  });

  it('folds the events after the snapshot without changing the snapshot', () => {
    const later: GivenEvent[] = [
      event(T3, {
        type: 'PromiseRenegotiated',
        data: { customerId: CUSTOMER, promiseId: 'p-open', previousDueAt: '2024-02-01T00:00:00Z', newDueAt: T3 },
      }),
      event(T3, {
        type: 'PurchaseRefunded',
        data: { customerId: CUSTOMER, orderId: '__proto__', refundId: 'r-2', amount: 30, currency: 'CNY' },
      }),
    ];
    const encoded = Object.freeze(throughJson(history));
    const before = JSON.stringify(encoded);
    expect(restoreCustomerState(encoded, stored(later, history.length))).toEqual(
      rehydrate(stored([...history, ...later])),
    );
    expect(JSON.stringify(encoded)).toBe(before);
  });

  it('decides from a restored state as from the replayed one', () => {
    const state = restoreCustomerState(throughJson(history));
    expect(() =>
      decide(
        command('RecordPurchase', {
          orderId: 'valueOf',
          lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 1 }],
          total: 1,
          currency: 'CNY',
        }),
        state,
      ),
    ).toThrow(expect.objectContaining({ rule: 'order.duplicate_id' }));
    expect(() => decide(command('RefundPurchase', { orderId: 'o-eur', refundId: 'r-9', amount: 10 }), state)).toThrow(
      expect.objectContaining({ rule: 'refund.exceeds_paid' }),
    );
    // The due time goes back into the event exactly as it was recorded.
    expect(
      decide(
        command('MarkPromiseOverdue', {
          promiseId: 'p-open',
          occurredAt: '2024-02-01T00:00:00Z',
          noticedAt: T3.replace('01-04', '02-02'),
        }),
        state,
      ),
    ).toEqual([
      {
        type: 'PromiseBecameOverdue',
        data: { customerId: CUSTOMER, promiseId: 'p-open', dueAt: '2024-02-01T00:00:00Z' },
      },
    ]);
    expect(() => decide(command('KeepPromise', { promiseId: 'p-kept', keptBy: 'a', occurredAt: T3 }), state)).toThrow(
      expect.objectContaining({ rule: 'promise.not_open' }),
    );
    expect(() =>
      decide(command('AcknowledgeComplaint', { complaintId: 'k-ack', by: 'a', occurredAt: T3 }), state),
    ).toThrow(expect.objectContaining({ rule: 'complaint.already_acknowledged' }));
    expect(decide(command('ReopenComplaint', { complaintId: 'k-done', occurredAt: T3 }), state)).toHaveLength(1);
  });

  it('refuses what is not a snapshot of this version', () => {
    const good = throughJson(history) as unknown[];
    const promiseStatuses = 13;
    const broken = [
      null,
      { status: 'active' },
      [0, ...good.slice(1)],
      good.slice(0, -1),
      good.map((field, i) => (i === 4 ? [...(field as unknown[]), 'o-extra'] : field)),
      good.map((field, i) => (i === promiseStatuses ? (field as unknown[]).map(() => 9) : field)),
      good.map((field, i) => (i === 9 ? [1] : field)),
    ];
    for (const encoded of broken) expect(() => restoreCustomerState(encoded)).toThrow(SnapshotFormatError);
  });
});
