import { given } from '@rapport/testing';
import { MAX_PURCHASE_LINES } from '../customer-command-values';
import { command, CUSTOMER, event, purchased, registered, T0, T1, T2 } from './fixtures';

const line = (quantity: number, unitPrice: number) => ({ sku: 'sku-1', category: 'books', quantity, unitPrice });
const purchase = (fields: Record<string, unknown> = {}) =>
  command('RecordPurchase', {
    orderId: 'o-1',
    lines: [line(2, 9.99), line(1, 0.02)],
    total: 20,
    currency: 'CNY',
    ...fields,
  });
const refund = (fields: Record<string, unknown> = {}) =>
  command('RefundPurchase', { occurredAt: T2, orderId: 'o-1', refundId: 'r-1', amount: 10, ...fields });
const refunded = (amount: number, refundId = 'r-0') =>
  event(T2, {
    type: 'PurchaseRefunded',
    data: { customerId: CUSTOMER, orderId: 'o-1', refundId, amount, currency: 'CNY' },
  });

describe('purchases', () => {
  it('records a purchase with its lines', () => {
    given([registered])
      .when(purchase())
      .then([
        {
          type: 'PurchaseRecorded',
          data: {
            customerId: CUSTOMER,
            orderId: 'o-1',
            lines: [line(2, 9.99), line(1, 0.02)],
            total: 20,
            currency: 'CNY',
          },
        },
      ]);
  });

  it('refuses the same order id twice', () => {
    given([registered, purchased('o-1')])
      .when(purchase())
      .thenThrows('order.duplicate_id', { kind: 'conflict', field: 'orderId' });
  });

  it('accepts as many lines as a purchase may hold', () => {
    given([registered])
      .when(
        purchase({ lines: Array.from({ length: MAX_PURCHASE_LINES }, () => line(1, 1)), total: MAX_PURCHASE_LINES }),
      )
      .then([expect.objectContaining({ type: 'PurchaseRecorded' })]);
  });

  it('accepts a total within one cent of the lines (rounding)', () => {
    given([registered])
      .when(purchase({ lines: [line(3, 3.333)], total: 10 }))
      .then([expect.objectContaining({ type: 'PurchaseRecorded' })]);
  });

  it('accepts a SKU that is a name rather than an id (spaces allowed), as the HTTP body does', () => {
    given([registered])
      .when(purchase({ lines: [{ ...line(1, 5), sku: 'SKU 1042 / blue' }], total: 5 }))
      .then([expect.objectContaining({ type: 'PurchaseRecorded' })]);
  });

  it.each([
    [{ orderId: 'o 1' }, 'value.invalid_id', 'orderId'],
    [{ total: 20.02 }, 'purchase.total_mismatch', 'total'],
    [{ lines: [] }, 'purchase.no_lines', 'lines'],
    [{ lines: [line(0, 5)], total: 0 }, 'value.not_positive', 'lines[0].quantity'],
    [{ lines: [line(1.5, 2)], total: 3 }, 'value.not_an_integer', 'lines[0].quantity'],
    [{ lines: [line(1, -5)], total: -5 }, 'value.negative', 'lines[0].unitPrice'],
    [{ lines: [{ ...line(1, 5), sku: '' }], total: 5 }, 'value.required', 'lines[0].sku'],
    [{ currency: 'yuan' }, 'currency.invalid', 'currency'],
    [{ orderId: '' }, 'value.required', 'orderId'],
    [
      { lines: Array.from({ length: MAX_PURCHASE_LINES + 1 }, () => line(1, 0)), total: 0 },
      'purchase.too_many_lines',
      'lines',
    ],
    [{ lines: [line(2 ** 53 + 2, 0)], total: 0 }, 'value.not_an_integer', 'lines[0].quantity'],
  ] as const)('rejects %p with %s naming %s', (fields, rule, field) => {
    given([registered]).when(purchase(fields)).thenThrows(rule, { kind: 'invalid', field });
  });
});

describe('refunds', () => {
  it('refunds part of an order in its currency', () => {
    given([registered, purchased('o-1', 30)])
      .when(refund({ reason: 'damaged' }))
      .then([
        {
          type: 'PurchaseRefunded',
          data: {
            customerId: CUSTOMER,
            orderId: 'o-1',
            refundId: 'r-1',
            amount: 10,
            currency: 'CNY',
            reason: 'damaged',
          },
        },
      ]);
  });

  it('refunds exactly what is left to refund', () => {
    given([registered, purchased('o-1', 30), refunded(20)])
      .when(refund({ amount: 10 }))
      .then([expect.objectContaining({ type: 'PurchaseRefunded' })]);
  });

  it('never refunds more than was paid for the order, over all its refunds', () => {
    given([registered, purchased('o-1', 30), refunded(20)])
      .when(refund({ amount: 10.01 }))
      .thenThrows('refund.exceeds_paid', { kind: 'conflict', field: 'amount' });
  });

  it('never refunds more than the order total in one go', () => {
    given([registered, purchased('o-1', 30)])
      .when(refund({ amount: 31 }))
      .thenThrows('refund.exceeds_paid');
  });

  it('refuses a refund of an unknown order as not found', () => {
    given([registered]).when(refund()).thenThrows('order.unknown', { kind: 'not_found', field: 'orderId' });
  });

  it('refuses the same refund id twice', () => {
    given([registered, purchased('o-1', 30), refunded(5, 'r-1')])
      .when(refund())
      .thenThrows('refund.duplicate_id', { kind: 'conflict' });
  });

  it('refuses a refund in another currency than the order', () => {
    given([registered, purchased('o-1', 30)])
      .when(refund({ currency: 'USD' }))
      .thenThrows('refund.currency_mismatch', { field: 'currency' });
  });

  it('refuses a refund dated before its purchase', () => {
    given([registered, purchased('o-1', 30, T2)])
      .when(refund({ occurredAt: T1 }))
      .thenThrows('refund.before_purchase', { kind: 'invalid' });
  });

  it.each([
    [{ amount: 0 }, 'value.not_positive', 'amount'],
    [{ amount: -3 }, 'value.not_positive', 'amount'],
    [{ currency: 'cny' }, 'currency.invalid', 'currency'],
    [{ refundId: '' }, 'value.required', 'refundId'],
  ] as const)('rejects %p with %s naming %s', (fields, rule, field) => {
    given([registered, purchased('o-1', 30, T0)])
      .when(refund(fields))
      .thenThrows(rule, { kind: 'invalid', field });
  });
});
