import {
  customerStreamId,
  decide,
  initialState,
  rehydrate,
  type CustomerCommand,
  type CustomerEvent,
} from '@rapport/domain';
import { MemoryEventStore, type EventToAppend } from '@rapport/event-store';
import { MemoryReadStore } from '@rapport/read-store';
import { CustomerStreamLoader, PERSIST_SNAPSHOT_EVERY } from './customer-stream-loader';
import { SnapshotStore } from './snapshot-store';

const meta = (i: number) => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
  recordedAt: '2025-01-01T00:00:00.000Z',
  actor: { id: 'a', role: 'agent' as const },
  channel: 'web' as const,
  correlationId: 'c',
  causationId: null,
  schemaVersion: 1,
});

/** A registration then purchases whose order ids include prototype-looking keys. */
function history(count: number): CustomerEvent[] {
  const events: CustomerEvent[] = [
    {
      type: 'CustomerRegistered',
      data: {
        customerId: 'k',
        name: 'n',
        acquisitionChannel: 'web',
        acquisitionCost: 1,
        region: 'r',
        city: 'c',
        demographics: {},
      },
      metadata: meta(0),
    },
  ];
  const ids = ['__proto__', 'constructor', 'toString'];
  for (let i = 1; i < count; i++) {
    events.push({
      type: 'PurchaseRecorded',
      data: {
        customerId: 'k',
        orderId: ids[i - 1] ?? `o-${i}`,
        lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
        total: 10,
        currency: 'CNY',
      },
      metadata: meta(i),
    });
  }
  return events;
}

const purchase = (orderId: string): CustomerCommand => ({
  type: 'RecordPurchase',
  customerId: 'k',
  occurredAt: '2030-01-01T00:00:00.000Z',
  orderId,
  lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
  total: 10,
  currency: 'CNY',
});

describe('CustomerStreamLoader with persisted snapshots', () => {
  const streamId = customerStreamId('k');
  const count = PERSIST_SNAPSHOT_EVERY * 2 + 17;

  async function seeded() {
    const store = new MemoryEventStore();
    await store.appendToStream(streamId, history(count) as unknown as EventToAppend[]);
    const snapshots = new SnapshotStore(new MemoryReadStore());
    return { store, snapshots };
  }

  it('a fresh loader starts from the persisted snapshot and reaches the same state as a full fold', async () => {
    const { store, snapshots } = await seeded();
    await new CustomerStreamLoader(store, snapshots).load(streamId);
    await new Promise((resolve) => setImmediate(resolve));
    const persisted = await snapshots.get(streamId);
    expect(persisted?.revision).toBe(count - 1);

    const extra = {
      type: 'PurchaseRecorded',
      data: { customerId: 'k', orderId: 'late', lines: [], total: 0, currency: 'CNY' },
      metadata: meta(count),
    };
    await store.appendToStream(streamId, [extra as unknown as EventToAppend]);
    const loaded = await new CustomerStreamLoader(store, snapshots).load(streamId);
    const full = rehydrate([...history(count), extra as unknown as CustomerEvent], initialState());
    expect(loaded.revision).toBe(count);
    expect(JSON.stringify(loaded.state)).toBe(JSON.stringify(full));
  });

  it('decisions from a revived snapshot keep prototype-looking ids as plain keys', async () => {
    const { store, snapshots } = await seeded();
    await new CustomerStreamLoader(store, snapshots).load(streamId);
    await new Promise((resolve) => setImmediate(resolve));
    const { state } = await new CustomerStreamLoader(store, snapshots).load(streamId);
    // '__proto__' was recorded before the one id rule; a command can no longer name it.
    expect(() => decide(purchase('__proto__'), state)).toThrow(expect.objectContaining({ rule: 'value.invalid_id' }));
    for (const id of ['constructor', 'toString'])
      expect(() => decide(purchase(id), state)).toThrow(expect.objectContaining({ rule: 'order.duplicate_id' }));
    expect(decide(purchase('hasOwnProperty'), state)).toHaveLength(1);
  });

  it('ignores an unreadable snapshot and folds from the start', async () => {
    const { store } = await seeded();
    const readStore = new MemoryReadStore();
    await readStore.setMeta(`snapshot:${streamId}`, { format: 'older', revision: 3, state: { status: 'unknown' } });
    const loaded = await new CustomerStreamLoader(store, new SnapshotStore(readStore)).load(streamId);
    expect(loaded.revision).toBe(count - 1);
    expect(loaded.state.status).toBe('active');
  });

  it('folds from the start when a snapshot of the right format cannot be decoded', async () => {
    const { store } = await seeded();
    const readStore = new MemoryReadStore();
    const snapshots = new SnapshotStore(readStore);
    await new CustomerStreamLoader(store, snapshots).load(streamId);
    await new Promise((resolve) => setImmediate(resolve));
    const key = `snapshot:${streamId}`;
    const good = await readStore.getMeta<{ state: unknown[] }>(key);
    await readStore.setMeta(key, { ...good, state: good?.state.slice(0, 5) });

    const loaded = await new CustomerStreamLoader(store, snapshots).load(streamId);
    expect(loaded.revision).toBe(count - 1);
    expect(JSON.stringify(loaded.state)).toBe(JSON.stringify(rehydrate(history(count), initialState())));
  });
});
