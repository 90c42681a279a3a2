import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { DuplicateEventIdError, InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  ReadByStreamOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '../event-store.port';
import { eventHash, GENESIS_HASH } from '../hash-chain';
import { replayStart, revisionMatches, validateAppend } from '../shared/validate-append';
import { verifyChain } from '../shared/verify-chain';
import { inPartition } from '../shared/stream-partition';
import { passes, toEsdbPosition, toStoredEvent } from './esdb-mapping';
import { EsdbCategoryReader } from './esdb-category';
import { EsdbSubscription } from './esdb-subscription';
import { timedAppend } from '../shared/event-store-diagnostics';
import { storeCircuitBreaker } from '../shared/resilience';

/** Transport failures of the gRPC client, not refusals such as a wrong expected revision. */
export const isEsdbOutage = (error: Error): boolean =>
  /^(Unavailable|DeadlineExceeded|NotLeader|Cancelled)Error$/.test(error.name);

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  connectionString: string;
  /** Events per read call (default 500). */
  pageSize?: number;
  /** How many of a stream's latest events an `any` append searches for an earlier copy of its ids (default 64). */
  idempotencyWindow?: number;
  /** Retries of an `any`/`stream_exists` append that raced another writer (default 10). */
  maxRaceRetries?: number;
  /**
   * A second connection for bulk reads (`$all`, subscriptions, listings, per-stream rebuild reads,
   * verification), e.g. with `nodePreference=follower`; appends and `readStream` stay on the leader.
   */
  readConnectionString?: string | null;
  /** How long a listing waits for `$ce-<category>` to catch up (default 30 s). */
  categoryCatchUpTimeoutMs?: number;
}

/** Streams a per-stream read fetches ahead of the one being consumed (round trips overlap). */
const STREAMS_AHEAD = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * EventStore on EventStoreDB/KurrentDB (server >= 22.6, for positions in stream reads). The hash
 * chain is computed client-side from the stream head, so every write is sent with the exact
 * revision it chained on; an `any`/`stream_exists` append that races another writer re-reads the
 * head and retries.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  /** Bulk reads: the leader, or the nodes `readConnectionString` prefers. */
  private readonly reader: EventStoreDBClient;
  private readonly categories: EsdbCategoryReader;
  private readonly pageSize: number;
  private readonly window: number;
  private readonly maxRetries: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.pageSize = options.pageSize ?? 500;
    this.window = options.idempotencyWindow ?? 64;
    this.maxRetries = options.maxRaceRetries ?? 10;
    this.reader = options.readConnectionString
      ? EventStoreDBClient.connectionString(options.readConnectionString)
      : this.client;
    this.categories = new EsdbCategoryReader(this.reader, this.pageSize, options.categoryCatchUpTimeoutMs);
  }

  /** Opens after consecutive transport failures (server down, deadline), never for a refused append. */
  private readonly breaker = storeCircuitBreaker({ isOutage: isEsdbOutage });

  appendToStream(streamId: string, events: EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    return timedAppend('esdb', events.length, () => this.breaker.execute(() => this.append(streamId, events, options)));
  }

  private async append(streamId: string, events: EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    const expected = validateAppend(streamId, events, options);
    events.forEach((event, i) => {
      if (!UUID.test(event.metadata.eventId))
        throw new InvalidAppendError(`events[${i}].metadata.eventId`, 'must be a UUID');
    });
    for (let attempt = 0; ; attempt++) {
      const recent = await this.collectEvents(
        this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: this.window }),
      );
      const head = recent[0] ?? null;
      const actual = head ? head.revision : null;

      const replay = await this.findReplay(streamId, events, replayStart(expected), recent);
      if (replay) return replay;
      if (!revisionMatches(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
      const seen = new Set(recent.map((e) => e.metadata.eventId));
      const duplicate = events.find((e) => seen.has(e.metadata.eventId));
      if (duplicate) throw new DuplicateEventIdError(streamId, duplicate.metadata.eventId);

      let prevHash = head ? head.metadata.hash : GENESIS_HASH;
      let revision = actual ?? -1;
      const chained = events.map((event) => {
        revision += 1;
        const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
        const metadata = JSON.parse(JSON.stringify({ ...event.metadata, prevHash })) as Record<string, unknown>;
        const hash = eventHash(prevHash, { streamId, revision, type: event.type, data, metadata });
        prevHash = hash;
        return jsonEvent({ id: event.metadata.eventId, type: event.type, data, metadata: { ...metadata, hash } });
      });
      try {
        const result = await this.client.appendToStream(streamId, chained, {
          expectedRevision: actual === null ? NO_STREAM : BigInt(actual),
        });
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          position: Number(result.position?.commit ?? -1),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const now = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : null;
        const racing = expected === 'any' || (expected === 'stream_exists' && now !== null);
        if (!racing || attempt >= this.maxRetries) throw new WrongExpectedRevisionError(streamId, expected, now);
      }
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    return this.streamEvents(this.client, streamId, options);
  }

  private async *streamEvents(
    client: EventStoreDBClient,
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<StoredEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let remaining = options.maxCount ?? Infinity;
    let cursor: bigint | typeof START | typeof END =
      options.fromRevision !== undefined ? BigInt(options.fromRevision) : forwards ? START : END;
    while (remaining > 0) {
      const limit = Math.min(this.pageSize, remaining);
      const page = await this.collectEvents(
        client.readStream(streamId, {
          fromRevision: cursor,
          direction: forwards ? FORWARDS : BACKWARDS,
          maxCount: limit,
        }),
      );
      yield* page;
      remaining -= page.length;
      const last = page[page.length - 1];
      if (page.length < limit || !last || (!forwards && last.revision === 0)) return;
      cursor = BigInt(last.revision + (forwards ? 1 : -1));
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let remaining = options.maxCount ?? Infinity;
    const from = options.fromPosition;
    // Backwards reads from a position exclude it; read the event at it first to keep the port's inclusive start.
    if (!forwards && from !== undefined) {
      for (const event of await this.allPage(toEsdbPosition(from), true, 1)) {
        if (event.position === from && passes(options.filter, event) && remaining > 0) {
          remaining -= 1;
          yield event;
        }
      }
    }
    let cursor: ReadPosition = from !== undefined ? toEsdbPosition(from) : forwards ? START : END;
    // Whether the server's start is inclusive or not, anything not strictly beyond `boundary` is skipped.
    let boundary = from === undefined ? undefined : forwards ? from - 1 : from;
    while (remaining > 0) {
      const raw = await this.allRaw(cursor, forwards, this.pageSize);
      for (const resolved of raw) {
        const event = toStoredEvent(resolved);
        if (!event) continue;
        if (boundary !== undefined && (forwards ? event.position <= boundary : event.position >= boundary)) continue;
        boundary = event.position;
        if (!passes(options.filter, event)) continue;
        yield event;
        if (--remaining <= 0) return;
      }
      const last = raw[raw.length - 1]?.event?.position;
      if (raw.length < this.pageSize || !last) return;
      cursor = last;
      if (boundary === undefined || (forwards ? Number(last.commit) > boundary : Number(last.commit) < boundary))
        boundary = Number(last.commit);
    }
  }

  /** Streams listed through `$ce-<category>`, each read whole; the next few are fetched while one is consumed. */
  async *readByStream(options: ReadByStreamOptions): AsyncIterable<StoredEvent> {
    const types = options.eventTypes && options.eventTypes.length > 0 ? new Set(options.eventTypes) : null;
    const fetch = async (streamId: string): Promise<StoredEvent[]> => {
      const out: StoredEvent[] = [];
      for await (const event of this.streamEvents(this.reader, streamId)) {
        if (event.position > options.toPosition) break;
        if (!types || types.has(event.type)) out.push(event);
      }
      return out;
    };
    const ahead: Promise<StoredEvent[]>[] = [];
    let skipping = options.afterStream !== undefined;
    for await (const streamId of this.streamsUpTo(options.prefix, options.toPosition)) {
      if (skipping) {
        skipping = streamId !== options.afterStream;
        continue;
      }
      if (!inPartition(streamId, options.partition)) continue;
      const next = fetch(streamId);
      next.catch(() => undefined); // a failure surfaces when its turn comes, not as an unhandled rejection
      ahead.push(next);
      if (ahead.length >= STREAMS_AHEAD) yield* await ahead.shift()!;
    }
    while (ahead.length > 0) yield* await ahead.shift()!;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription: Subscription = new EsdbSubscription(this.reader, options, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(streamId: string): Promise<number | null> {
    const [head] = await this.collectEvents(
      this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
    );
    return head ? head.revision : null;
  }

  async headPosition(): Promise<number> {
    const [last] = await this.allRaw(END, false, 1);
    return last?.event ? Number(last.event.position.commit) : 0;
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    const links = async function* (events: AsyncIterable<StoredEvent>) {
      for await (const event of events) yield { revision: event.revision, parse: () => event };
    };
    return verifyChain(streamId, links(this.streamEvents(this.reader, streamId)));
  }

  /** Through `$ce-<category>` when the prefix names a category (see EsdbCategoryReader), else by scanning `$all`. */
  async *listStreams(prefix = ''): AsyncIterable<string> {
    yield* this.streamsUpTo(prefix, await this.headPosition());
  }

  private async *streamsUpTo(prefix: string, upTo: number): AsyncIterable<string> {
    const listed = await this.categories.list(prefix, upTo);
    if (listed) return yield* listed;
    // No category stream: each stream is named by its first event, so nothing is remembered.
    for await (const event of this.readAll({ filter: { streamPrefixes: [prefix] } })) {
      if (event.position > upTo) return;
      if (event.revision === 0) yield event.streamId;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
    if (this.reader !== this.client) await this.reader.dispose();
  }

  private async findReplay(
    streamId: string,
    events: EventToAppend[],
    start: number | null,
    recent: StoredEvent[],
  ): Promise<AppendResult | null> {
    const firstId = events[0]!.metadata.eventId;
    const at = start ?? recent.find((e) => e.metadata.eventId === firstId)?.revision;
    if (at === undefined) return null;
    const stored = await this.collectEvents(
      this.client.readStream(streamId, { fromRevision: BigInt(at), maxCount: events.length }),
    );
    if (stored.length !== events.length || stored.some((e, i) => e.metadata.eventId !== events[i]!.metadata.eventId))
      return null;
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private async allRaw(fromPosition: ReadPosition, forwards: boolean, maxCount: number) {
    const out = [];
    for await (const resolved of this.reader.readAll({
      fromPosition,
      direction: forwards ? FORWARDS : BACKWARDS,
      maxCount,
    }))
      out.push(resolved);
    return out;
  }

  private async allPage(
    fromPosition: ReturnType<typeof toEsdbPosition>,
    forwards: boolean,
    maxCount: number,
  ): Promise<StoredEvent[]> {
    return (await this.allRaw(fromPosition, forwards, maxCount))
      .map(toStoredEvent)
      .filter((e): e is StoredEvent => e !== null);
  }

  /** Reads a bounded stream read into memory; a missing stream is empty. */
  /** Each page read passes the breaker too: an EventStoreDB outage fails fast instead of piling up reads. */
  private collectEvents(read: AsyncIterable<ResolvedEvent>): Promise<StoredEvent[]> {
    return this.breaker.execute(() => this.collectPage(read));
  }

  private async collectPage(read: AsyncIterable<ResolvedEvent>): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of read) {
        const event = toStoredEvent(resolved);
        if (event) out.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return out;
      throw error;
    }
    return out;
  }
}
