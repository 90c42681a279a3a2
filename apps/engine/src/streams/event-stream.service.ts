import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CUSTOMER_STREAM_PREFIX, customerStreamId, upcast } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import type { FastifyReply } from 'fastify';
import type { ApiRole } from '../auth/roles';
import { PersonalDataReader, type PersonalDataView } from '../audit/personal-data-reader';
import { writeOrWait } from '../audit/raw-response';
import { heartbeatFrame, openingFrame, sseFrame } from './sse-frame';

export interface EventStreamRequest {
  role: ApiRole;
  /** Exclusive: deliver events after this global position. */
  from: number;
  /** Only these event types (empty: all). */
  types: string[];
  heartbeatSeconds: number;
  /** One customer's stream; absent: every customer stream. */
  customerId?: string;
}

/** How long a client should wait before reconnecting (sent as the SSE `retry:` field). */
export const RECONNECT_DELAY_MS = 1000;
/** Customers whose personal-data view a connection remembers. */
const CACHED_VIEWS = 1000;

/**
 * Server-sent events over a catch-up-then-live subscription. The subscription is pulled only as
 * fast as the socket drains, so a slow client holds at most one page of events in memory; a client
 * that disconnects closes its subscription and heartbeat at once.
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(EventStreamService.name);
  private readonly open = new Set<() => void>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PersonalDataReader) private readonly personalData: PersonalDataReader,
  ) {}

  /** Streams open now (read by the metrics on scrape). */
  get openStreams(): number {
    return this.open.size;
  }

  /** Takes the response over (hijacked from Fastify) and streams until the client or the engine stops. */
  serve(reply: FastifyReply, request: EventStreamRequest): void {
    const ownStream = request.customerId === undefined ? undefined : customerStreamId(request.customerId);
    const subscription = this.store.subscribeToAll({
      fromPosition: request.from,
      // A prefix also matches longer ids (customer-1 / customer-10): the loop keeps only the exact stream.
      filter: { streamPrefixes: [ownStream ?? CUSTOMER_STREAM_PREFIX], ...(request.types.length > 0 ? { eventTypes: request.types } : {}) },
    });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.socket?.setNoDelay(true);
    let closed = false;
    const heartbeat = setInterval(() => {
      if (!raw.writableNeedDrain && !raw.writableEnded) raw.write(heartbeatFrame());
    }, request.heartbeatSeconds * 1000);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      this.open.delete(close);
      void subscription.close();
      if (!raw.writableEnded) raw.end();
    };
    this.open.add(close);
    raw.on('close', close);
    raw.write(openingFrame(RECONNECT_DELAY_MS, request.from));

    const views = new Map<string, PersonalDataView>();
    void (async () => {
      try {
        for await (const stored of subscription) {
          if (ownStream !== undefined && stored.streamId !== ownStream) continue;
          const frame = sseFrame(await this.present(stored, request.role, views));
          if (!(await writeOrWait(raw, frame))) break;
        }
      } catch (error) {
        if (!closed) this.logger.error(`event stream failed: ${(error as Error).message}`);
      } finally {
        close();
      }
    })();
  }

  /** Ends every open stream (clients reconnect with their Last-Event-ID to another instance). */
  onModuleDestroy(): void {
    for (const close of [...this.open]) close();
  }

  /** Personal data per role (plaintext, `[erased]` or `[redacted]`), then upcast to the current schema. */
  private async present(stored: StoredEvent, role: ApiRole, views: Map<string, PersonalDataView>): Promise<StoredEvent> {
    const customerId = stored.streamId.slice(CUSTOMER_STREAM_PREFIX.length);
    let view = views.get(customerId);
    if (!view) {
      view = await this.personalData.viewFor(role, customerId);
      if (views.size >= CACHED_VIEWS) views.clear();
      views.set(customerId, view);
    }
    const visible = this.personalData.apply(view, stored);
    // After an erasure the key is gone: look it up again for what follows.
    if (stored.type === 'CustomerErased') views.delete(customerId);
    try {
      const current = upcast(visible);
      return { ...visible, data: current.data as unknown as Record<string, unknown>, metadata: current.metadata as unknown as StoredEvent['metadata'] };
    } catch {
      return visible; // an event type this build does not know: delivered as stored
    }
  }
}
