import type { CommandOfType } from '../commands/customer-commands';
import { InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import { toCents, type ActiveCustomer, type DecidedEvent } from './customer-state';
import { dictGet } from './dict';

// Purchases and refunds; `at` is the command's business time in milliseconds.

/** An order is recorded once per customer (lines summing to the total is a value check). */
export function recordPurchase(command: CommandOfType<'RecordPurchase'>, state: ActiveCustomer): DecidedEvent[] {
  const { customerId, orderId, lines, total, currency } = command;
  if (dictGet(state.orders, orderId))
    throw new RuleViolationError('order.duplicate_id', `order ${orderId} is already recorded`, 'orderId');
  const copied = lines.map(({ sku, category, quantity, unitPrice }) => ({ sku, category, quantity, unitPrice }));
  return [{ type: 'PurchaseRecorded', data: { customerId, orderId, lines: copied, total, currency } }];
}

/** A refund names a recorded order, once, in its currency, after it, and never for more than is left. */
export function refundPurchase(
  command: CommandOfType<'RefundPurchase'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, orderId, refundId, amount, reason } = command;
  const order = dictGet(state.orders, orderId);
  if (!order)
    throw new NotFoundError('order.unknown', `order ${orderId} is not recorded for customer ${customerId}`, 'orderId');
  if (dictGet(state.refundIds, refundId))
    throw new RuleViolationError('refund.duplicate_id', `refund ${refundId} is already recorded`, 'refundId');
  const currency = command.currency ?? order.currency;
  if (currency !== order.currency) {
    throw new RuleViolationError(
      'refund.currency_mismatch',
      `order ${orderId} was paid in ${order.currency}, not ${currency}`,
      'currency',
    );
  }
  if (at < Date.parse(order.purchasedAt)) {
    throw new InvalidValueError(
      'refund.before_purchase',
      'occurredAt',
      `the refund occurs before order ${orderId} was purchased`,
    );
  }
  const refundable = order.paidCents - order.refundedCents;
  if (toCents(amount) > refundable) {
    throw new RuleViolationError(
      'refund.exceeds_paid',
      `refund of ${amount} ${currency} exceeds what is left to refund on order ${orderId} (${refundable / 100})`,
      'amount',
    );
  }
  return [{ type: 'PurchaseRefunded', data: compact({ customerId, orderId, refundId, amount, currency, reason }) }];
}
