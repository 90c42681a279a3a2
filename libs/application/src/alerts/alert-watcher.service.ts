import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor, CustomerCommand, LifecycleStageName } from '@rapport/domain';
import { READ_STORE, type Doc, type DocChange, type ReadStore } from '@rapport/read-store';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import { selectRun } from '@rapport/scoring/scoring-runs.query';
import type { SentimentTimelineDoc } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import { ClockDecisionRecorder, type ClockDecision, type ClockRule } from '../clock-decisions/clock-decision-recorder';
import { ProjectionsService } from '../projections/projections.service';
import { READ_MODELS } from '@rapport/projections/read-models';
import { dropOnset } from './sentiment-drop-onset';

export const ALERT_WATCHER_ACTOR: Actor = { id: 'alert-watcher', role: 'system' };
/** A stage change or sentiment drop is recorded as the alert watcher, under the key the pass derived for it. */
const ALERT_RULE: ClockRule<ClockDecision> = { actor: ALERT_WATCHER_ACTOR, decisionOf: (decision) => decision };
/** The stage each customer was last seen in by the watcher (what a stage change is measured against). */
export const WATCHED_STAGES = 'alert-watch-stages';
const WATCHED_RUN_META = 'alert-watch:stages-run';
const PAGE = 1000;
const KNOWN_KEYS = 100_000;

interface WatchedStage extends Doc {
  id: string;
  stage: LifecycleStageName;
  since: string;
}

export interface AlertWatchReport {
  sentimentDrops: { recorded: number; alreadyRecorded: number; skipped: number };
  stageChanges: { run: string | null; recorded: number; alreadyRecorded: number; skipped: number; seeded: number };
}

export const sentimentDropKey = (customerId: string, onsetAt: string): string =>
  `sentiment-drop:${customerId}:${onsetAt}`;
export const stageChangeKey = (customerId: string, stage: string, since: string): string =>
  `lifecycle-stage:${customerId}:${stage}:${since}`;

/**
 * Turns what the read models notice into alert events, recorded through the command path once each
 * (the idempotency key names the customer, the drop or stage and its moment), dated at the moment:
 * - a sentiment drop flagged in the sentiment timeline: SentimentDropped at the scored moment that
 *   took the rolling mean past the threshold;
 * - a customer whose stage in the current scoring run differs from the one the watcher saw in the
 *   previous run: LifecycleStageChanged at the run's `stageSince`. The first run the watcher sees only
 *   sets the starting stages (no alert for customers it never saw in another stage).
 */
@Injectable()
export class AlertWatcher {
  private readonly logger = new Logger(AlertWatcher.name);
  /** Keys this process already saw recorded: a flagged drop is not sent through the command path again each pass. */
  private readonly known = new Set<string>();

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(ClockDecisionRecorder) private readonly recorder: ClockDecisionRecorder,
  ) {}

  async pass(now: Date): Promise<AlertWatchReport> {
    const report: AlertWatchReport = {
      sentimentDrops: { recorded: 0, alreadyRecorded: 0, skipped: 0 },
      stageChanges: { run: null, recorded: 0, alreadyRecorded: 0, skipped: 0, seeded: 0 },
    };
    await this.sentimentDrops(now, report.sentimentDrops);
    await this.stageChanges(now, report.stageChanges);
    const recorded = report.sentimentDrops.recorded + report.stageChanges.recorded;
    if (recorded > 0)
      this.logger.log(
        `alert watcher: ${report.sentimentDrops.recorded} sentiment drop(s), ${report.stageChanges.recorded} stage change(s) recorded`,
      );
    return report;
  }

  private async sentimentDrops(now: Date, tally: AlertWatchReport['sentimentDrops']): Promise<void> {
    const collection = await this.projections.liveCollection(READ_MODELS.sentimentTimeline.name);
    let cursor: string | undefined;
    do {
      const page = await this.store.find<SentimentTimelineDoc>(collection, {
        filter: { field: 'drop.flagged', eq: true },
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      const commands: { command: CustomerCommand; key: string }[] = [];
      for (const doc of page.items) {
        const found = doc.erased ? null : dropOnset(doc);
        if (!found || found.onset.at > now.toISOString() || doc.rollingMean === null) continue;
        commands.push({
          key: sentimentDropKey(doc.customerId, found.onset.at),
          command: {
            type: 'RecordSentimentDrop',
            customerId: doc.customerId,
            occurredAt: found.onset.at,
            noticedAt: now.toISOString(),
            amount: doc.drop.amount,
            rollingMean: doc.rollingMean,
            highMean: round(doc.rollingMean + doc.drop.amount),
            highAt: doc.drop.highAt,
            positions: found.behind.map((m) => m.position),
          },
        });
      }
      await this.record(commands, tally);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private async stageChanges(now: Date, tally: AlertWatchReport['stageChanges']): Promise<void> {
    const run = await selectRun(this.store, { asOf: now.toISOString() });
    tally.run = run?.id ?? null;
    if (!run?.customers || (await this.store.getMeta<string>(WATCHED_RUN_META)) === run.id) return;
    await this.store.ensureCollection({ name: WATCHED_STAGES, indexes: [] });
    let page: AnalyticsCustomerDoc[] = [];
    const flush = async (): Promise<void> => {
      const seen = await this.store.getMany<WatchedStage>(
        WATCHED_STAGES,
        page.map((c) => c.id),
      );
      const commands: { command: CustomerCommand; key: string }[] = [];
      const changes: DocChange[] = [];
      for (const customer of page) {
        const before = seen.get(customer.id);
        const stage = customer.stage as LifecycleStageName;
        if (!before) tally.seeded++;
        else if (before.stage !== stage && customer.stageSince <= now.toISOString())
          commands.push({
            key: stageChangeKey(customer.customerId, stage, customer.stageSince),
            command: {
              type: 'RecordLifecycleStageChange',
              customerId: customer.customerId,
              occurredAt: customer.stageSince,
              noticedAt: now.toISOString(),
              from: before.stage,
              to: stage,
              reason: customer.stageReason.slice(0, 500),
              run: run.id,
            },
          });
        if (before?.stage !== stage)
          changes.push({
            kind: 'upsert',
            collection: WATCHED_STAGES,
            doc: { id: customer.id, stage, since: customer.stageSince },
            position: 0,
            force: true,
          });
      }
      await this.record(commands, tally);
      if (changes.length > 0) await this.store.commit(changes);
      page = [];
    };
    for await (const customer of this.store.scan<AnalyticsCustomerDoc>(run.customers, PAGE)) {
      page.push(customer);
      if (page.length === PAGE) await flush();
    }
    if (page.length > 0) await flush();
    await this.store.setMeta(WATCHED_RUN_META, run.id);
  }

  private async record(
    commands: { command: CustomerCommand; key: string }[],
    tally: { recorded: number; alreadyRecorded: number; skipped: number },
  ): Promise<void> {
    const fresh = commands.filter(({ key }) => !this.known.has(key));
    const outcomes = await this.recorder.record(
      ALERT_RULE,
      fresh.map(({ command, key }) => ({ command, idempotencyKey: key })),
    );
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'skipped') tally.skipped++;
      else {
        tally[outcome.status]++;
        if (this.known.size >= KNOWN_KEYS) this.known.clear();
        this.known.add(fresh[index]!.key);
      }
    });
  }
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;
