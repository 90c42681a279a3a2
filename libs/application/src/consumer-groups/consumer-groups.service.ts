import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import { LeaseFencedError, READ_STORE, type LeaseGrant, type ReadStore } from '@rapport/read-store';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Role } from '@rapport/domain';
import { EngineConfig } from '../config/engine-config';
import { PersonalDataReader } from '../personal-data/personal-data-reader';
import { EventPresenter } from '../events/event-presenter';
import type { StreamedEvent } from '../events/streamed-event';
import { ConsumerGroupConflictError, UnknownConsumerGroupError } from './consumer-group-errors';
import {
  ConsumerGroup,
  groupCheckpoint,
  type AckResult,
  type ConsumerGroupDefinition,
  type GroupEvent,
} from './consumer-group';

/** What creating a group takes; the engine's DTO validates requests into this shape. */
export interface CreateConsumerGroup {
  eventTypes?: string[];
  categories?: string[];
  partitions?: number;
  /** `beginning` (default), `now`, or a global position to start after. */
  startFrom?: string;
}

export const CONSUMER_GROUPS = 'consumer-groups';
export const groupLease = (name: string): string => `consumer-group:${name}`;
const DEFAULT_PARTITIONS = 16;
const POLL_MS = 50;

/** Consumer groups: definitions in the read store, checkpoints per partition, membership in memory. */
@Injectable()
export class ConsumerGroupsService implements OnModuleDestroy {
  private readonly open = new Map<string, Promise<ConsumerGroup>>();
  private ensured: Promise<void> | undefined;
  private readonly owner = `engine-${randomUUID()}`;
  private readonly leases = new Map<string, LeaseGrant>();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(PersonalDataReader) private readonly personalData: PersonalDataReader,
    @Inject(EngineConfig) private readonly config: EngineConfig,
  ) {}

  /** Creates the group, or answers the existing one when its definition is the same (PUT is idempotent). */
  async create(name: string, dto: CreateConsumerGroup): Promise<{ created: boolean; group: ConsumerGroupDefinition }> {
    await this.ensure();
    const existing = await this.reads.get<ConsumerGroupDefinition>(CONSUMER_GROUPS, name);
    const wanted = {
      eventTypes: dto.eventTypes ?? [],
      categories: dto.categories ?? [],
      partitions: dto.partitions ?? DEFAULT_PARTITIONS,
    };
    if (existing) {
      const same =
        JSON.stringify([existing.eventTypes, existing.categories, existing.partitions]) ===
        JSON.stringify([wanted.eventTypes, wanted.categories, wanted.partitions]);
      if (!same)
        throw new ConsumerGroupConflictError(
          name,
          `consumer group ${name} exists with another filter or partition count; delete it first`,
        );
      return { created: false, group: existing };
    }
    const startFrom = dto.startFrom ?? 'beginning';
    const startAfter =
      startFrom === 'beginning' ? 0 : startFrom === 'now' ? await this.events.headPosition() : Number(startFrom);
    const group: ConsumerGroupDefinition = { id: name, ...wanted, startAfter, createdAt: new Date().toISOString() };
    await this.reads.commit([{ kind: 'upsert', collection: CONSUMER_GROUPS, doc: group, position: 0, force: true }]);
    return { created: true, group };
  }

  async list(): Promise<ConsumerGroupDefinition[]> {
    await this.ensure();
    const groups: ConsumerGroupDefinition[] = [];
    for await (const group of this.reads.scan<ConsumerGroupDefinition>(CONSUMER_GROUPS)) groups.push(group);
    return groups;
  }

  async status(name: string) {
    const group = await this.group(name);
    return { ...group.definition, ...group.status() };
  }

  async remove(name: string): Promise<void> {
    const group = await this.group(name);
    const grant = this.leases.get(name);
    this.drop(name);
    if (grant) await this.reads.releaseLease(groupLease(name), this.owner, grant.token).catch(() => false);
    await this.reads.commit([{ kind: 'delete', collection: CONSUMER_GROUPS, id: name, position: 0, force: true }]);
    for (let p = 0; p < group.definition.partitions; p++) await this.reads.deleteCheckpoint(groupCheckpoint(name, p));
  }

  /** Events for the member; with `waitMs`, waits (long poll) until some arrive or the time is up. */
  async fetch(
    name: string,
    memberId: string,
    role: Role,
    max: number,
    waitMs: number,
  ): Promise<{ memberId: string; partitions: number[]; events: GroupEvent[] }> {
    const group = await this.group(name);
    const present = this.presenter(role);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const result = await group.fetch(memberId, max, present);
      if (result.events.length > 0 || Date.now() >= deadline) return { memberId, ...result };
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    }
  }

  async ack(name: string, memberId: string, tokens: string[]): Promise<AckResult> {
    try {
      return await (await this.group(name)).ack(memberId, tokens);
    } catch (error) {
      if (!(error instanceof LeaseFencedError)) throw error;
      this.drop(name);
      throw new ConsumerGroupConflictError(
        name,
        `consumer group ${name} moved to another engine instance; its unacknowledged events are delivered there again`,
      );
    }
  }

  async leave(name: string, memberId: string): Promise<void> {
    await (await this.group(name)).leave(memberId);
  }

  private presenters = new Map<Role, (stored: StoredEvent) => Promise<StreamedEvent>>();

  private presenter(role: Role): (stored: StoredEvent) => Promise<StreamedEvent> {
    let present = this.presenters.get(role);
    if (!present) {
      const presenter = new EventPresenter(this.personalData, role);
      present = (stored) => presenter.present(stored);
      this.presenters.set(role, present);
    }
    return present;
  }

  /**
   * The group as this instance serves it. One instance serves a group at a time (its members and
   * their partitions live in that instance's memory): it holds the fenced lease `consumer-group:<name>`,
   * renewed as the group is used. Another instance answers 409 until the lease expires (the serving
   * instance stopped or died); it then serves the group from the checkpoints, and the former one's
   * acknowledgements are refused.
   */
  private async group(name: string): Promise<ConsumerGroup> {
    await this.ensure();
    const now = Date.now();
    const ttl = this.groupLeaseMs();
    const held = this.leases.get(name);
    if (held && held.expiresAtMs - now < (ttl * 2) / 3) {
      const renewed = await this.reads.renewLease(groupLease(name), this.owner, held.token, ttl, now);
      if (!renewed) this.drop(name);
      else this.leases.set(name, renewed);
    }
    let group = this.open.get(name);
    if (!group) {
      group = (async () => {
        const definition = await this.reads.get<ConsumerGroupDefinition>(CONSUMER_GROUPS, name);
        if (!definition) throw new UnknownConsumerGroupError(name);
        const grant = await this.reads.acquireLease(groupLease(name), this.owner, ttl, Date.now());
        if (!grant)
          throw new ConsumerGroupConflictError(
            name,
            `consumer group ${name} is served by another engine instance: send its members there (or wait ${Math.ceil(ttl / 1000)} s after it stopped)`,
          );
        this.leases.set(name, grant);
        return ConsumerGroup.open(definition, {
          events: this.events,
          reads: this.reads,
          now: () => Date.now(),
          leaseMs: this.config.CONSUMER_GROUP_LEASE_SECONDS * 1000,
          fence: { lease: groupLease(name), token: grant.token },
        });
      })();
      this.open.set(name, group);
      group.catch(() => this.open.delete(name));
    }
    return group;
  }

  /** Another instance serves the group now: forget its members here. */
  private drop(name: string): void {
    this.open.delete(name);
    this.leases.delete(name);
  }

  private groupLeaseMs(): number {
    return Math.max(5000, this.config.CONSUMER_GROUP_LEASE_SECONDS * 1000);
  }

  async onModuleDestroy(): Promise<void> {
    for (const [name, grant] of this.leases)
      await this.reads.releaseLease(groupLease(name), this.owner, grant.token).catch(() => false);
    this.leases.clear();
  }

  private ensure(): Promise<void> {
    this.ensured ??= this.reads.ensureCollection({ name: CONSUMER_GROUPS, indexes: [] });
    return this.ensured;
  }
}
