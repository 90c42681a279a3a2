import type { EventBus } from '@nestjs/cqrs';
import type { CustomerCommand, CustomerEvent } from '@rapport/domain';
import { MemoryEventStore, type StoredEvent } from '@rapport/event-store';
import type { CommandEnvelope } from './command-envelope';
import { CustomerCommandService, type BatchCommand } from './customer-command.service';
import type { CustomerEventRecorded } from './customer-event-recorded.event';
import { CustomerStreamLoader } from './customer-stream-loader';
import type { PersonalDataProtection } from './personal-data-protection';
import { IdempotencyKeyReuseError } from './command-errors';

const clock = { now: () => new Date('2025-01-01T00:00:00Z') };
const actor = { id: 'importer', role: 'admin' as const };

function setUp() {
  const store = new MemoryEventStore();
  const log: string[] = [];
  const personalData: PersonalDataProtection = {
    encrypt: async (_customerId: string, event: CustomerEvent) => {
      log.push(`sealed ${event.type}`);
      return event;
    },
    requestDigest: async (customerId: string, request: string) => `digest of ${customerId} ${request}`,
    destroyKey: async (customerId: string) => void log.push(`key of ${customerId} destroyed`),
  };
  const published: CustomerEventRecorded[] = [];
  const eventBus = {
    publishAll: (events: CustomerEventRecorded[]) => published.push(...events),
  } as unknown as EventBus;
  const service = new CustomerCommandService(store, new CustomerStreamLoader(store), personalData, clock, eventBus);
  return { store, service, log, published };
}

const register = (customerId: string): CustomerCommand => ({
  type: 'RegisterCustomer',
  customerId,
  occurredAt: '2024-01-01T00:00:00.000Z',
  name: 'Ada',
  acquisitionChannel: 'web',
  acquisitionCost: 10,
  region: 'East',
  city: 'Shanghai',
});
const purchase = (customerId: string, orderId: string): CustomerCommand => ({
  type: 'RecordPurchase',
  customerId,
  occurredAt: '2024-02-01T00:00:00.000Z',
  orderId,
  lines: [{ sku: 'CD', category: 'music', quantity: 1, unitPrice: 10 }],
  total: 10,
  currency: 'USD',
});
const batchOf = (...commands: [CustomerCommand, string][]): BatchCommand[] =>
  commands.map(([command, idempotencyKey]) => ({
    command,
    envelope: { actor, channel: 'import', correlationId: 'c-1', causationId: null, idempotencyKey },
  }));

async function stored(store: MemoryEventStore, streamId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
}

describe('CustomerCommandService.executeMany', () => {
  it('decides each command against the state the previous ones left, and appends the accepted ones together', async () => {
    const { store, service, published } = setUp();
    const outcomes = await service.executeMany(
      'c1',
      batchOf(
        [purchase('c1', 'o-0'), 'k0'],
        [register('c1'), 'k1'],
        [purchase('c1', 'o-1'), 'k2'],
        [purchase('c1', 'o-1'), 'k3'],
      ),
    );
    expect(outcomes).toEqual([
      { status: 'rejected', reason: expect.stringMatching(/^customer\./) },
      { status: 'recorded', events: 1 },
      { status: 'recorded', events: 1 },
      { status: 'rejected', reason: expect.stringMatching(/order/i) },
    ]);
    const events = await stored(store, 'customer-c1');
    expect(events.map((e) => [e.type, e.revision, e.position])).toEqual([
      ['CustomerRegistered', 0, 1],
      ['PurchaseRecorded', 1, 2],
    ]);
    expect(events[1]!.metadata).toMatchObject({
      occurredAt: '2024-02-01T00:00:00.000Z',
      recordedAt: '2025-01-01T00:00:00.000Z',
      actor,
      channel: 'import',
      correlationId: 'c-1',
      causationId: null,
      schemaVersion: expect.any(Number),
    });
    expect(published.map((p) => [p.event.type, p.revision])).toEqual([
      ['CustomerRegistered', 0],
      ['PurchaseRecorded', 1],
    ]);
  });

  it('derives the same event ids as a single command: a key recorded either way is never stored twice', async () => {
    const { store, service } = setUp();
    await service.executeMany('c2', batchOf([register('c2'), 'reg'], [purchase('c2', 'o-1'), 'buy']));
    const envelope: CommandEnvelope = {
      actor: { id: 'a', role: 'agent' },
      channel: 'web',
      correlationId: 'x',
      causationId: null,
      idempotencyKey: 'buy',
    };
    const single = await service.execute(purchase('c2', 'o-1') as never, envelope);
    expect(single).toMatchObject({ replayed: true, revision: 1 });
    const again = await service.executeMany(
      'c2',
      batchOf([register('c2'), 'reg'], [purchase('c2', 'o-1'), 'buy'], [purchase('c2', 'o-2'), 'buy-2']),
    );
    expect(again).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }, { status: 'recorded', events: 1 }]);
    expect((await stored(store, 'customer-c2')).map((e) => e.type)).toEqual([
      'CustomerRegistered',
      'PurchaseRecorded',
      'PurchaseRecorded',
    ]);
  });

  it('an erasure in a batch shreds the key after the earlier events were sealed and before the append', async () => {
    const { store, service, log } = setUp();
    const erase: CustomerCommand = {
      type: 'EraseCustomer',
      customerId: 'c3',
      occurredAt: '2024-03-01T00:00:00.000Z',
      reason: 'asked',
    };
    const outcomes = await service.executeMany(
      'c3',
      batchOf([register('c3'), 'r'], [erase, 'e'], [purchase('c3', 'o-9'), 'p']),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'recorded', 'rejected']);
    expect(log).toEqual(['sealed CustomerRegistered', 'sealed CustomerErased', 'key of c3 destroyed']);
    expect((await stored(store, 'customer-c3')).map((e) => e.type)).toEqual(['CustomerRegistered', 'CustomerErased']);
  });

  it("refuses a batch holding another customer's command before anything is stored", async () => {
    const { store, service } = setUp();
    expect(() => service.executeMany('c4', batchOf([register('c5'), 'r']))).toThrow(/c5 in the batch of c4/);
    expect(await stored(store, 'customer-c4')).toEqual([]);
  });
});

describe('CustomerCommandService.execute with another writer on the same store', () => {
  const envelope = (): CommandEnvelope => ({
    actor: { id: 'agent-1', role: 'agent' },
    channel: 'store',
    correlationId: 'c-1',
    causationId: null,
  });

  it('decides against what the other writer appended, not the snapshot kept in memory', async () => {
    const { store, service } = setUp();
    const other = new CustomerCommandService(
      store,
      new CustomerStreamLoader(store),
      { encrypt: async (_c, e) => e, requestDigest: async (_c, r) => r, destroyKey: async () => {} },
      clock,
      {
        publishAll: () => undefined,
      } as unknown as EventBus,
    );
    await service.execute(register('c-1'), envelope());
    await service.execute(purchase('c-1', 'o-1'), envelope());
    await other.execute(purchase('c-1', 'o-2'), envelope());

    // Given o-2 recorded elsewhere, when this service records o-2, then it is a duplicate order.
    await expect(service.execute(purchase('c-1', 'o-2'), envelope())).rejects.toMatchObject({
      rule: 'order.duplicate_id',
    });
    // And a new order lands after the other writer's event.
    const result = await service.execute(purchase('c-1', 'o-3'), envelope());
    expect(result.revision).toBe(3);
    expect(
      (await stored(store, 'customer-c-1')).map((e) => (e.data as { orderId?: string }).orderId ?? e.type),
    ).toEqual(['CustomerRegistered', 'o-1', 'o-2', 'o-3']);
  });

  it('answers If-Match with the stored revision, not the one kept in memory', async () => {
    const { store, service } = setUp();
    const other = new CustomerCommandService(
      store,
      new CustomerStreamLoader(store),
      { encrypt: async (_c, e) => e, requestDigest: async (_c, r) => r, destroyKey: async () => {} },
      clock,
      {
        publishAll: () => undefined,
      } as unknown as EventBus,
    );
    await service.execute(register('c-1'), envelope());
    await other.execute(purchase('c-1', 'o-1'), envelope());
    const result = await service.execute(purchase('c-1', 'o-2'), { ...envelope(), expectedRevision: 1 });
    expect(result.revision).toBe(2);
  });
});

describe('CustomerCommandService.execute with an Idempotency-Key', () => {
  const keyed = (request: string): CommandEnvelope => ({
    actor: { id: 'agent-1', role: 'agent' },
    channel: 'store',
    correlationId: 'c-1',
    causationId: null,
    idempotencyKey: 'buy-1',
    request,
  });

  it('replays the first answer to the same request, also for a fresh loader reading the stream', async () => {
    const { store, service } = setUp();
    await service.execute(register('c-1'), { ...keyed('POST /customers'), idempotencyKey: 'register-1' });
    const first = await service.execute(
      purchase('c-1', 'o-1'),
      keyed('POST /customers/c-1/purchases {"orderId":"o-1"}'),
    );
    const again = await service.execute(
      purchase('c-1', 'o-1'),
      keyed('POST /customers/c-1/purchases {"orderId":"o-1"}'),
    );
    const restarted = new CustomerCommandService(
      store,
      new CustomerStreamLoader(store),
      { encrypt: async (_c, e) => e, requestDigest: async (c, r) => `digest of ${c} ${r}`, destroyKey: async () => {} },
      clock,
      {
        publishAll: () => undefined,
      } as unknown as EventBus,
    );
    const afterRestart = await restarted.execute(
      purchase('c-1', 'o-1'),
      keyed('POST /customers/c-1/purchases {"orderId":"o-1"}'),
    );
    expect(again).toEqual({ ...first, replayed: true });
    expect(afterRestart).toEqual({ ...first, replayed: true });
    expect((await stored(store, 'customer-c-1')).map((e) => e.type)).toEqual([
      'CustomerRegistered',
      'PurchaseRecorded',
    ]);
  });

  it('refuses the key reused for a different request, storing nothing', async () => {
    const { store, service } = setUp();
    await service.execute(register('c-1'), { ...keyed('POST /customers'), idempotencyKey: 'register-1' });
    await service.execute(purchase('c-1', 'o-1'), keyed('POST /customers/c-1/purchases {"orderId":"o-1"}'));
    await expect(
      service.execute(purchase('c-1', 'o-2'), keyed('POST /customers/c-1/purchases {"orderId":"o-2"}')),
    ).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
    expect((await stored(store, 'customer-c-1')).map((e) => e.type)).toEqual([
      'CustomerRegistered',
      'PurchaseRecorded',
    ]);
  });
});
