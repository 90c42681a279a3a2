import type { EventStore, StoredEvent } from '@rapport/event-store';
import type { Filter, ReadStore } from '@rapport/read-store';
import type { DeliveryRecord } from './webhook-delivery';
import { WEBHOOK_DELIVERIES } from './webhook-subscription';

const PAGE = 500;

/** Every log entry matching `filter`, oldest event first, paged from storage. */
async function* entries(reads: ReadStore, filter: Filter): AsyncIterable<DeliveryRecord> {
  let cursor: string | undefined;
  do {
    const page = await reads.find<DeliveryRecord>(WEBHOOK_DELIVERIES, {
      filter,
      sort: [{ field: 'position', direction: 'asc' }],
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** A customer's parked deliveries for a subscription, oldest first (the order a replay sends them). */
export async function parkedOf(
  reads: ReadStore,
  subscriptionId: string,
  customerId: string,
): Promise<DeliveryRecord[]> {
  const records: DeliveryRecord[] = [];
  const filter: Filter = {
    and: [
      { field: 'subscriptionId', eq: subscriptionId },
      { field: 'customerId', eq: customerId },
      { field: 'state', eq: 'parked' },
    ],
  };
  for await (const record of entries(reads, filter)) records.push(record);
  return records;
}

/** The customers of a subscription with parked deliveries: their later events wait behind them. */
export async function parkedCustomers(reads: ReadStore, subscriptionId: string): Promise<string[]> {
  const customers = new Set<string>();
  const filter: Filter = {
    and: [
      { field: 'subscriptionId', eq: subscriptionId },
      { field: 'state', eq: 'parked' },
    ],
  };
  for await (const record of entries(reads, filter)) customers.add(record.customerId);
  return [...customers];
}

/** The stored event at a global position (null when it is gone). */
export async function eventAt(events: EventStore, position: number): Promise<StoredEvent | null> {
  for await (const stored of events.readAll({ fromPosition: position, maxCount: 1 }))
    return stored.position === position ? stored : null;
  return null;
}
