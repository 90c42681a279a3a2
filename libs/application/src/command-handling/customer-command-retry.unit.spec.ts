import type { EventBus } from '@nestjs/cqrs';
import type { CustomerCommand } from '@rapport/domain';
import { MemoryEventStore, type AppendOptions, type AppendResult, type EventToAppend } from '@rapport/event-store';
import { ConcurrencyRetriesExhaustedError, StaleRevisionError } from './command-errors';
import type { CommandEnvelope } from './command-envelope';
import { CustomerCommandService, MAX_ATTEMPTS } from './customer-command.service';
import { CustomerStreamLoader, type CustomerSnapshot } from './customer-stream-loader';
import type { PersonalDataProtection } from './personal-data-protection';

const clock = { now: () => new Date('2025-01-01T00:00:00Z') };
const plain: PersonalDataProtection = {
  encrypt: async (_c, e) => e,
  requestDigest: async (_c, r) => r,
  destroyKey: async () => {},
};
const bus = { publishAll: () => undefined } as unknown as EventBus;
const envelope: CommandEnvelope = {
  actor: { id: 'agent-1', role: 'agent' },
  channel: 'store',
  correlationId: 'c-1',
  causationId: null,
};

const register: CustomerCommand = {
  type: 'RegisterCustomer',
  customerId: 'c-1',
  occurredAt: '2024-01-01T00:00:00.000Z',
  name: 'Ada',
  acquisitionChannel: 'web',
  acquisitionCost: 10,
  region: 'East',
  city: 'Shanghai',
};
const purchase = (orderId: string): CustomerCommand => ({
  type: 'RecordPurchase',
  customerId: 'c-1',
  occurredAt: '2024-02-01T00:00:00.000Z',
  orderId,
  lines: [{ sku: 'CD', category: 'music', quantity: 1, unitPrice: 10 }],
  total: 10,
  currency: 'USD',
});

/** A real in-memory store where a rival writer records an order just before each of our next `races` appends. */
class RacedStore extends MemoryEventStore {
  races = 0;
  /** Our appends tried, with the revision each expected. */
  readonly tried: unknown[] = [];
  private readonly rival = new CustomerCommandService(this, new CustomerStreamLoader(this), plain, clock, bus);
  private rivalOrders: string[] = [];
  private racing = false;

  constructor(private readonly rivalOrderIds: () => string) {
    super();
  }

  override async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (this.racing) return super.appendToStream(streamId, events, options);
    this.tried.push(options?.expectedRevision);
    if (this.races > 0) {
      this.races -= 1;
      this.racing = true;
      try {
        const orderId = this.rivalOrderIds();
        await this.rival.execute(purchase(orderId), envelope);
        this.rivalOrders.push(orderId);
      } finally {
        this.racing = false;
      }
    }
    return super.appendToStream(streamId, events, options);
  }

  async orders(): Promise<string[]> {
    const orders: string[] = [];
    for await (const e of this.readStream('customer-c-1'))
      orders.push((e.data as { orderId?: string }).orderId ?? e.type);
    return orders;
  }
}

/** Counts how often our service loads the customer's stream, that is, how often it decides. */
class CountingLoader extends CustomerStreamLoader {
  loads = 0;
  override load(streamId: string): Promise<CustomerSnapshot> {
    this.loads += 1;
    return super.load(streamId);
  }
}

async function setUp(rivalOrderIds: () => string) {
  const store = new RacedStore(rivalOrderIds);
  await new CustomerCommandService(store, new CustomerStreamLoader(store), plain, clock, bus).execute(
    register,
    envelope,
  );
  store.tried.length = 0;
  const loader = new CountingLoader(store);
  return { store, loader, service: new CustomerCommandService(store, loader, plain, clock, bus) };
}

let rivalCount = 0;
const freshRivalOrder = () => `r-${++rivalCount}`;

describe('the command path retries a concurrency conflict under the one retry policy', () => {
  beforeEach(() => {
    rivalCount = 0;
  });

  it('given a rival writer appending before our first two appends, when we record an order, then it is retried and lands after theirs', async () => {
    const { store, service, loader } = await setUp(freshRivalOrder);
    store.races = 2;

    const result = await service.execute(purchase('o-1'), envelope);

    expect(result.revision).toBe(3);
    expect(store.tried).toEqual([0, 1, 2]);
    expect(loader.loads).toBe(3);
    expect(await store.orders()).toEqual(['CustomerRegistered', 'r-1', 'r-2', 'o-1']);
  });

  it('given the retry finds the order recorded by the rival, then the domain refusal is answered at once, not retried', async () => {
    const { store, service, loader } = await setUp(() => 'o-1');
    store.races = 5;

    await expect(service.execute(purchase('o-1'), envelope)).rejects.toMatchObject({ rule: 'order.duplicate_id' });

    // One append (the conflict), then one decision on the reloaded stream that refused: no further attempt.
    expect({ tried: store.tried, loads: loader.loads, racesLeft: store.races }).toEqual({
      tried: [0],
      loads: 2,
      racesLeft: 4,
    });
    expect(await store.orders()).toEqual(['CustomerRegistered', 'o-1']);
  });

  it('given a domain refusal on the first decision, nothing is appended and nothing is tried again', async () => {
    const { store, service, loader } = await setUp(freshRivalOrder);
    await service.execute(purchase('o-1'), envelope);
    store.tried.length = 0;
    loader.loads = 0;
    store.races = 5;

    await expect(service.execute(purchase('o-1'), envelope)).rejects.toMatchObject({ rule: 'order.duplicate_id' });

    expect({ tried: store.tried, loads: loader.loads }).toEqual({ tried: [], loads: 0 });
  });

  it('given a rival writing before every append, then it gives up after MAX_ATTEMPTS appends with 409 and stores nothing of ours', async () => {
    const { store, service } = await setUp(freshRivalOrder);
    store.races = Number.POSITIVE_INFINITY;

    const error = await service.execute(purchase('o-1'), envelope).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrencyRetriesExhaustedError);
    expect((error as ConcurrencyRetriesExhaustedError).attempts).toBe(MAX_ATTEMPTS);
    expect(store.tried).toHaveLength(MAX_ATTEMPTS);
    expect((await store.orders()).filter((o) => o === 'o-1')).toEqual([]);
  });

  it('given If-Match, a conflict is answered as a stale revision, not retried', async () => {
    const { store, service } = await setUp(freshRivalOrder);
    store.races = 5;

    await expect(service.execute(purchase('o-1'), { ...envelope, expectedRevision: 0 })).rejects.toBeInstanceOf(
      StaleRevisionError,
    );

    expect(store.tried).toEqual([0]);
    expect(await store.orders()).toEqual(['CustomerRegistered', 'r-1']);
  });

  it('given a batch (bulk import) racing a rival writer, the batch is retried the same way and bounded too', async () => {
    const { store, service } = await setUp(freshRivalOrder);
    const batch = [
      { command: purchase('o-1'), envelope: { ...envelope, actor: envelope.actor, idempotencyKey: 'k-1' } },
    ];
    store.races = 1;
    expect(await service.executeMany('c-1', batch)).toEqual([{ status: 'recorded', events: 1 }]);
    expect(store.tried).toEqual([0, 1]);

    store.races = Number.POSITIVE_INFINITY;
    store.tried.length = 0;
    const more = [
      { command: purchase('o-2'), envelope: { ...envelope, actor: envelope.actor, idempotencyKey: 'k-2' } },
    ];
    await expect(service.executeMany('c-1', more)).rejects.toBeInstanceOf(ConcurrencyRetriesExhaustedError);
    expect(store.tried).toHaveLength(MAX_ATTEMPTS);
  });
});
