/** Where a stream must stand for an append to be accepted (EventStoreDB's semantics). */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** Metadata every stored event carries; the store adds `prevHash` and `hash` on append. */
export interface EventMetadataBase {
  eventId: string;
  [key: string]: unknown;
}

export interface EventToAppend {
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadataBase;
}

export interface StoredEvent {
  streamId: string;
  /** 0-based index of the event in its stream. */
  revision: number;
  /** Global commit order across all streams; strictly increasing, starts at 1. */
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadataBase & { prevHash: string; hash: string };
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextExpectedRevision: number;
  /** Global position of the last event appended. */
  position: number;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  fromRevision?: number;
  direction?: Direction;
  maxCount?: number;
}

export interface EventFilter {
  /** Stream id prefixes, e.g. `customer-`. */
  streamPrefixes?: string[];
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Inclusive. Forwards default: the start; backwards default: the end. */
  fromPosition?: number;
  direction?: Direction;
  maxCount?: number;
  filter?: EventFilter;
}

export interface ReadByStreamOptions {
  /** Stream id prefix, e.g. `customer-` (a category). */
  prefix: string;
  /** Inclusive upper bound: events appended after the read began are left for a global-order catch-up. */
  toPosition: number;
  /** Resume after this stream (exclusive), in the store's stream order. */
  afterStream?: string;
  eventTypes?: string[];
  /** Only the streams of this partition (see streamPartition): workers that split a rebuild take one each. */
  partition?: { count: number; index: number };
}

export interface SubscribeOptions {
  /** Exclusive: the subscription delivers events strictly after this position (0 or absent = from the start). */
  fromPosition?: number;
  filter?: EventFilter;
}

/** A catch-up-then-live feed. Iterate it; `close()` ends iteration and releases resources. */
export interface Subscription extends AsyncIterable<StoredEvent> {
  close(): Promise<void>;
}

export type VerifyResult =
  | { ok: true; streamId: string; events: number }
  | { ok: false; streamId: string; events: number; brokenAt: number; reason: string };

/**
 * The event store: append-only streams with optimistic concurrency, a global order,
 * catch-up subscriptions and a per-stream hash chain.
 */
export interface EventStore {
  /**
   * Appends atomically. Fails with WrongExpectedRevisionError when the stream is not where
   * `expectedRevision` says. Re-appending events whose ids are already stored at that place
   * returns the original result and writes nothing.
   */
  appendToStream(streamId: string, events: EventToAppend[], options?: AppendOptions): Promise<AppendResult>;
  /** Pages from storage; an unknown stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  /** Pages from storage in global order; memory stays bounded whatever the size of the store. */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /**
   * Every event of the streams under a prefix, stream after stream (each stream whole and in revision
   * order, streams in a stable order of the store's choosing), up to `toPosition`. For rebuilds that
   * complete one customer's documents at a time: memory stays bounded whatever the number of streams.
   */
  readByStream(options: ReadByStreamOptions): AsyncIterable<StoredEvent>;
  /** Catches up from `fromPosition` (exclusive) then follows new commits; slow consumers apply backpressure. */
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Current revision of a stream, or null when it does not exist. */
  streamRevision(streamId: string): Promise<number | null>;
  /** Position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /** Recomputes the stream's hash chain from the stored bytes. */
  verifyStream(streamId: string): Promise<VerifyResult>;
  /** Every stream id, optionally by prefix, paged from storage. */
  listStreams(prefix?: string): AsyncIterable<string>;
  close(): Promise<void>;
}

/** Nest injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
