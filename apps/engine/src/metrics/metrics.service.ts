import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every state a projection can report, so the state gauge shows 0 for the others. */
export const PROJECTION_STATES = ['catching_up', 'live', 'rebuilding', 'stopped'] as const;

/**
 * One Prometheus registry per app instance (tests start several apps in one process). The metrics
 * are defined here; `EngineMetricsRecorder` feeds the ones observed from other parts of the engine.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'rapport_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'rapport_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'rapport_events_appended_total',
    help: 'Customer events appended by this process, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly scoringDuration = new Histogram({
    name: 'rapport_scoring_run_duration_seconds',
    help: 'Scoring runs (CLV fit, RFM, tiers, stages, deadline watch) by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly scoringLastSuccess = new Gauge({
    name: 'rapport_scoring_last_success_timestamp_seconds',
    help: 'Unix time the last successful scoring run ended (0: none since start)',
    registers: [this.registry],
  });

  readonly eventStoreAppend = new Histogram({
    name: 'rapport_event_store_append_duration_seconds',
    help: 'Event-store appends from the call to the acknowledgement (queueing, group commit, fsync), by store and outcome',
    labelNames: ['store', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly eventStoreCommit = new Histogram({
    name: 'rapport_event_store_commit_duration_seconds',
    help: 'SQLite group-commit transactions, BEGIN to COMMIT (fsync included)',
    labelNames: ['store'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly eventStoreCommitAppends = new Histogram({
    name: 'rapport_event_store_commit_appends',
    help: 'Appends carried by one SQLite group commit',
    labelNames: ['store'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  readonly sseStreamsOpened = new Counter({
    name: 'rapport_sse_streams_opened_total',
    help: 'Server-sent event streams opened, by route (rapport_sse_subscribers counts those open now)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly exports = new Counter({
    name: 'rapport_exports_total',
    help: 'Export requests by kind (audit-customer, audit-all, analytics-csv)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'rapport_' });
  }
}
