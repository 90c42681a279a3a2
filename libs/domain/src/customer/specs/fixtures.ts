import type { CommandOfType, CustomerCommandType, DecidedEvent } from '@rapport/domain';
import { at, type GivenEvent } from '@rapport/testing';

export const CUSTOMER = 'c-1';
export const T0 = '2024-01-01T00:00:00.000Z';
export const T1 = '2024-01-02T00:00:00.000Z';
export const T2 = '2024-01-03T00:00:00.000Z';
export const T3 = '2024-01-04T00:00:00.000Z';
export const BEFORE_T0 = '2023-12-31T00:00:00.000Z';

export const registered: GivenEvent = at(T0, {
  type: 'CustomerRegistered',
  data: {
    customerId: CUSTOMER,
    name: 'Li Wei',
    email: 'li.wei@example.com',
    acquisitionChannel: 'web',
    acquisitionCost: 12.5,
    region: 'east',
    city: 'Shanghai',
    demographics: { ageBand: '25-34' },
  },
});

export const purchased = (orderId = 'o-1', total = 30, when = T1, currency = 'CNY'): GivenEvent =>
  at(when, {
    type: 'PurchaseRecorded',
    data: {
      customerId: CUSTOMER,
      orderId,
      lines: [{ sku: 'sku-1', category: 'books', quantity: 3, unitPrice: total / 3 }],
      total,
      currency,
    },
  });

export const promiseMade = (promiseId = 'p-1', dueAt = T2, when = T1): GivenEvent =>
  at(when, {
    type: 'PromiseMade',
    data: {
      customerId: CUSTOMER,
      promiseId,
      description: 'call back with the refund status',
      dueAt,
      madeBy: 'agent-1',
      withinPolicy: true,
    },
  });

export const complaintFiled = (complaintId = 'k-1', when = T1): GivenEvent =>
  at(when, {
    type: 'ComplaintFiled',
    data: {
      customerId: CUSTOMER,
      complaintId,
      category: 'delivery',
      severity: 'high',
      description: 'parcel arrived broken',
    },
  });

export const event = (when: string, e: DecidedEvent): GivenEvent => at(when, e);

/** A command of a type with `customerId` filled in and business time T1 unless given. */
export function command<T extends CustomerCommandType>(
  type: T,
  fields: Omit<CommandOfType<T>, 'type' | 'customerId' | 'occurredAt'> & { occurredAt?: string; customerId?: string },
): CommandOfType<T> {
  return { type, customerId: CUSTOMER, occurredAt: T1, ...fields } as unknown as CommandOfType<T>;
}
