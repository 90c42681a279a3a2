import { randomUUID } from 'node:crypto';
import type { EventStore } from '@rapport/event-store';
import type { LeaseGrant, ReadStore } from '@rapport/read-store';
import type { PersonalDataReader } from '../personal-data/personal-data-reader';
import { EventPresenter } from '../events/event-presenter';
import { DEFAULT_DISPATCHER_OPTIONS, WebhookDispatcher, type DispatcherOptions } from './webhook-dispatcher';
import { checkpointName, type WebhookSubscription } from './webhook-subscription';
import type { WebhookSubscriptionStore } from './webhook-subscription-store';
import type { WebhookSender } from './webhook-sender';

export interface DeliveryHostDeps {
  events: EventStore;
  reads: ReadStore;
  subscriptions: WebhookSubscriptionStore;
  sender: WebhookSender;
  personalData: PersonalDataReader;
  options: DispatcherOptions;
  leaseMs: number;
  /**
   * Whose leases these are: the projector worker's id when this engine has one (a worker restarted
   * after its predecessor died takes that id back, and with it these leases at once instead of after
   * WEBHOOK_LEASE_SECONDS); otherwise an id of its own.
   */
  owner?: string;
  log(message: string): void;
}

export const deliveryLease = (subscriptionId: string): string => `webhook:${subscriptionId}`;

const sameFilter = (a: WebhookSubscription, b: WebhookSubscription): boolean =>
  JSON.stringify([a.eventTypes, a.categories]) === JSON.stringify([b.eventTypes, b.categories]);

/**
 * The dispatchers this engine instance runs. Each active subscription is delivered by one instance
 * at a time: the one holding its fenced lease in the read store (`webhook:<id>`), renewed every third
 * of WEBHOOK_LEASE_SECONDS. An instance that dies stops renewing and another takes the lease over
 * after it expires, resuming from the committed checkpoint; a superseded holder's commits are refused
 * (its deliveries since then go out again under the same webhook-id). Every pass also picks up what
 * other instances changed: pauses, resumes, new URLs, filters and secrets, deletions.
 */
export class WebhookDeliveryHost {
  private readonly owner: string;
  private readonly dispatchers = new Map<string, WebhookDispatcher>();
  private readonly leases = new Map<string, LeaseGrant>();
  /** One change at a time per subscription (a lease pass and an API call may meet). */
  private readonly locks = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;

  constructor(private readonly deps: DeliveryHostDeps) {
    this.owner = deps.owner ?? `engine-${randomUUID()}`;
  }

  async start(): Promise<void> {
    await this.claim();
    this.timer = setInterval(() => void this.claim(), Math.max(100, Math.floor(this.deps.leaseMs / 3)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.claiming;
    await Promise.all([...this.dispatchers.keys()].map((id) => this.stopFor(id)));
  }

  get(id: string): WebhookDispatcher | undefined {
    return this.dispatchers.get(id);
  }

  all(): WebhookDispatcher[] {
    return [...this.dispatchers.values()];
  }

  /** One pass over the subscriptions: renew or take leases, start, update, restart or stop dispatchers. */
  claim(): Promise<void> {
    this.claiming ??= this.claimOnce().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  /** Delivers the subscription here if this instance holds or can take its lease (else another does). */
  run(subscription: WebhookSubscription): Promise<void> {
    return this.exclusive(subscription.id, () => this.runNow(subscription));
  }

  /** Stops delivering here and gives the lease up (unless lost). */
  stopFor(id: string, how: { discard?: boolean; lost?: boolean } = {}): Promise<void> {
    return this.exclusive(id, () => this.stopNow(id, how));
  }

  private async runNow(subscription: WebhookSubscription): Promise<void> {
    const running = this.dispatchers.get(subscription.id);
    if (running) {
      if (sameFilter(running.current, subscription)) return running.update(subscription);
      await this.stopNow(subscription.id, { keepLease: true });
    }
    const grant =
      this.leases.get(subscription.id) ??
      (await this.deps.reads.acquireLease(deliveryLease(subscription.id), this.owner, this.deps.leaseMs, Date.now()));
    if (!grant) return;
    this.leases.set(subscription.id, grant);
    const presenter = new EventPresenter(this.deps.personalData, 'subscriber');
    const dispatcher = new WebhookDispatcher(
      subscription,
      {
        events: this.deps.events,
        reads: this.deps.reads,
        sender: this.deps.sender,
        present: (stored) => presenter.present(stored),
        now: () => new Date(),
        onError: (message) => this.deps.log(message),
        fence: { lease: deliveryLease(subscription.id), token: grant.token },
        onLeaseLost: () => void this.stopFor(subscription.id, { lost: true }),
      },
      this.deps.options,
    );
    this.dispatchers.set(subscription.id, dispatcher);
    await dispatcher.start();
  }

  private async stopNow(id: string, how: { discard?: boolean; lost?: boolean; keepLease?: boolean }): Promise<void> {
    const dispatcher = this.dispatchers.get(id);
    this.dispatchers.delete(id);
    await dispatcher?.stop({ ...(how.discard ? { discard: true } : {}) });
    if (how.keepLease) return;
    const grant = this.leases.get(id);
    this.leases.delete(id);
    if (grant && !how.lost)
      await this.deps.reads.releaseLease(deliveryLease(id), this.owner, grant.token).catch(() => false);
  }

  private async claimOnce(): Promise<void> {
    try {
      const seen = new Set<string>();
      for await (const subscription of this.deps.subscriptions.scan()) {
        seen.add(subscription.id);
        if (subscription.status !== 'active') {
          if (this.dispatchers.has(subscription.id) || this.leases.has(subscription.id))
            await this.stopFor(subscription.id);
          continue;
        }
        const held = this.leases.get(subscription.id);
        if (held) {
          const renewed = await this.deps.reads.renewLease(
            deliveryLease(subscription.id),
            this.owner,
            held.token,
            this.deps.leaseMs,
            Date.now(),
          );
          if (!renewed) {
            await this.stopFor(subscription.id, { lost: true });
            continue;
          }
          this.leases.set(subscription.id, renewed);
        }
        await this.run(subscription);
      }
      // Deleted by another instance: nothing of it is kept.
      for (const id of [...this.dispatchers.keys()]) {
        if (seen.has(id)) continue;
        await this.stopFor(id, { discard: true });
        await this.deps.reads.deleteCheckpoint(checkpointName(id));
      }
    } catch (error) {
      this.deps.log(`webhook lease pass failed: ${(error as Error).message}`);
    }
  }

  private exclusive(id: string, work: () => Promise<void>): Promise<void> {
    const next = (this.locks.get(id) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }
}

export const hostOptions = (initialDelayMs: number, maxDelayMs: number): DispatcherOptions => ({
  ...DEFAULT_DISPATCHER_OPTIONS,
  initialDelayMs,
  maxDelayMs,
});
