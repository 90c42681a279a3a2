import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import { READ_STORE, type Page, type ReadStore } from '@rapport/read-store';
import { EngineConfig } from '../config/engine-config';
import { PersonalDataReader } from '../personal-data/personal-data-reader';
import { ProjectionsService } from '../projections/projections.service';
import { DEFAULT_DISPATCHER_OPTIONS, type ReplayResult, type WebhookDispatcher } from './webhook-dispatcher';
import { hostOptions, WebhookDeliveryHost } from './webhook-delivery-host';
import { DELIVERY_INDEXES, type DeliveryRecord } from './webhook-delivery';
import { InvalidWebhookUrlError, UnknownWebhookError, WebhookReplayElsewhereError } from './webhook-errors';
import {
  DEFAULT_MAX_ATTEMPTS,
  type CreateWebhook,
  type DeliveriesQuery,
  type RotateSecret,
  type UpdateWebhook,
} from './webhook-requests';
import { WebhookSender } from './webhook-sender';
import { generateSecret } from './webhook-signature';
import {
  checkpointName,
  viewOf,
  WEBHOOK_DELIVERIES,
  type WebhookSubscription,
  type WebhookSubscriptionView,
} from './webhook-subscription';
import { checkWebhookUrl } from './webhook-url';
import { WebhookSubscriptionStore } from './webhook-subscription-store';

export type WebhookWithStatus = WebhookSubscriptionView & { delivery: ReturnType<WebhookDispatcher['status']> | null };

const DEFAULT_GRACE_SECONDS = 86_400;
const PRUNE_INTERVAL_MS = 10 * 60_000;
const PRUNE_PAGE = 1000;

/**
 * Webhook subscriptions: kept in the read store, each active one delivered by its own dispatcher
 * (a consumer with a durable checkpoint). Started with the engine, stopped with it.
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly sender: WebhookSender;
  private readonly host: WebhookDeliveryHost;
  private readonly subscriptions: WebhookSubscriptionStore;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(PersonalDataReader) private readonly personalData: PersonalDataReader,
    @Inject(EngineConfig) private readonly config: EngineConfig,
    @Inject(KEY_STORE) keys: KeyStore,
    @Inject(ProjectionsService) projections: ProjectionsService,
  ) {
    this.sender = new WebhookSender({
      maxSockets: DEFAULT_DISPATCHER_OPTIONS.concurrency,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    });
    this.subscriptions = new WebhookSubscriptionStore(reads, keys);
    this.host = new WebhookDeliveryHost({
      events,
      reads,
      subscriptions: this.subscriptions,
      sender: this.sender,
      personalData,
      options: hostOptions(config.WEBHOOK_RETRY_INITIAL_MS, config.WEBHOOK_RETRY_MAX_MS),
      leaseMs: config.WEBHOOK_LEASE_SECONDS * 1000,
      owner: projections.workerId ?? undefined,
      log: (message) => this.logger.error(message),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriptions.ensure();
    await this.reads.ensureCollection({ name: WEBHOOK_DELIVERIES, indexes: DELIVERY_INDEXES });
    if (this.config.WEBHOOK_DELIVERY === 'on') {
      await this.host.start();
      this.pruneTimer = setInterval(() => {
        this.pruneLog(new Date()).catch((error: unknown) =>
          this.logger.error(`delivery log pruning failed: ${(error as Error).message}`),
        );
      }, PRUNE_INTERVAL_MS);
      this.pruneTimer.unref();
    }
  }

  /**
   * Deletes delivered log entries older than the retention, oldest first, a page at a time (log order
   * is delivery order, so the scan stops at the first entry to keep). Parked entries are never pruned.
   */
  async pruneLog(now: Date): Promise<number> {
    const hours = this.config.WEBHOOK_LOG_RETENTION_HOURS;
    if (hours === 0) return 0;
    const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
    let pruned = 0;
    for await (const subscription of this.subscriptions.scan()) {
      for (;;) {
        const page = await this.reads.find<DeliveryRecord>(WEBHOOK_DELIVERIES, {
          filter: {
            and: [
              { field: 'subscriptionId', eq: subscription.id },
              { field: 'state', eq: 'delivered' },
            ],
          },
          sort: [{ field: 'position', direction: 'asc' }],
          limit: PRUNE_PAGE,
        });
        const old = page.items.filter((d) => d.deliveredAt !== null && d.deliveredAt < cutoff);
        if (old.length > 0) {
          await this.reads.commit(
            old.map((d) => ({
              kind: 'delete' as const,
              collection: WEBHOOK_DELIVERIES,
              id: d.id,
              position: d.position,
              force: true,
            })),
          );
          pruned += old.length;
        }
        if (old.length < PRUNE_PAGE) break;
      }
    }
    return pruned;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.host.stop();
    await this.sender.close();
  }

  async create(dto: CreateWebhook): Promise<{ webhook: WebhookWithStatus; secret: string }> {
    checkUrl(dto.url);
    const now = new Date().toISOString();
    const secret = dto.secret ?? generateSecret();
    const subscription: WebhookSubscription = {
      id: randomUUID(),
      url: dto.url,
      description: dto.description ?? '',
      eventTypes: dto.eventTypes ?? [],
      categories: dto.categories ?? [],
      status: 'active',
      maxAttempts: dto.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      startAfter: await this.startPosition(dto.startFrom ?? 'now'),
      secrets: [{ secret, createdAt: now, expiresAt: null }],
      createdAt: now,
      updatedAt: now,
    };
    await this.save(subscription);
    await this.runHere(subscription);
    return { webhook: this.withStatus(subscription), secret };
  }

  /** The delivery status of each subscription this instance delivers (read by the metrics on scrape). */
  deliveryStatus(): { id: string; status: ReturnType<WebhookDispatcher['status']> }[] {
    return this.host.all().map((d) => ({ id: d.id, status: d.status() }));
  }

  async list(): Promise<WebhookWithStatus[]> {
    const all: WebhookSubscription[] = [];
    for await (const subscription of this.subscriptions.scan()) all.push(subscription);
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((s) => this.withStatus(s));
  }

  async get(id: string): Promise<WebhookWithStatus> {
    return this.withStatus(await this.load(id));
  }

  async update(id: string, dto: UpdateWebhook): Promise<WebhookWithStatus> {
    if (dto.url !== undefined) checkUrl(dto.url);
    const current = await this.load(id);
    const next: WebhookSubscription = {
      ...current,
      ...(dto.url !== undefined ? { url: dto.url } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(dto.eventTypes !== undefined ? { eventTypes: dto.eventTypes } : {}),
      ...(dto.categories !== undefined ? { categories: dto.categories } : {}),
      ...(dto.maxAttempts !== undefined ? { maxAttempts: dto.maxAttempts } : {}),
      updatedAt: new Date().toISOString(),
    };
    await this.save(next);
    // Here at once when this instance delivers it; elsewhere at the delivering instance's next lease pass.
    if (this.host.get(id)) await this.host.run(next);
    return this.withStatus(next);
  }

  async remove(id: string): Promise<void> {
    await this.load(id);
    await this.host.stopFor(id, { discard: true });
    await this.subscriptions.delete(id);
    await this.reads.deleteCheckpoint(checkpointName(id));
    // Its delivery log goes with it (nothing would prune or show it any more).
    for (;;) {
      const page = await this.reads.find<DeliveryRecord>(WEBHOOK_DELIVERIES, {
        filter: { field: 'subscriptionId', eq: id },
        limit: PRUNE_PAGE,
      });
      if (page.items.length === 0) break;
      await this.reads.commit(
        page.items.map((d) => ({
          kind: 'delete' as const,
          collection: WEBHOOK_DELIVERIES,
          id: d.id,
          position: d.position,
          force: true,
        })),
      );
    }
  }

  async setStatus(id: string, status: 'active' | 'paused'): Promise<WebhookWithStatus> {
    const current = await this.load(id);
    const next = { ...current, status, updatedAt: new Date().toISOString() };
    await this.save(next);
    if (status === 'paused') await this.host.stopFor(id);
    else await this.runHere(next);
    return this.withStatus(next);
  }

  /** A new current secret; the previous one signs beside it until the grace period ends. */
  async rotateSecret(id: string, dto: RotateSecret): Promise<{ secret: string; previousExpiresAt: string }> {
    const current = await this.load(id);
    const now = new Date();
    const previousExpiresAt = new Date(
      now.getTime() + (dto.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000,
    ).toISOString();
    const secret = dto.secret ?? generateSecret();
    const kept = current.secrets
      .filter((s) => s.expiresAt === null)
      .map((s) => ({ ...s, expiresAt: previousExpiresAt }));
    const next = {
      ...current,
      secrets: [{ secret, createdAt: now.toISOString(), expiresAt: null }, ...kept],
      updatedAt: now.toISOString(),
    };
    await this.save(next);
    this.host.get(id)?.update(next);
    return { secret, previousExpiresAt };
  }

  async deliveries(id: string, query: DeliveriesQuery): Promise<Page<DeliveryRecord>> {
    await this.load(id);
    await this.host.get(id)?.flush();
    const filters = [
      { field: 'subscriptionId', eq: id },
      ...(query.state ? [{ field: 'state', eq: query.state }] : []),
    ];
    return this.reads.find<DeliveryRecord>(WEBHOOK_DELIVERIES, {
      filter: { and: filters },
      sort: [{ field: 'position', direction: 'desc' }],
      limit: query.limit ?? 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }

  async replay(id: string, customerIds?: string[]): Promise<ReplayResult> {
    const subscription = await this.load(id);
    const dispatcher = this.host.get(id);
    if (!dispatcher)
      throw new WebhookReplayElsewhereError(
        this.config.WEBHOOK_DELIVERY === 'off'
          ? 'this engine does not deliver webhooks (WEBHOOK_DELIVERY=off): replay on the instance that does'
          : subscription.status === 'paused'
            ? 'the subscription is paused: resume it to replay its parked deliveries'
            : 'another engine instance delivers this subscription (it holds its lease): replay there',
      );
    return dispatcher.replay(customerIds);
  }

  private withStatus(subscription: WebhookSubscription): WebhookWithStatus {
    return { ...viewOf(subscription), delivery: this.host.get(subscription.id)?.status() ?? null };
  }

  private async runHere(subscription: WebhookSubscription): Promise<void> {
    if (this.config.WEBHOOK_DELIVERY === 'on') await this.host.run(subscription);
  }

  private async load(id: string): Promise<WebhookSubscription> {
    const subscription = await this.subscriptions.get(id);
    if (!subscription) throw new UnknownWebhookError(id);
    return subscription;
  }

  private save(subscription: WebhookSubscription): Promise<void> {
    return this.subscriptions.save(subscription);
  }

  private async startPosition(startFrom: string): Promise<number> {
    if (startFrom === 'beginning') return 0;
    if (startFrom === 'now') return this.events.headPosition();
    return Number(startFrom);
  }
}

function checkUrl(url: string): void {
  const problem = checkWebhookUrl(url);
  if (problem) throw new InvalidWebhookUrlError(problem.rule, problem.message);
}
