import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventBus, ofType } from '@nestjs/cqrs';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { APPEND_CHANNEL, COMMIT_CHANNEL, type AppendTiming, type CommitTiming } from '@rapport/event-store';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { Gauge } from 'prom-client';
import type { Subscription } from 'rxjs';
import {
  CustomerEventRecorded,
  IMPORT_TOTALS_KEY,
  type ImportTotals,
  ProjectionsService,
  type ProjectionStatusView,
  ScoringRunFinished,
  WebhooksService,
} from '@rapport/application';
import { EventStreamService } from '../streams/event-stream.service';
import { MetricsService, PROJECTION_STATES } from './metrics.service';

/** Projection status is read once per scrape however many gauges ask for it. */
const STATUS_REUSE_MS = 1000;

/**
 * Feeds the metrics from outside the parts it observes: appended events and scoring runs from the
 * EventBus; projection lag and SSE connections read on scrape (prom-client `collect`). Parts absent
 * in this process (no streams with PROJECTOR_ROLE=only) simply have no metric.
 */
@Injectable()
export class EngineMetricsRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EngineMetricsRecorder.name);
  private subscription: Subscription | null = null;
  private statusRead: { at: number; status: Promise<ProjectionStatusView[]> } | null = null;

  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(EventBus) private readonly eventBus: EventBus,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.eventBus.pipe(ofType(CustomerEventRecorded, ScoringRunFinished)).subscribe((event) => {
      if (event instanceof CustomerEventRecorded) this.metrics.eventsAppended.inc({ type: event.event.type });
      else this.recordScoringRun(event);
    });
    subscribe(APPEND_CHANNEL, this.onAppend);
    subscribe(COMMIT_CHANNEL, this.onCommit);
    const projections = this.optional(ProjectionsService);
    if (projections) this.registerProjectionGauges(projections);
    const readStore = this.optionalToken<ReadStore>(READ_STORE);
    if (readStore) this.registerImportGauges(readStore);
    const streams = this.optional(EventStreamService);
    if (streams) this.registerStreamGauge(streams);
    const webhooks = this.optional(WebhooksService);
    if (webhooks) this.registerWebhookGauges(webhooks);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    unsubscribe(APPEND_CHANNEL, this.onAppend);
    unsubscribe(COMMIT_CHANNEL, this.onCommit);
  }

  // The event store publishes its timings on diagnostics channels (process-wide: each app of a test
  // process counts every store's appends, which is what one process holds in production).
  private readonly onAppend = (message: unknown): void => {
    const timing = message as AppendTiming;
    this.metrics.eventStoreAppend.observe({ store: timing.store, outcome: timing.outcome }, timing.seconds);
  };

  private readonly onCommit = (message: unknown): void => {
    const timing = message as CommitTiming;
    this.metrics.eventStoreCommit.observe({ store: timing.store }, timing.seconds);
    this.metrics.eventStoreCommitAppends.observe({ store: timing.store }, timing.appends);
  };

  private recordScoringRun(run: ScoringRunFinished): void {
    this.metrics.scoringDuration.observe({ outcome: run.outcome }, run.durationSeconds);
    if (run.outcome === 'succeeded') this.metrics.scoringLastSuccess.set(run.finishedAt.getTime() / 1000);
  }

  private registerProjectionGauges(projections: ProjectionsService): void {
    const registers = [this.metrics.registry];
    const labelNames = ['projection'] as const;
    const perProjection = (read: (s: ProjectionStatusView) => number) =>
      async function (this: Gauge<'projection'>) {
        for (const status of await statuses()) this.set({ projection: status.name }, read(status));
      };
    const statuses = () => this.statuses(projections);
    new Gauge({
      name: 'rapport_projection_events_behind',
      help: 'Positions between the head of the store and the live checkpoint; 0 when no event the projection handles is past it',
      labelNames,
      registers,
      collect: perProjection((s) => s.eventsBehind),
    });
    new Gauge({
      name: 'rapport_projection_seconds_behind',
      help: 'Age of the oldest event the live model has not applied yet',
      labelNames,
      registers,
      collect: perProjection((s) => s.secondsBehind),
    });
    new Gauge({
      name: 'rapport_projection_parked_events',
      help: 'Events parked after their handler kept failing',
      labelNames,
      registers,
      collect: perProjection((s) => s.parked),
    });
    new Gauge({
      name: 'rapport_projection_checkpoint',
      help: 'Global position the live model has applied',
      labelNames,
      registers,
      collect: perProjection((s) => s.checkpoint),
    });
    new Gauge({
      name: 'rapport_projection_state',
      help: `1 for the state each projection is in (${PROJECTION_STATES.join(', ')}), 0 for the others`,
      labelNames: ['projection', 'state'] as const,
      registers,
      async collect() {
        for (const status of await statuses())
          for (const state of PROJECTION_STATES)
            this.set({ projection: status.name, state }, status.state === state ? 1 : 0);
      },
    });
  }

  /** `rapport import` runs in its own process and leaves its totals in the read store's meta. */
  private registerImportGauges(readStore: ReadStore): void {
    const registers = [this.metrics.registry];
    let read: { at: number; totals: Promise<ImportTotals | null> } | null = null;
    const totals = async (): Promise<ImportTotals | null> => {
      const now = Date.now();
      if (!read || now - read.at > STATUS_REUSE_MS)
        read = { at: now, totals: readStore.getMeta<ImportTotals>(IMPORT_TOTALS_KEY) };
      return read.totals.catch(() => null);
    };
    const gauge = (name: string, help: string, value: (t: ImportTotals) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const t = await totals();
          this.set(t ? value(t) : 0);
        },
      });
    gauge('rapport_import_runs', 'rapport import runs against this data (all time)', (t) => t.runs);
    gauge('rapport_import_commands_recorded', 'Imported commands recorded (all time)', (t) => t.recorded);
    gauge(
      'rapport_import_commands_duplicate',
      'Imported commands already stored: nothing written (all time)',
      (t) => t.duplicates,
    );
    gauge(
      'rapport_import_commands_refused',
      'Imported lines refused, by the parser or a business rule (all time)',
      (t) => t.refused,
    );
    gauge('rapport_import_events', 'Events appended by imports (all time)', (t) => t.events);
    gauge('rapport_import_seconds', 'Time spent importing (all time)', (t) => t.seconds);
    gauge('rapport_import_last_finished_timestamp_seconds', 'Unix time the last import ended (0: none)', (t) =>
      t.lastFinishedAt ? Date.parse(t.lastFinishedAt) / 1000 : 0,
    );
  }

  private registerStreamGauge(streams: EventStreamService): void {
    new Gauge({
      name: 'rapport_sse_subscribers',
      help: 'Server-sent event streams open now',
      registers: [this.metrics.registry],
      collect() {
        this.set(streams.openStreams);
      },
    });
  }

  private registerWebhookGauges(webhooks: WebhooksService): void {
    const figures = {
      rapport_webhook_delivered: ['Webhook deliveries answered 2xx since the engine started', 'delivered'],
      rapport_webhook_parked: ['Webhook deliveries parked since the engine started', 'parked'],
      rapport_webhook_failed_attempts: ['Webhook attempts that failed since the engine started', 'failedAttempts'],
      rapport_webhook_in_flight: ['Events read for a webhook subscription and not yet delivered or parked', 'inFlight'],
      rapport_webhook_checkpoint: [
        'Global position up to which a webhook subscription is done (committed)',
        'checkpoint',
      ],
    } as const;
    for (const [name, [help, field]] of Object.entries(figures)) {
      new Gauge({
        name,
        help,
        labelNames: ['subscription'],
        registers: [this.metrics.registry],
        collect() {
          this.reset();
          for (const { id, status } of webhooks.deliveryStatus()) this.set({ subscription: id }, status[field]);
        },
      });
    }
  }

  /** One status read shared by the gauges of a scrape; a failure is logged and shows no samples. */
  private async statuses(projections: ProjectionsService): Promise<ProjectionStatusView[]> {
    const now = Date.now();
    if (!this.statusRead || now - this.statusRead.at > STATUS_REUSE_MS)
      this.statusRead = {
        at: now,
        status: projections.status(),
      };
    try {
      return await this.statusRead.status;
    } catch (error) {
      this.logger.warn(`projection status for metrics failed: ${(error as Error).message}`);
      return [];
    }
  }

  private optionalToken<T>(token: symbol): T | null {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return null;
    }
  }

  private optional<T>(type: new (...args: never[]) => T): T | null {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return null;
    }
  }
}
