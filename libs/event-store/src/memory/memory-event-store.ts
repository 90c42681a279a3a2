import { DuplicateEventIdError, EventStoreClosedError, WrongExpectedRevisionError } from '../errors';
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
import { CommitNotifier } from '../shared/commit-notifier';
import { matchesFilter } from '../shared/event-filter';
import { inPartition } from '../shared/stream-partition';
import { PullSubscription, type SubscriptionPage } from '../shared/pull-subscription';
import { replayStart, revisionMatches, validateAppend } from '../shared/validate-append';
import { verifyChain } from '../shared/verify-chain';

/** One event as "stored": JSON text, so readers always get fresh copies and tests can damage bytes. */
interface MemoryRecord {
  streamId: string;
  revision: number;
  position: number;
  type: string;
  eventId: string;
  data: string;
  metadata: string;
}

const PAGE_SIZE = 256;

/** In-memory EventStore with the full port semantics, for unit tests of other components. */
export class MemoryEventStore implements EventStore {
  private readonly all: MemoryRecord[] = [];
  private readonly streams = new Map<string, MemoryRecord[]>();
  private readonly byEventId = new Map<string, MemoryRecord>();
  private readonly notifier = new CommitNotifier();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  async appendToStream(streamId: string, events: EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const expected = validateAppend(streamId, events, options);
    const stream = this.streams.get(streamId);
    const actual = stream ? stream.length - 1 : null;

    const replay = this.findReplay(streamId, events, replayStart(expected));
    if (replay) return replay;
    if (!revisionMatches(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    for (const event of events) {
      if (this.byEventId.has(event.metadata.eventId)) throw new DuplicateEventIdError(streamId, event.metadata.eventId);
    }

    const records = stream ?? [];
    let prevHash =
      records.length > 0 ? (JSON.parse(records[records.length - 1]!.metadata) as { hash: string }).hash : GENESIS_HASH;
    for (const event of events) {
      const revision = records.length;
      const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
      const metadata = JSON.parse(JSON.stringify({ ...event.metadata, prevHash })) as Record<string, unknown>;
      const hash = eventHash(prevHash, { streamId, revision, type: event.type, data, metadata });
      const record: MemoryRecord = {
        streamId,
        revision,
        position: this.all.length + 1,
        type: event.type,
        eventId: event.metadata.eventId,
        data: JSON.stringify(data),
        metadata: JSON.stringify({ ...metadata, hash }),
      };
      records.push(record);
      this.all.push(record);
      this.byEventId.set(record.eventId, record);
      prevHash = hash;
    }
    this.streams.set(streamId, records);
    this.notifier.notify();
    return { nextExpectedRevision: records.length - 1, position: this.all.length };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const records = this.streams.get(streamId) ?? [];
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let remaining = options.maxCount ?? Infinity;
    let index = options.fromRevision ?? (forwards ? 0 : records.length - 1);
    if (!forwards) index = Math.min(index, records.length - 1);
    while (remaining > 0 && index >= 0 && index < records.length) {
      yield toStored(records[index]!);
      index += forwards ? 1 : -1;
      remaining -= 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let remaining = options.maxCount ?? Infinity;
    let index = options.fromPosition !== undefined ? options.fromPosition - 1 : forwards ? 0 : this.all.length - 1;
    if (forwards) index = Math.max(index, 0);
    else index = Math.min(index, this.all.length - 1);
    while (remaining > 0 && index >= 0 && index < this.all.length) {
      const record = this.all[index]!;
      index += forwards ? 1 : -1;
      if (!matchesFilter(options.filter, record.streamId, record.type)) continue;
      yield toStored(record);
      remaining -= 1;
    }
  }

  async *readByStream(options: ReadByStreamOptions): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const filter = { eventTypes: options.eventTypes ?? [] };
    for await (const streamId of this.listStreams(options.prefix)) {
      if (options.afterStream !== undefined && streamId <= options.afterStream) continue;
      if (!inPartition(streamId, options.partition)) continue;
      for (const record of this.streams.get(streamId) ?? []) {
        if (record.position > options.toPosition) break;
        if (matchesFilter(filter, record.streamId, record.type)) yield toStored(record);
      }
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription: Subscription = new PullSubscription(
      {
        readPage: (after, limit) => this.page(after, limit, options),
        changeToken: () => this.notifier.version,
        waitForChange: (token, signal) => this.notifier.wait(token, signal),
      },
      options.fromPosition ?? 0,
      PAGE_SIZE,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(streamId: string): Promise<number | null> {
    this.assertOpen();
    const records = this.streams.get(streamId);
    return records ? records.length - 1 : null;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.all.length;
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    const records = this.streams.get(streamId) ?? [];
    return verifyChain(
      streamId,
      records.map((record) => ({ revision: record.revision, parse: () => toStored(record) })),
    );
  }

  async *listStreams(prefix = ''): AsyncIterable<string> {
    this.assertOpen();
    for (const streamId of [...this.streams.keys()].sort()) if (streamId.startsWith(prefix)) yield streamId;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
  }

  /** Test hook: overwrites one character of an event's stored data, as a tamperer with disk access would. */
  corruptStoredByte(streamId: string, revision: number, at: (json: string) => number): void {
    const record = this.streams.get(streamId)?.[revision];
    if (!record) throw new Error(`no event ${streamId}@${revision}`);
    const i = at(record.data);
    const replacement = record.data[i] === 'x' ? 'y' : 'x';
    record.data = record.data.slice(0, i) + replacement + record.data.slice(i + 1);
  }

  /** The original result when the batch's ids are already stored in order at the place asked for. */
  private findReplay(streamId: string, events: EventToAppend[], start: number | null): AppendResult | null {
    const first = this.byEventId.get(events[0]!.metadata.eventId);
    if (!first || first.streamId !== streamId || (start !== null && first.revision !== start)) return null;
    const records = this.streams.get(streamId)!;
    for (let i = 0; i < events.length; i++) {
      if (records[first.revision + i]?.eventId !== events[i]!.metadata.eventId) return null;
    }
    const last = records[first.revision + events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private page(after: number, limit: number, options: SubscribeOptions): SubscriptionPage {
    const events: StoredEvent[] = [];
    let index = Math.max(after, 0);
    while (events.length < limit && index < this.all.length) {
      const record = this.all[index]!;
      index += 1;
      if (matchesFilter(options.filter, record.streamId, record.type)) events.push(toStored(record));
    }
    return { events, scannedTo: index };
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function toStored(record: MemoryRecord): StoredEvent {
  return {
    streamId: record.streamId,
    revision: record.revision,
    position: record.position,
    type: record.type,
    data: JSON.parse(record.data) as StoredEvent['data'],
    metadata: JSON.parse(record.metadata) as StoredEvent['metadata'],
  };
}
