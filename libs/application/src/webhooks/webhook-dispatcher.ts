import { CUSTOMER_STREAM_PREFIX } from '@rapport/domain';
import type { EventStore, StoredEvent, Subscription } from '@rapport/event-store';
import { LeaseFencedError, type DocChange, type LeaseFence, type ReadStore } from '@rapport/read-store';
import { setMaxListeners } from 'node:events';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { StreamedEvent } from '../events/streamed-event';
import { selectedEventTypes } from '../events/event-categories';
import {
  attemptOf,
  newRecord,
  upsertRecord,
  withAttempts,
  type AttemptRecord,
  type DeliveryRecord,
} from './webhook-delivery';
import { eventAt, parkedCustomers, parkedOf } from './parked-deliveries';
import { Slots } from './slots';
import { checkpointName, signingSecrets, type WebhookSubscription } from './webhook-subscription';
import type { SendOutcome, WebhookSender } from './webhook-sender';
import { signedHeaders } from './webhook-signature';

export interface DispatcherDeps {
  events: EventStore;
  reads: ReadStore;
  sender: WebhookSender;
  /** The delivered shape (the same as SSE and consumer groups). */
  present(stored: StoredEvent): Promise<StreamedEvent>;
  now(): Date;
  onError?(message: string): void;
  /** Commits go under this lease (one instance delivers a subscription); a stale token is refused. */
  fence?: LeaseFence;
  /** Another instance took the lease: this dispatcher must stop (its commits are refused). */
  onLeaseLost?(): void;
}

export interface DispatcherOptions {
  /** Requests in flight at once for this subscription (different customers). */
  concurrency: number;
  /** Events read ahead of the checkpoint; reading pauses beyond it. */
  window: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** How often finished deliveries and the checkpoint are committed together. */
  flushIntervalMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  concurrency: 64,
  window: 5000,
  initialDelayMs: 500,
  maxDelayMs: 60_000,
  flushIntervalMs: 50,
};

export interface ReplayResult {
  replayed: number;
  stillParked: number;
}

interface Pending {
  position: number;
  done: boolean;
}

type LaneItem =
  { kind: 'event'; stored: StoredEvent; entry: Pending } | { kind: 'replay'; resolve(result: ReplayResult): void };

const FLUSH_AT = 500;
const READ_RETRY_MS = 1000;
const customerOf = (stored: StoredEvent): string => stored.streamId.slice(CUSTOMER_STREAM_PREFIX.length);

/**
 * One webhook subscription as a consumer of `$all` with a durable checkpoint, the projection
 * engine's way: finished deliveries (log entries) and the checkpoint are committed together, and the
 * checkpoint only passes an event once it is delivered or parked. A crash therefore repeats
 * deliveries after the checkpoint (same `webhook-id`), never loses one.
 *
 * Each customer has a lane: its events go out one after another, so they arrive in order; lanes run
 * side by side up to `concurrency` requests. A failing delivery is retried with exponential backoff
 * and jitter (cockatiel's) up to the subscription's `maxAttempts`, then parked; the customer's later
 * events are parked behind it (order holds) until a replay delivers them all.
 */
export class WebhookDispatcher {
  private readonly abort = new AbortController();
  private readonly lanes = new Map<string, LaneItem[]>();
  private readonly running = new Set<Promise<void>>();
  private readonly held = new Set<string>();
  private readonly order: Pending[] = [];
  private head = 0;
  private checkpoint = 0;
  private committed = 0;
  private changes: DocChange[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private feed: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private windowOpen: (() => void) | undefined;
  private readonly slots: Slots;
  private readonly backoff: ExponentialBackoff<unknown>;
  /** Lanes waiting out a backoff after the receiver did not answer: woken when a delivery succeeds. */
  private readonly unreachableWaiters = new Set<() => void>();
  readonly counters = { delivered: 0, parked: 0, failedAttempts: 0, replayed: 0 };

  constructor(
    private subscription: WebhookSubscription,
    private readonly deps: DispatcherDeps,
    private readonly options: DispatcherOptions = DEFAULT_DISPATCHER_OPTIONS,
  ) {
    this.slots = new Slots(options.concurrency);
    this.backoff = new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs });
    // Every request in flight listens for the stop.
    setMaxListeners(0, this.abort.signal);
  }

  get id(): string {
    return this.subscription.id;
  }

  /** The subscription as this dispatcher delivers it. */
  get current(): WebhookSubscription {
    return this.subscription;
  }

  /** URL, secrets and attempts change in place; a new filter needs a new dispatcher. */
  update(subscription: WebhookSubscription): void {
    this.subscription = subscription;
  }

  status(): { checkpoint: number; inFlight: number; heldCustomers: number } & WebhookDispatcher['counters'] {
    return {
      checkpoint: this.committed,
      inFlight: this.order.length - this.head,
      heldCustomers: this.held.size,
      ...this.counters,
    };
  }

  async start(): Promise<void> {
    const name = checkpointName(this.subscription.id);
    this.checkpoint = this.committed = (await this.deps.reads.getCheckpoint(name)) ?? this.subscription.startAfter;
    for (const customerId of await parkedCustomers(this.deps.reads, this.subscription.id)) this.held.add(customerId);
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.loop = this.read();
  }

  /** Stops reading and sending; what is not finished is not checkpointed, so it goes out again later. */
  async stop(options: { discard?: boolean } = {}): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.windowOpen?.();
    await this.feed?.close();
    await this.loop;
    await Promise.all([...this.running]);
    for (const queue of this.lanes.values())
      for (const item of queue) if (item.kind === 'replay') item.resolve({ replayed: 0, stillParked: -1 });
    this.lanes.clear();
    if (this.timer) clearInterval(this.timer);
    // A deleted subscription leaves nothing behind (no log entries, no checkpoint).
    if (options.discard) this.changes = [];
    else await this.flush();
  }

  /** Commits finished deliveries with the checkpoint they allow (one read-store commit). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.changes.length === 0 && this.checkpoint === this.committed) return;
      const batch = this.changes;
      const position = this.checkpoint;
      this.changes = [];
      try {
        await this.deps.reads.commit(batch, { name: checkpointName(this.subscription.id), position }, this.deps.fence);
        this.committed = position;
      } catch (error) {
        if (error instanceof LeaseFencedError) {
          // Another instance delivers now, from the last committed checkpoint: drop what this one did since.
          this.changes = [];
          this.deps.onLeaseLost?.();
          return;
        }
        this.changes = batch.concat(this.changes);
        this.deps.onError?.(`webhook ${this.subscription.id}: delivery log commit failed: ${(error as Error).message}`);
      }
    });
    return this.flushing;
  }

  /**
   * Delivers parked events again, oldest first, customer by customer (all, or only `customerIds`).
   * A customer's replay runs in its lane, so its new events wait behind it and order holds.
   */
  async replay(customerIds?: readonly string[]): Promise<ReplayResult> {
    await this.flush();
    const customers = (await parkedCustomers(this.deps.reads, this.subscription.id)).filter(
      (c) => customerIds === undefined || customerIds.includes(c),
    );
    const results = await Promise.all(
      customers.map(
        (customerId) => new Promise<ReplayResult>((resolve) => this.enqueue(customerId, { kind: 'replay', resolve })),
      ),
    );
    return results.reduce(
      (sum, r) => ({ replayed: sum.replayed + r.replayed, stillParked: sum.stillParked + Math.max(0, r.stillParked) }),
      { replayed: 0, stillParked: 0 },
    );
  }

  /**
   * Reads the subscription's events into the customers' lanes, pausing while the window is full. A
   * failing store (a lost EventStoreDB connection, a busy SQLite file) is read again after a pause
   * from the last event taken, so one failure does not stop the subscription.
   */
  private async read(): Promise<void> {
    const types = selectedEventTypes(this.subscription.eventTypes, this.subscription.categories);
    const wanted = types === null ? null : new Set(types);
    let readTo = this.checkpoint;
    while (!this.abort.signal.aborted) {
      this.feed = this.deps.events.subscribeToAll({
        fromPosition: readTo,
        filter: {
          streamPrefixes: [CUSTOMER_STREAM_PREFIX],
          ...(types !== null && types.length > 0 ? { eventTypes: types } : {}),
        },
      });
      try {
        for await (const stored of this.feed) {
          if (this.abort.signal.aborted) break;
          readTo = stored.position;
          if (wanted !== null && !wanted.has(stored.type)) continue;
          const entry: Pending = { position: stored.position, done: false };
          this.order.push(entry);
          this.enqueue(customerOf(stored), { kind: 'event', stored, entry });
          if (this.order.length - this.head >= this.options.window)
            await new Promise<void>((resolve) => (this.windowOpen = resolve));
        }
        if (this.abort.signal.aborted) return;
        throw new Error('the store ended the subscription');
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.deps.onError?.(
          `webhook ${this.subscription.id}: reading events failed, reading again in ${READ_RETRY_MS} ms: ${(error as Error).message}`,
        );
        await this.feed.close().catch(() => undefined);
        await this.pause(READ_RETRY_MS, false);
      }
    }
  }

  private enqueue(customerId: string, item: LaneItem): void {
    const queue = this.lanes.get(customerId);
    if (queue) {
      queue.push(item);
      return;
    }
    const fresh = [item];
    this.lanes.set(customerId, fresh);
    const lane = this.runLane(customerId, fresh);
    this.running.add(lane);
    void lane.finally(() => this.running.delete(lane));
  }

  private async runLane(customerId: string, queue: LaneItem[]): Promise<void> {
    try {
      while (queue.length > 0 && !this.abort.signal.aborted) {
        const item = queue[0]!;
        if (item.kind === 'event') await this.deliver(customerId, item.stored, item.entry);
        else item.resolve(await this.replayCustomer(customerId));
        queue.shift();
      }
    } catch (error) {
      this.deps.onError?.(`webhook ${this.subscription.id}: lane ${customerId} failed: ${(error as Error).message}`);
    } finally {
      if (this.lanes.get(customerId) === queue) this.lanes.delete(customerId);
    }
  }

  private async deliver(customerId: string, stored: StoredEvent, entry: Pending): Promise<void> {
    const fresh = newRecord(this.subscription.id, stored, customerId);
    if (this.held.has(customerId)) {
      this.counters.parked++;
      return this.finish(entry, {
        ...fresh,
        parkedAt: this.deps.now().toISOString(),
        parkedReason: 'held behind an earlier parked event of this customer',
      });
    }
    const body = JSON.stringify(await this.deps.present(stored));
    const attempts: AttemptRecord[] = [];
    let backoff: IBackoff<unknown> | undefined;
    for (;;) {
      const successesBefore = this.counters.delivered + this.counters.replayed;
      const outcome = await this.attempt(stored.metadata.eventId, body);
      if (this.abort.signal.aborted) return; // not finished: delivered again after a restart
      attempts.push(attemptOf(this.deps.now(), outcome));
      if (outcome.ok) break;
      this.counters.failedAttempts++;
      if (attempts.length >= this.subscription.maxAttempts) {
        this.held.add(customerId);
        this.counters.parked++;
        const record = withAttempts(fresh, attempts);
        return this.finish(entry, {
          ...record,
          parkedAt: this.deps.now().toISOString(),
          parkedReason: `${record.attempts} attempts failed`,
        });
      }
      // Exponential backoff with decorrelated jitter (cockatiel); a receiver that did not answer at all
      // is tried again as soon as another delivery to it succeeds (it is back), so an outage drains fast.
      backoff = backoff ? backoff.next(undefined) : this.backoff.next();
      // The receiver answered another delivery while this one was failing: it is back, no need to wait.
      const backMeanwhile = this.counters.delivered + this.counters.replayed !== successesBefore;
      if (!(outcome.status === null && backMeanwhile)) await this.pause(backoff.duration, outcome.status === null);
      if (this.abort.signal.aborted) return;
    }
    this.counters.delivered++;
    if (this.unreachableWaiters.size > 0) for (const wake of [...this.unreachableWaiters]) wake();
    this.finish(entry, {
      ...withAttempts(fresh, attempts),
      state: 'delivered',
      deliveredAt: this.deps.now().toISOString(),
    });
  }

  /** Waits `ms`, or less when stopping or, for an unreachable receiver, when a delivery succeeds. */
  private pause(ms: number, wakeOnRecovery: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.unreachableWaiters.delete(done);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeOnRecovery) this.unreachableWaiters.add(done);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private async attempt(webhookId: string, body: string): Promise<SendOutcome> {
    await this.slots.acquire();
    try {
      const headers = signedHeaders(
        webhookId,
        this.deps.now(),
        body,
        signingSecrets(this.subscription, this.deps.now()),
      );
      return await this.deps.sender.send(this.subscription.url, headers, body, this.abort.signal);
    } finally {
      this.slots.release();
    }
  }

  private finish(entry: Pending, record: DeliveryRecord): void {
    entry.done = true;
    this.changes.push(upsertRecord(record));
    while (this.head < this.order.length && this.order[this.head]!.done)
      this.checkpoint = this.order[this.head++]!.position;
    if (this.head > 4096) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
    if (this.windowOpen && this.order.length - this.head < this.options.window) {
      const open = this.windowOpen;
      this.windowOpen = undefined;
      open();
    }
    if (this.changes.length >= FLUSH_AT) void this.flush();
  }

  /** One try per parked event of the customer, oldest first; stops at the first failure (order). */
  private async replayCustomer(customerId: string): Promise<ReplayResult> {
    await this.flush();
    const parked = await parkedOf(this.deps.reads, this.subscription.id, customerId);
    let replayed = 0;
    for (const record of parked) {
      const stored = await eventAt(this.deps.events, record.position);
      if (this.abort.signal.aborted) break;
      const outcome: SendOutcome = stored
        ? await this.attempt(record.webhookId, JSON.stringify(await this.deps.present(stored)))
        : { ok: false, status: null, error: 'event no longer readable', durationMs: 0 };
      const tried = withAttempts(record, [attemptOf(this.deps.now(), outcome)]);
      if (!outcome.ok) {
        this.counters.failedAttempts++;
        this.changes.push(upsertRecord(tried));
        break;
      }
      replayed++;
      this.counters.replayed++;
      this.changes.push(
        upsertRecord({
          ...tried,
          state: 'delivered',
          deliveredAt: this.deps.now().toISOString(),
          replayed: true,
          parkedReason: null,
        }),
      );
    }
    if (replayed === parked.length) this.held.delete(customerId);
    await this.flush();
    return { replayed, stillParked: parked.length - replayed };
  }
}
