import { Inject, Injectable } from '@nestjs/common';
import { isDomainError, type Actor, type CustomerCommand } from '@rapport/domain';
import { assertStillLeading } from '@rapport/projection-engine';
import { CustomerCommandService } from '../command-handling/customer-command.service';
import { inParallel } from './in-parallel';

/** What recording one clock decision came to. */
export type Recording =
  | { status: 'recorded'; eventId: string }
  /** Stored before under the same key (a rerun, or another engine first): nothing written. */
  | { status: 'alreadyRecorded' }
  /** Refused by the decider: the world moved on since the read models were read. */
  | { status: 'skipped'; rule: string };

/** The command that records what the clock decided about one item, and the key that makes it once per deadline. */
export interface ClockDecision {
  /** Dated at the deadline it records (`occurredAt`); `noticedAt` (and recordedAt) say when it was seen. */
  command: CustomerCommand;
  /** Same item and deadline, same key: the event ids derive from it, so nothing is stored twice. */
  idempotencyKey: string;
}

/** A watcher's rule: who records, and which command records each item found due. */
export interface ClockRule<T> {
  /** A `system` actor, never given to an API key. */
  actor: Actor;
  decisionOf(item: T): ClockDecision;
}

/** A deadline watcher's rule: also what is due as of now, and how its report names a refusal. */
export interface DeadlineRule<T, S> extends ClockRule<T> {
  due(now: string): Promise<readonly T[]>;
  skippedEntry(item: T, refusedBy: string): S;
}

/** The counts every watcher reports. */
export interface ClockTally<S> {
  recorded: number;
  alreadyRecorded: number;
  skipped: S[];
}

export interface DeadlineWatchReport<S> extends ClockTally<S> {
  now: string;
  /** Items due at now without the event that records them. */
  candidates: number;
}

/** Concurrent recordings: commands of distinct customers are appended together (group commit). */
export const RECORDING_CONCURRENCY = 32;

/**
 * The one "record what the clock decided" loop of every clock-driven watcher (promise deadlines,
 * complaint SLAs, health bands, worklist triggers, lifecycle alerts): each decision goes through the
 * command path (decider, encryption, append) as the system, once per idempotency key, and only while
 * this engine still holds the jobs lease.
 */
@Injectable()
export class ClockDecisionRecorder {
  constructor(@Inject(CustomerCommandService) private readonly commands: CustomerCommandService) {}

  /** A deadline watcher's pass at `now`: what is due, recorded, counted. */
  async watch<T, S>(rule: DeadlineRule<T, S>, now: Date): Promise<DeadlineWatchReport<S>> {
    const at = now.toISOString();
    const due = await rule.due(at);
    const report: DeadlineWatchReport<S> = {
      now: at,
      candidates: due.length,
      recorded: 0,
      alreadyRecorded: 0,
      skipped: [],
    };
    await this.recordInto(rule, due, report, (item, refusedBy) => rule.skippedEntry(item, refusedBy));
    return report;
  }

  /** Records every item's decision; the outcomes come back in the items' order. */
  async record<T>(rule: ClockRule<T>, items: readonly T[]): Promise<Recording[]> {
    const outcomes: Recording[] = new Array<Recording>(items.length);
    await inParallel([...items.keys()], RECORDING_CONCURRENCY, async (index) => {
      outcomes[index] = await this.recordOne(rule.actor, rule.decisionOf(items[index]!));
    });
    return outcomes;
  }

  /** `record`, counted into `report` in the items' order (a refusal named by `skippedEntry`). */
  async recordInto<T, S>(
    rule: ClockRule<T>,
    items: readonly T[],
    report: ClockTally<S>,
    skippedEntry: (item: T, refusedBy: string) => S,
  ): Promise<Recording[]> {
    const outcomes = await this.record(rule, items);
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'skipped') report.skipped.push(skippedEntry(items[index]!, outcome.rule));
      else report[outcome.status] += 1;
    });
    return outcomes;
  }

  private async recordOne(actor: Actor, { command, idempotencyKey }: ClockDecision): Promise<Recording> {
    // A leader's pass that lost the jobs lease stops here; one that loses it right after, appends
    // what its successor appends too, under the same key: stored once.
    await assertStillLeading();
    try {
      const result = await this.commands.execute(command, {
        actor,
        channel: 'system',
        correlationId: idempotencyKey,
        causationId: null,
        idempotencyKey,
      });
      return result.replayed
        ? { status: 'alreadyRecorded' }
        : { status: 'recorded', eventId: result.events[0]?.eventId ?? '' };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { status: 'skipped', rule: error.rule };
    }
  }
}
