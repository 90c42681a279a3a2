import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import type { FastifyReply } from 'fastify';
import type { ApiRole } from '../auth/roles';
import { EventPresenter, PersonalDataReader } from '@rapport/application';
import { DEFAULT_FAN_OUT_OPTIONS, SseFanOut } from './sse-fan-out';

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
export const RECONNECT_DELAY_MS = DEFAULT_FAN_OUT_OPTIONS.retryMs;

/**
 * Server-sent events through the fan-out: subscribers sharing a filter and role share one store
 * subscription and one encoding of each event; history is replayed per subscriber at the pace of
 * its socket; a subscriber too far behind is disconnected and resumes with Last-Event-ID.
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly fanOut: SseFanOut;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(PersonalDataReader) personalData: PersonalDataReader) {
    this.fanOut = new SseFanOut(store, (role) => {
      const presenter = new EventPresenter(personalData, role);
      return (stored) => presenter.present(stored);
    });
  }

  /** Streams open now (read by the metrics on scrape). */
  get openStreams(): number {
    return this.fanOut.subscribers;
  }

  /** Takes the response over (hijacked from Fastify) and streams until the client or the engine stops. */
  serve(reply: FastifyReply, request: EventStreamRequest): void {
    reply.hijack();
    const key = {
      role: request.role,
      types: request.types,
      ...(request.customerId !== undefined ? { customerId: request.customerId } : {}),
    };
    void this.fanOut.serve(reply.raw, key, request.from, request.heartbeatSeconds);
  }

  /** Ends every open stream (clients reconnect with their Last-Event-ID to another instance). */
  onModuleDestroy(): void {
    this.fanOut.closeAll();
  }
}
