import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CUSTOMER_STREAM_PREFIX, customerStreamId } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type VerifyResult } from '@rapport/event-store';
import { CLOCK, type Clock } from '@rapport/application';

export interface BrokenStream {
  streamId: string;
  /** The first revision whose stored bytes do not match the chain. */
  brokenAt: number;
  reason: string;
}

export interface VerificationReport {
  ok: boolean;
  streams: number;
  events: number;
  broken: BrokenStream[];
}

export interface VerificationJob {
  jobId: string;
  status: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  progress: { streamsChecked: number; streamsTotal: number; eventsChecked: number; percent: number };
  /** Filled as broken streams are found; final when `status` is `completed`. */
  result: VerificationReport | null;
  error: string | null;
}

/** Finished jobs kept for reading their result. */
const KEPT_JOBS = 100;

/** Hash-chain verification of one customer (at once) or of every stream (a background job with progress). */
@Injectable()
export class VerificationJobsService implements OnModuleDestroy {
  private readonly logger = new Logger(VerificationJobsService.name);
  private readonly jobs = new Map<string, VerificationJob>();
  private stopping = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Null when the customer has no stream. */
  async verifyCustomer(customerId: string): Promise<VerificationReport | null> {
    const result = await this.store.verifyStream(customerStreamId(customerId));
    if (result.ok && result.events === 0) return null;
    return reportOf([result]);
  }

  /** Starts checking every customer stream; follow it with `job(id)`. */
  startAll(): VerificationJob {
    const job: VerificationJob = {
      jobId: randomUUID(),
      status: 'running',
      startedAt: this.clock.now().toISOString(),
      finishedAt: null,
      progress: { streamsChecked: 0, streamsTotal: 0, eventsChecked: 0, percent: 0 },
      result: null,
      error: null,
    };
    this.jobs.set(job.jobId, job);
    this.forgetOldJobs();
    void this.run(job);
    return job;
  }

  job(jobId: string): VerificationJob | null {
    return this.jobs.get(jobId) ?? null;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }

  private async run(job: VerificationJob): Promise<void> {
    const broken: BrokenStream[] = [];
    try {
      // Counted first so progress has a total; streams are listed from storage page by page.
      for await (const _ of this.store.listStreams(CUSTOMER_STREAM_PREFIX)) job.progress.streamsTotal++;
      job.result = { ok: true, streams: 0, events: 0, broken };
      for await (const streamId of this.store.listStreams(CUSTOMER_STREAM_PREFIX)) {
        if (this.stopping) throw new Error('the engine is shutting down');
        const result = await this.store.verifyStream(streamId);
        job.progress.streamsChecked++;
        job.progress.eventsChecked += result.events;
        job.progress.percent = Math.floor(
          (100 * job.progress.streamsChecked) / Math.max(job.progress.streamsTotal, job.progress.streamsChecked),
        );
        if (!result.ok) broken.push(brokenOf(result));
        job.result = {
          ok: broken.length === 0,
          streams: job.progress.streamsChecked,
          events: job.progress.eventsChecked,
          broken,
        };
        // Let requests (progress polls among them) through between streams.
        if (job.progress.streamsChecked % 50 === 0) await yieldToEventLoop();
      }
      job.progress.percent = 100;
      job.status = 'completed';
    } catch (error) {
      job.status = 'failed';
      job.error = (error as Error).message;
      this.logger.error(`verification job ${job.jobId} failed: ${job.error}`);
    } finally {
      job.finishedAt = this.clock.now().toISOString();
    }
  }

  private forgetOldJobs(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) return;
      if (job.status !== 'running') this.jobs.delete(id);
    }
  }
}

const brokenOf = (result: Extract<VerifyResult, { ok: false }>): BrokenStream => ({
  streamId: result.streamId,
  brokenAt: result.brokenAt,
  reason: result.reason,
});

function reportOf(results: VerifyResult[]): VerificationReport {
  const broken = results.filter((r): r is Extract<VerifyResult, { ok: false }> => !r.ok).map(brokenOf);
  return {
    ok: broken.length === 0,
    streams: results.length,
    events: results.reduce((sum, r) => sum + r.events, 0),
    broken,
  };
}
