import type { ServerResponse } from 'node:http';
import { CUSTOMER_STREAM_PREFIX, customerStreamId } from '@rapport/domain';
import type { EventFilter, EventStore, StoredEvent, Subscription } from '@rapport/event-store';
import type { ApiRole } from '../auth/roles';
import { writeOrWait } from '../audit/raw-response';
import { heartbeatFrame, openingFrame, sseFrame, type StreamedEvent } from './sse-frame';

/** A feed's filter and the role it is shown to: subscribers that share all three share one encoding. */
export interface FeedKey {
  role: ApiRole;
  /** Only these event types (empty: all). */
  types: string[];
  customerId?: string;
}

export interface FanOutOptions {
  /** Bytes a live subscriber may leave unread in the engine before it is disconnected (it resumes with Last-Event-ID). */
  maxBufferedBytes: number;
  /** Live frames held for a subscriber that is still catching up, before it is disconnected. */
  maxPendingBytes: number;
  retryMs: number;
}

export const DEFAULT_FAN_OUT_OPTIONS: FanOutOptions = {
  maxBufferedBytes: 1024 * 1024,
  maxPendingBytes: 4 * 1024 * 1024,
  retryMs: 1000,
};

/** The comment a subscriber gets before a deliberate disconnect: why, and how to come back. */
export const TOO_SLOW_FRAME = ': disconnected: too far behind; reconnect with Last-Event-ID to resume\n\n';

/** Longest wait between two writes of a channel, and the members that add one millisecond to it. */
const MAX_COALESCE_MS = 20;
const MEMBERS_PER_MS = 50;

type Present = (stored: StoredEvent) => Promise<StreamedEvent>;

interface Frame {
  position: number;
  bytes: Buffer;
}

interface Member {
  raw: ServerResponse;
  /** Still replaying history: live frames wait here (bounded). */
  catchingUp: boolean;
  pending: Frame[];
  pendingBytes: number;
  /** Nothing at or below this position is sent (the client's resume point). */
  after: number;
  close(reason?: string): void;
}

/** One store subscription per feed key: each event read, presented and encoded once, then written to every member. */
class Channel {
  readonly members = new Set<Member>();
  /** Position of the last frame written to the members (what a joining member must catch up to). */
  flushedTo = 0;
  /** Its last member left and its subscription is closed: a late joiner needs a new channel. */
  dead = false;
  private queue: Frame[] = [];
  private lastFlush = 0;
  private scheduled = false;
  private feed: Subscription | undefined;

  constructor(
    private readonly store: EventStore,
    readonly filter: EventFilter,
    private readonly ownStream: string | undefined,
    readonly present: Present,
    private readonly options: FanOutOptions,
    private readonly onEmpty: () => void,
  ) {}

  async start(): Promise<void> {
    this.flushedTo = await this.store.headPosition();
    this.feed = this.store.subscribeToAll({ fromPosition: this.flushedTo, filter: this.filter });
    void this.pump(this.feed);
  }

  matches(stored: StoredEvent): boolean {
    return this.ownStream === undefined || stored.streamId === this.ownStream;
  }

  leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0 && !this.dead) {
      this.dead = true;
      this.onEmpty();
      void this.feed?.close();
    }
  }

  private async pump(feed: Subscription): Promise<void> {
    try {
      for await (const stored of feed) {
        if (!this.matches(stored)) continue;
        const frame = { position: stored.position, bytes: Buffer.from(sseFrame(await this.present(stored))) };
        this.queue.push(frame);
        if (!this.scheduled) {
          this.scheduled = true;
          // Frames read in one turn go out as one write per member; with many members, writes are
          // spaced a little (up to 20 ms at 1,000) so the socket writes per second stay bounded.
          const spacing =
            Math.min(MAX_COALESCE_MS, this.members.size / MEMBERS_PER_MS) - (performance.now() - this.lastFlush);
          if (spacing > 1) setTimeout(() => this.flush(), spacing);
          else setImmediate(() => this.flush());
        }
      }
    } catch {
      // the store failed: members reconnect with their last id
    }
    this.flush();
    for (const member of [...this.members]) member.close();
  }

  private flush(): void {
    this.scheduled = false;
    this.lastFlush = performance.now();
    const frames = this.queue;
    if (frames.length === 0) return;
    this.queue = [];
    this.flushedTo = frames[frames.length - 1]!.position;
    const all = frames.length === 1 ? frames[0]!.bytes : Buffer.concat(frames.map((f) => f.bytes));
    for (const member of this.members) {
      if (member.catchingUp) {
        member.pending.push(...frames);
        member.pendingBytes += all.length;
        if (member.pendingBytes > this.options.maxPendingBytes) member.close(TOO_SLOW_FRAME);
        continue;
      }
      const chunk =
        member.after < frames[0]!.position
          ? all
          : Buffer.concat(frames.filter((f) => f.position > member.after).map((f) => f.bytes));
      if (chunk.length === 0 || member.raw.writableEnded || member.raw.destroyed) continue;
      member.raw.write(chunk);
      if (member.raw.writableLength > this.options.maxBufferedBytes) member.close(TOO_SLOW_FRAME);
    }
  }
}

/**
 * Server-sent events for many subscribers: subscribers with the same filter and role share one
 * channel (one store subscription, each event encoded once). A joining subscriber first reads its
 * history on its own (pulled as fast as its socket drains) while live frames wait for it, bounded;
 * a live subscriber whose unread bytes pass the bound is disconnected with a comment saying so, and
 * resumes with Last-Event-ID without a gap. Nothing a slow subscriber does slows the others.
 */
export class SseFanOut {
  private readonly channels = new Map<string, Promise<Channel>>();
  private readonly members = new Set<Member>();

  constructor(
    private readonly store: EventStore,
    private readonly presenterFor: (role: ApiRole) => Present,
    private readonly options: FanOutOptions = DEFAULT_FAN_OUT_OPTIONS,
  ) {}

  get subscribers(): number {
    return this.members.size;
  }

  get channelCount(): number {
    return this.channels.size;
  }

  /** Streams to `raw` (headers already sent by the caller or here) from `from` (exclusive) until either side stops. */
  async serve(raw: ServerResponse, key: FeedKey, from: number, heartbeatSeconds: number): Promise<void> {
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.socket?.setNoDelay(true);
    raw.write(openingFrame(this.options.retryMs, from));
    let closed = false;
    let channel: Channel | undefined;
    const heartbeat = setInterval(() => {
      if (!raw.writableNeedDrain && !raw.writableEnded) raw.write(heartbeatFrame());
    }, heartbeatSeconds * 1000);
    const member: Member = {
      raw,
      catchingUp: true,
      pending: [],
      pendingBytes: 0,
      after: from,
      close: (reason) => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        this.members.delete(member);
        channel?.leave(member);
        if (!raw.writableEnded) raw.end(reason);
      },
    };
    this.members.add(member);
    raw.on('close', () => member.close());
    try {
      channel = await this.channelFor(key);
      while (channel.dead) channel = await this.channelFor(key);
      if (closed) return;
      channel.members.add(member);
      const target = channel.flushedTo;
      let sent = from;
      if (from < target) {
        for await (const stored of this.store.readAll({ fromPosition: from + 1, filter: channel.filter })) {
          if (closed || stored.position > target) break;
          if (!channel.matches(stored)) continue;
          if (!(await writeOrWait(raw, sseFrame(await channel.present(stored))))) return member.close();
          sent = stored.position;
        }
      }
      // Caught up: what arrived meanwhile, then live.
      member.after = Math.max(sent, from);
      const waiting = member.pending.filter((f) => f.position > member.after);
      member.pending = [];
      member.pendingBytes = 0;
      member.catchingUp = false;
      if (waiting.length > 0) {
        raw.write(Buffer.concat(waiting.map((f) => f.bytes)));
        member.after = waiting[waiting.length - 1]!.position;
      }
    } catch {
      member.close();
    }
  }

  /** Ends every stream (clients reconnect with their Last-Event-ID to another instance). */
  closeAll(): void {
    for (const member of [...this.members]) member.close();
  }

  private channelFor(key: FeedKey): Promise<Channel> {
    const types = [...key.types].sort();
    const id = `${key.role}|${types.join(',')}|${key.customerId ?? '*'}`;
    let channel = this.channels.get(id);
    if (!channel) {
      const ownStream = key.customerId === undefined ? undefined : customerStreamId(key.customerId);
      // A prefix also matches longer ids (customer-1 / customer-10): the channel keeps only the exact stream.
      const filter: EventFilter = {
        streamPrefixes: [ownStream ?? CUSTOMER_STREAM_PREFIX],
        ...(types.length > 0 ? { eventTypes: types } : {}),
      };
      const created = new Channel(this.store, filter, ownStream, this.presenterFor(key.role), this.options, () => {
        if (this.channels.get(id) === channel) this.channels.delete(id);
      });
      channel = created.start().then(() => created);
      this.channels.set(id, channel);
    }
    return channel;
  }
}
