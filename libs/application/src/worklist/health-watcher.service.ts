import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_STORE, type DocChange, type ReadStore } from '@rapport/read-store';
import { customerHealthAt, type HealthInputs } from '@rapport/projections/customer-health/customer-health-at';
import {
  HEALTH_SCORES_COLLECTION,
  HEALTH_SCORES_INDEXES,
  healthScoreDoc,
} from '@rapport/projections/customer-health/health-scores';
import { recordedBand } from '@rapport/projections/customer-health/customer-health.projection';
import { bandChangeAt, type BandChange } from '@rapport/projections/customer-health/health-band-change';
import type { HealthConfig } from '@rapport/projections/customer-health/health-config';
import type { ScoringRunRecord } from '@rapport/scoring/scoring-run';
import { ClockDecisionRecorder, type ClockRule } from '../clock-decisions/clock-decision-recorder';
import { HEALTH_CONFIG } from '../config/worklist-config';
import type { Actor } from '@rapport/domain';
import { CustomerWorkReader, type CustomerWork } from './customer-work-reader';

export interface HealthWatchReport {
  asOf: string;
  run: string | null;
  customers: number;
  bands: Record<string, number>;
  /** Band changes recorded (only in a pass at now). */
  recorded: number;
  alreadyRecorded: number;
  skipped: Array<{ customerId: string; rule: string }>;
  durationMs: number;
}

/** The health inputs of one customer: its facts, sentiment and the run's P(alive). */
export const healthInputsOf = (work: CustomerWork, run: ScoringRunRecord | null): HealthInputs => ({
  health: work.health,
  sentiment: work.sentiment,
  population: run && work.scored ? { run: run.id, probabilityAlive: work.scored.probabilityAlive } : null,
});

export const bandChangeKey = (customerId: string, to: string, atMs: number): string =>
  `health-band:${customerId}:${to}:${new Date(atMs).toISOString()}`;

export const HEALTH_WATCHER_ACTOR: Actor = { id: 'health-watcher', role: 'system' };

/** A band change is recorded as CustomerHealthBandChanged dated when the band changed, once per change. */
const bandChangeRule = (noticedAt: string): ClockRule<BandChange> => ({
  actor: HEALTH_WATCHER_ACTOR,
  decisionOf: (change) => ({
    command: {
      type: 'RecordHealthBandChange',
      customerId: change.customerId,
      occurredAt: new Date(change.changedAtMs).toISOString(),
      noticedAt,
      to: change.to,
      score: change.health.score,
      reasons: change.health.reasons
        .slice(0, 20)
        .map(({ signal, detail, eventIds }) => ({ code: signal, detail, eventIds: eventIds.slice(0, 100) })),
    },
    idempotencyKey: bandChangeKey(change.customerId, change.to, change.changedAtMs),
  }),
});

/**
 * Scores every customer's health as of a time (with the P(alive) of the scoring run that holds then) and
 * keeps the scores; at now, it also records CustomerHealthBandChanged through the command path for every
 * customer whose band differs from the one last recorded, dated when the band changed, once per change.
 */
@Injectable()
export class HealthWatcher {
  private readonly logger = new Logger(HealthWatcher.name);

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CustomerWorkReader) private readonly reader: CustomerWorkReader,
    @Inject(ClockDecisionRecorder) private readonly recorder: ClockDecisionRecorder,
    @Inject(HEALTH_CONFIG) private readonly config: HealthConfig,
  ) {}

  async run(asOf: Date, options: { recordChanges: boolean }): Promise<HealthWatchReport> {
    const started = performance.now();
    const at = asOf.toISOString();
    const asOfMs = asOf.getTime();
    const run = await this.reader.runAsOf(at);
    const report: HealthWatchReport = {
      asOf: at,
      run: run?.id ?? null,
      customers: 0,
      bands: {},
      recorded: 0,
      alreadyRecorded: 0,
      skipped: [],
      durationMs: 0,
    };
    await this.store.dropCollection(HEALTH_SCORES_COLLECTION);
    await this.store.ensureCollection({
      name: HEALTH_SCORES_COLLECTION,
      indexes: HEALTH_SCORES_INDEXES,
      deferIndexes: true,
    });
    const bandChanges: BandChange[] = [];
    for await (const page of this.reader.pages(run)) {
      const changes: DocChange[] = [];
      for (const work of page) {
        const inputs = healthInputsOf(work, run);
        const health = customerHealthAt(inputs, asOfMs, asOfMs, this.config);
        if (!health) continue;
        report.customers += 1;
        report.bands[health.band] = (report.bands[health.band] ?? 0) + 1;
        const doc = healthScoreDoc(health, run?.id ?? null, work.scored?.tier ?? null);
        changes.push({ kind: 'upsert', collection: HEALTH_SCORES_COLLECTION, doc, position: 1, force: true });
        if (options.recordChanges) {
          const change = bandChangeAt(inputs, recordedBand(inputs.health), asOfMs, this.config);
          if (change) bandChanges.push(change);
        }
      }
      if (changes.length > 0) await this.store.commit(changes);
      await this.recorder.recordInto(bandChangeRule(at), bandChanges.splice(0), report, (change, rule) => ({
        customerId: change.customerId,
        rule,
      }));
    }
    await this.store.ensureCollection({
      name: HEALTH_SCORES_COLLECTION,
      indexes: HEALTH_SCORES_INDEXES,
    });
    report.durationMs = Math.round(performance.now() - started);
    if (report.recorded > 0) this.logger.log(`health watcher at ${at}: ${report.recorded} band change(s) recorded`);
    return report;
  }
}
