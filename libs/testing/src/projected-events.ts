// Builders of projected events for read-model tests: a customer's events in order, positions counted.
import type { CustomerEvent, CustomerEventType, EventOfType } from '@rapport/domain';
import type { ProjectedEvent } from '@rapport/projection-engine';

let position = 0;

export function projected<T extends CustomerEventType>(
  type: T,
  occurredAt: string,
  data: EventOfType<T>['data'],
  actorId = 'agent-1',
): ProjectedEvent {
  position += 1;
  const event = {
    type,
    data,
    metadata: {
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      occurredAt,
      recordedAt: occurredAt,
      actor: { id: actorId, role: actorId === 'system' ? 'system' : 'agent' },
      channel: 'web',
      correlationId: `corr-${position}`,
      causationId: null,
      schemaVersion: 1,
    },
  } as CustomerEvent;
  return { ...event, streamId: `customer-${data.customerId}`, revision: position - 1, position };
}

/** Folds events through an evolve, starting from no document. */
export function fold<D>(
  evolve: (doc: D | null, event: ProjectedEvent) => D | null,
  events: ProjectedEvent[],
  start: D | null = null,
): D | null {
  return events.reduce<D | null>((doc, event) => evolve(doc, event), start);
}

export const registered = (
  customerId: string,
  at: string,
  extra: Partial<EventOfType<'CustomerRegistered'>['data']> = {},
): ProjectedEvent =>
  projected('CustomerRegistered', at, {
    customerId,
    name: 'enc:name',
    acquisitionChannel: 'web',
    acquisitionCost: 10,
    region: 'East',
    city: 'Shanghai',
    demographics: {},
    ...extra,
  });

export const purchased = (
  customerId: string,
  at: string,
  total: number,
  orderId = `o-${at}-${total}`,
): ProjectedEvent =>
  projected('PurchaseRecorded', at, {
    customerId,
    orderId,
    lines: [{ sku: 'sku-1', category: 'cd', quantity: 1, unitPrice: total }],
    total,
    currency: 'USD',
  });

export const refunded = (customerId: string, at: string, orderId: string, amount: number): ProjectedEvent =>
  projected('PurchaseRefunded', at, { customerId, orderId, refundId: `r-${orderId}-${at}`, amount, currency: 'USD' });
