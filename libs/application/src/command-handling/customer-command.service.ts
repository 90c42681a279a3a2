import { Inject, Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { customerStreamId, isDomainError, type Actor, type CustomerEvent, type EventMetadata } from '@rapport/domain';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  retryPolicy,
  WrongExpectedRevisionError,
  type EventStore,
} from '@rapport/event-store';
import { CLOCK, type Clock } from '../clock';
import { ConcurrencyRetriesExhaustedError, IdempotencyKeyReuseError, StaleRevisionError } from './command-errors';
import type { CommandEnvelope, CommandResult } from './command-envelope';
import {
  currentSchemaVersion,
  decide,
  foldIntoOwned,
  rehydrate,
  type CustomerCommand,
  type DecidedEvent,
} from './customer-domain';
import { CustomerEventRecorded } from './customer-event-recorded.event';
import { CustomerStreamLoader, type CustomerSnapshot, type RecordedEventRef } from './customer-stream-loader';
import { eventIdFor } from './event-ids';
import { KeyedMutex } from './keyed-mutex';
import { PERSONAL_DATA_PROTECTION, type PersonalDataProtection } from './personal-data-protection';

/** Bounded retries when another process appended between our read and our write (no If-Match). */
export const MAX_ATTEMPTS = 8;

/**
 * The engine's one retry policy, for a conflict only (another writer appended between our read and our
 * write): a random, growing pause lets writers that collided not collide again in lockstep. A domain
 * refusal, a stale If-Match or a store failure is never retried.
 */
const conflictRetry = retryPolicy({
  attempts: MAX_ATTEMPTS,
  baseDelayMs: 1,
  maxDelayMs: 64,
  retryable: (error) => error instanceof WrongExpectedRevisionError,
});

/** An attempt's answer when the snapshot kept in memory was behind the store: load it and decide again at once. */
const BEHIND = Symbol('behind');

/** How many recent event ids a loaded snapshot remembers; beyond, ids are looked up in the stream. */
const RECENT_IDS = 1_000;

/** The envelope of a batched command: the actor may be the system itself (imports, simulations). */
export type BatchEnvelope = Omit<CommandEnvelope, 'actor' | 'expectedRevision'> & { actor: Actor };

/** One command of a batch for one customer. */
export interface BatchCommand {
  command: CustomerCommand;
  envelope: BatchEnvelope;
}

export type BatchOutcome =
  | { status: 'recorded'; events: number }
  /** Its Idempotency-Key's events are already stored: nothing written. */
  | { status: 'duplicate' }
  | { status: 'rejected'; reason: string };

export interface ExecuteOptions {
  /** Runs after the decision and before the append (erasure destroys the key here). */
  beforeAppend?: (events: DecidedEvent[]) => Promise<void>;
}

/**
 * The one load-decide-append loop behind every command handler: load the customer's state, replay an
 * earlier answer for a repeated Idempotency-Key, decide, add metadata, encrypt personal data, append
 * with the expected revision (retrying a conflict a bounded number of times without If-Match), and
 * publish what was appended.
 */
@Injectable()
export class CustomerCommandService {
  private readonly mutex = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CustomerStreamLoader) private readonly loader: CustomerStreamLoader,
    @Inject(PERSONAL_DATA_PROTECTION) private readonly personalData: PersonalDataProtection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EventBus) private readonly eventBus: EventBus,
  ) {}

  execute(command: CustomerCommand, envelope: CommandEnvelope, options: ExecuteOptions = {}): Promise<CommandResult> {
    const streamId = customerStreamId(command.customerId);
    return this.mutex.run(streamId, () => this.executeSerially(streamId, command, envelope, options));
  }

  /**
   * Records many commands of one customer with one append (bulk import, simulation): the state is
   * loaded once, each command is decided against the state the previous ones left (so every rule
   * holds), and the accepted events go in together. A rejected command is reported and skipped; a
   * command whose Idempotency-Key's events are stored already is reported as a duplicate.
   */
  executeMany(customerId: string, batch: readonly BatchCommand[]): Promise<BatchOutcome[]> {
    const streamId = customerStreamId(customerId);
    for (const { command } of batch) {
      if (command.customerId !== customerId)
        throw new Error(`command of ${command.customerId} in the batch of ${customerId}`);
    }
    return this.mutex.run(streamId, () => this.executeManySerially(streamId, customerId, batch));
  }

  private executeManySerially(
    streamId: string,
    customerId: string,
    batch: readonly BatchCommand[],
  ): Promise<BatchOutcome[]> {
    const firstIds = batch.map(({ envelope }) => eventIdFor(customerId, envelope.idempotencyKey, 0));
    return retryingConflicts(streamId, () => this.decideAndAppendBatch(streamId, customerId, batch, firstIds));
  }

  private async decideAndAppendBatch(
    streamId: string,
    customerId: string,
    batch: readonly BatchCommand[],
    firstIds: string[],
  ): Promise<BatchOutcome[]> {
    const snapshot = await this.loader.load(streamId);
    const known = await this.storedAmong(streamId, firstIds, snapshot);
    const outcomes: BatchOutcome[] = [];
    const events: CustomerEvent[] = [];
    // A copy of the loader's state, folded into in place as the batch is decided.
    let state = rehydrate([], snapshot.state);
    batch.forEach(({ command, envelope }, i) => {
      const firstId = firstIds[i]!;
      if (known.has(firstId)) return void outcomes.push({ status: 'duplicate' });
      try {
        const decided = decide(command, state).map((event, index) =>
          this.withMetadata(event, command, envelope, index, index === 0 ? firstId : undefined),
        );
        state = foldIntoOwned(state, decided);
        events.push(...decided);
        for (const event of decided) known.add(event.metadata.eventId);
        outcomes.push({ status: 'recorded', events: decided.length });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        outcomes.push({ status: 'rejected', reason: `${error.rule}: ${error.message}` });
      }
    });
    if (events.length === 0) return outcomes;
    const sealed = await Promise.all(events.map((event) => this.personalData.encrypt(customerId, event)));
    // An accepted erasure shreds the key after the events before it were sealed, before the append.
    if (events.some((event) => event.type === 'CustomerErased')) await this.personalData.destroyKey(customerId);
    try {
      const appended = await this.store.appendToStream(streamId, sealed as never, {
        expectedRevision: snapshot.revision ?? 'no_stream',
      });
      // Not cached: a bulk load touches each customer once or twice, and caching tens of thousands
      // of snapshots costs more (memory, GC) than re-reading the rare second batch.
      this.loader.forget(streamId);
      const first = appended.nextExpectedRevision - events.length + 1;
      this.eventBus.publishAll(
        events.map((event, index) => new CustomerEventRecorded(event, streamId, first + index, appended.position)),
      );
      return outcomes;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) this.loader.forget(streamId);
      throw error;
    }
  }

  /** The ids among `wanted` already in the stream: from the snapshot's recent ids, or a scan of a long stream. */
  private async storedAmong(streamId: string, wanted: string[], snapshot: CustomerSnapshot): Promise<Set<string>> {
    if (snapshot.revision !== null && snapshot.revision + 1 > RECENT_IDS) {
      return new Set((await this.loader.findByIds(streamId, wanted)).keys());
    }
    return new Set(wanted.filter((id) => snapshot.recent.has(id)));
  }

  private executeSerially(
    streamId: string,
    command: CustomerCommand,
    envelope: CommandEnvelope,
    options: ExecuteOptions,
  ): Promise<CommandResult> {
    // The snapshot this process left in memory is used unchecked on the first attempt (the append's
    // expected revision catches another process's write); only an answer it alone would give is checked first.
    let trustCache = options.beforeAppend === undefined;
    return retryingConflicts(streamId, async () => {
      const cached = trustCache ? this.loader.cached(streamId) : undefined;
      trustCache = false;
      const answer = cached ? await this.decideAndAppend(streamId, cached, true, command, envelope, options) : BEHIND;
      if (answer !== BEHIND) return answer;
      return this.decideAndAppend(streamId, await this.loader.load(streamId), false, command, envelope, options);
    });
  }

  /**
   * One attempt against `snapshot`: replay, decide, append. A conflict without If-Match is thrown for
   * the retry policy; with a snapshot from memory (`fromCache`) that turns out behind, BEHIND instead.
   */
  private decideAndAppend(
    streamId: string,
    snapshot: CustomerSnapshot,
    fromCache: true,
    command: CustomerCommand,
    envelope: CommandEnvelope,
    options: ExecuteOptions,
  ): Promise<CommandResult | typeof BEHIND>;
  private decideAndAppend(
    streamId: string,
    snapshot: CustomerSnapshot,
    fromCache: false,
    command: CustomerCommand,
    envelope: CommandEnvelope,
    options: ExecuteOptions,
  ): Promise<CommandResult>;
  private async decideAndAppend(
    streamId: string,
    snapshot: CustomerSnapshot,
    fromCache: boolean,
    command: CustomerCommand,
    envelope: CommandEnvelope,
    options: ExecuteOptions,
  ): Promise<CommandResult | typeof BEHIND> {
    const replay = this.replayFromSnapshot(command.customerId, envelope, snapshot);
    if (replay) return this.answerReplay(command.customerId, envelope, replay);
    if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== snapshot.revision) {
      if (fromCache && (await this.isStale(streamId, snapshot))) return BEHIND;
      throw new StaleRevisionError(envelope.expectedRevision, snapshot.revision);
    }

    let decided: DecidedEvent[];
    try {
      decided = decide(command, snapshot.state);
    } catch (error) {
      // A rejection must hold against the stored state, not a stale copy of it.
      if (fromCache && isDomainError(error) && (await this.isStale(streamId, snapshot))) return BEHIND;
      throw error;
    }
    const requestDigest =
      envelope.request === undefined
        ? null
        : await this.personalData.requestDigest(command.customerId, envelope.request);
    const events = decided.map((event, index) =>
      this.withMetadata(event, command, envelope, index, undefined, requestDigest),
    );
    if (events.length === 0) return resultOf(command.customerId, snapshot.revision ?? -1, 0, [], false);
    await options.beforeAppend?.(decided);
    const sealed = await Promise.all(events.map((event) => this.personalData.encrypt(command.customerId, event)));
    try {
      const appended = await this.store.appendToStream(streamId, sealed as never, {
        expectedRevision: snapshot.revision ?? 'no_stream',
      });
      const first = appended.nextExpectedRevision - events.length + 1;
      const refs = events.map((event, index) => ({
        event,
        stored: { revision: first + index, position: appended.position, type: event.type, metadata: event.metadata },
      }));
      this.loader.advance(streamId, snapshot, refs);
      this.eventBus.publishAll(
        refs.map((r) => new CustomerEventRecorded(r.event, streamId, r.stored.revision, appended.position)),
      );
      return resultOf(
        command.customerId,
        appended.nextExpectedRevision,
        appended.position,
        refs.map((r) => ({ eventId: r.event.metadata.eventId, type: r.event.type, revision: r.stored.revision })),
        false,
      );
    } catch (error) {
      if (error instanceof DuplicateEventIdError && envelope.idempotencyKey !== undefined) {
        // The ids are stored further back than the snapshot remembers: find them.
        const replay = await this.replayFromStream(streamId, command.customerId, envelope);
        if (replay) return this.answerReplay(command.customerId, envelope, replay);
      }
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (envelope.expectedRevision !== undefined) {
        this.loader.forget(streamId);
        throw new StaleRevisionError(envelope.expectedRevision, error.actualRevision);
      }
      // A snapshot from memory was merely behind: catch it up and decide again at once.
      if (fromCache) return BEHIND;
      this.loader.forget(streamId);
      throw error;
    }
  }

  /** Whether another process appended to the stream after the snapshot (cheap: one indexed lookup). */
  private async isStale(streamId: string, snapshot: CustomerSnapshot): Promise<boolean> {
    return (await this.store.streamRevision(streamId)) !== snapshot.revision;
  }

  private withMetadata(
    event: DecidedEvent,
    command: CustomerCommand,
    envelope: BatchEnvelope,
    index: number,
    eventId = eventIdFor(command.customerId, envelope.idempotencyKey, index),
    requestDigest: string | null = null,
  ): CustomerEvent {
    const metadata: EventMetadata = {
      eventId,
      occurredAt: command.occurredAt,
      recordedAt: this.clock.now().toISOString(),
      actor: { id: envelope.actor.id, role: envelope.actor.role },
      channel: envelope.channel,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      schemaVersion: currentSchemaVersion(event.type),
      ...(requestDigest === null ? {} : { requestDigest }),
    };
    return { ...event, metadata } as CustomerEvent;
  }

  private replayFromSnapshot(customerId: string, envelope: CommandEnvelope, snapshot: CustomerSnapshot): Replay | null {
    if (envelope.idempotencyKey === undefined) return null;
    return replayOf(customerId, envelope.idempotencyKey, snapshot.recent);
  }

  /** The earlier answer, unless the key first came with a different request (422, nothing stored). */
  private async answerReplay(customerId: string, envelope: CommandEnvelope, replay: Replay): Promise<CommandResult> {
    if (replay.requestDigest !== undefined && envelope.request !== undefined) {
      // Null: the customer was erased since, and the digest can no longer be compared.
      const digest = await this.personalData.requestDigest(customerId, envelope.request);
      if (digest !== null && digest !== replay.requestDigest)
        throw new IdempotencyKeyReuseError(envelope.idempotencyKey as string);
    }
    return replay.result;
  }

  private async replayFromStream(
    streamId: string,
    customerId: string,
    envelope: CommandEnvelope,
  ): Promise<Replay | null> {
    const key = envelope.idempotencyKey as string;
    const ids = Array.from({ length: 16 }, (_, index) => eventIdFor(customerId, key, index));
    return replayOf(customerId, key, await this.loader.findByIds(streamId, ids));
  }
}

/** Runs `attempt` under the conflict retry policy; a conflict on the last attempt is answered 409. */
async function retryingConflicts<T>(streamId: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await conflictRetry.execute(attempt);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw new ConcurrencyRetriesExhaustedError(streamId, MAX_ATTEMPTS);
    throw error;
  }
}

/** The earlier answer to an Idempotency-Key, and the digest of the request it answered (if recorded). */
interface Replay {
  result: CommandResult;
  requestDigest: string | undefined;
}

/** The earlier answer for an Idempotency-Key, from the events its derived ids name. */
function replayOf(customerId: string, key: string, known: Map<string, RecordedEventRef>): Replay | null {
  const events: CommandResult['events'] = [];
  let position = 0;
  for (let index = 0; ; index++) {
    const eventId = eventIdFor(customerId, key, index);
    const ref = known.get(eventId);
    if (!ref) break;
    events.push({ eventId, type: ref.type, revision: ref.revision });
    position = Math.max(position, ref.position);
  }
  const last = events.at(-1);
  if (!last) return null;
  const requestDigest = known.get(events[0]!.eventId)?.requestDigest;
  return { result: resultOf(customerId, last.revision, position, events, true), requestDigest };
}

const resultOf = (
  customerId: string,
  revision: number,
  position: number,
  events: CommandResult['events'],
  replayed: boolean,
): CommandResult => ({ customerId, revision, position, events, replayed });
