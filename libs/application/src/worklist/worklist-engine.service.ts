import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { Actor, FollowUpRule } from '@rapport/domain';
import type { ComplaintSlaPolicy } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import type { WorklistPolicy } from '@rapport/projections/worklist/worklist-policy';
import { worklistTriggers, type TriggerCandidate } from '@rapport/projections/worklist/worklist-triggers';
import type { FollowUpDoc } from '@rapport/projections/worklist/worklist.projection';
import { ClockDecisionRecorder, type ClockRule } from '../clock-decisions/clock-decision-recorder';
import { COMPLAINT_SLA_POLICY } from '../config/engine-config.module';
import { WORKLIST_POLICY } from '../config/worklist-config';
import { ProjectionsService } from '../projections/projections.service';
import { READ_MODELS } from '@rapport/projections/read-models';
import { CustomerWorkReader } from './customer-work-reader';

export interface WorklistRunReport {
  now: string;
  run: string | null;
  customers: number;
  /** Triggers that hold at now. */
  candidates: number;
  /** Left alone: the customer already has an open follow-up for that rule. */
  alreadyOpen: number;
  recorded: number;
  /** Recorded before under the same trigger (a rerun, or another engine first). */
  alreadyRecorded: number;
  skipped: Array<{ customerId: string; rule: FollowUpRule; refusedBy: string }>;
  byRule: Partial<Record<FollowUpRule, number>>;
  durationMs: number;
}

/** The follow-up id of a trigger: derived from it, so the same trigger always names the same follow-up. */
export const followUpIdOf = (trigger: string): string =>
  `fu-${createHash('sha256').update(trigger).digest('hex').slice(0, 20)}`;
export const triggerIdempotencyKey = (trigger: string): string => `worklist:${trigger}`;

export const WORKLIST_ENGINE_ACTOR: Actor = { id: 'worklist-engine', role: 'system' };

/** A trigger that holds at now is recorded as FollowUpScheduled, keyed by the trigger. */
const SCHEDULE_FOLLOW_UP: ClockRule<TriggerCandidate> = {
  actor: WORKLIST_ENGINE_ACTOR,
  decisionOf: ({ customerId, rule, trigger, occurredAt, dueAt, priority, assignee, reasons }) => ({
    command: {
      type: 'ScheduleFollowUp',
      customerId,
      followUpId: followUpIdOf(trigger),
      rule,
      reasons,
      dueAt,
      assignee,
      priority,
      trigger,
      occurredAt,
    },
    idempotencyKey: triggerIdempotencyKey(trigger),
  }),
};

/**
 * The clock-driven worklist engine: finds every trigger that holds at now (revisits per tier, promises
 * due soon, complaint SLAs at risk, high-value customers in decline, detractor answers, sentiment
 * drops) and records FollowUpScheduled through the command path once per trigger: the idempotency key
 * and the follow-up id derive from the trigger, so a rerun or a replay records nothing twice.
 */
@Injectable()
export class WorklistEngine {
  private readonly logger = new Logger(WorklistEngine.name);

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(CustomerWorkReader) private readonly reader: CustomerWorkReader,
    @Inject(ClockDecisionRecorder) private readonly recorder: ClockDecisionRecorder,
    @Inject(WORKLIST_POLICY) private readonly policy: WorklistPolicy,
    @Inject(COMPLAINT_SLA_POLICY) private readonly slaPolicy: ComplaintSlaPolicy,
  ) {}

  async run(now: Date): Promise<WorklistRunReport> {
    const started = performance.now();
    const at = now.toISOString();
    const nowMs = now.getTime();
    const run = await this.reader.runAsOf(at);
    const open = await this.openRules();
    const report: WorklistRunReport = {
      now: at,
      run: run?.id ?? null,
      customers: 0,
      candidates: 0,
      alreadyOpen: 0,
      recorded: 0,
      alreadyRecorded: 0,
      skipped: [],
      byRule: {},
      durationMs: 0,
    };
    for await (const page of this.reader.pages(run)) {
      const toRecord: TriggerCandidate[] = [];
      for (const work of page) {
        report.customers += 1;
        const found = worklistTriggers(
          {
            customerId: work.health.customerId,
            tier: work.scored?.tier ?? null,
            stage: work.scored?.stage ?? null,
            stageSince: work.scored?.stageSince ?? null,
            stageReason: work.scored?.stageReason ?? null,
            health: work.health,
            sentiment: work.sentiment,
            complaints: work.complaints,
          },
          nowMs,
          this.policy,
          this.slaPolicy,
        );
        for (const candidate of found) {
          report.candidates += 1;
          const openRules = open.get(candidate.customerId);
          if (openRules?.has(candidate.rule)) {
            report.alreadyOpen += 1;
            continue;
          }
          toRecord.push(candidate);
          // One open follow-up per rule: later triggers of the same rule wait for this one to close.
          if (!openRules) open.set(candidate.customerId, new Set([candidate.rule]));
          else openRules.add(candidate.rule);
        }
      }
      await this.record(toRecord, report);
    }
    report.durationMs = Math.round(performance.now() - started);
    if (report.recorded > 0) this.logger.log(`worklist engine at ${at}: ${report.recorded} follow-up(s) scheduled`);
    return report;
  }

  private async record(candidates: TriggerCandidate[], report: WorklistRunReport): Promise<void> {
    const outcomes = await this.recorder.recordInto(SCHEDULE_FOLLOW_UP, candidates, report, (candidate, refusedBy) => ({
      customerId: candidate.customerId,
      rule: candidate.rule,
      refusedBy,
    }));
    outcomes.forEach((outcome, index) => {
      const { rule } = candidates[index]!;
      if (outcome.status === 'recorded') report.byRule[rule] = (report.byRule[rule] ?? 0) + 1;
    });
  }

  /** The rules each customer has an open follow-up for, from the worklist read model. */
  private async openRules(): Promise<Map<string, Set<FollowUpRule>>> {
    const collection = await this.projections.liveCollection(READ_MODELS.worklist.name);
    const open = new Map<string, Set<FollowUpRule>>();
    let cursor: string | undefined;
    do {
      const page = await this.store.find<FollowUpDoc>(collection, {
        filter: { field: 'status', eq: 'open' },
        sort: [{ field: 'id', direction: 'asc' }],
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const doc of page.items) {
        const rules = open.get(doc.customerId) ?? new Set<FollowUpRule>();
        rules.add(doc.rule);
        open.set(doc.customerId, rules);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return open;
  }
}
