import type { Actor, Channel, CustomerCommand } from '@rapport/domain';
import type { BulkItem, BulkOutcome } from './bulk-command-recorder';

/** A command to record, or a line the parser refused; `line` names it in the report. */
export type RunnerItem =
  | { line: number; touchpoint: { command: CustomerCommand; idempotencyKey: string; channel?: Channel; actor?: Actor } }
  | { line: number; error: string };

export interface ImportSummary {
  /** Commands read (accepted by the parser). */
  commands: number;
  recorded: number;
  events: number;
  /** Already stored (same idempotency key): nothing written. */
  duplicates: number;
  rejected: number;
  /** Every refused line with why, parser and decider alike (the first `maxReported`). */
  problems: { line: number; reason: string }[];
  elapsedMs: number;
}

export interface ImportRunnerOptions {
  /** Commands buffered before a flush; each flush appends once per customer it holds. */
  batchSize?: number;
  /** Customers appended at once; the store groups concurrent appends into one commit. */
  concurrency?: number;
  defaultChannel?: Channel;
  defaultActor?: Actor;
  maxReported?: number;
  onProgress?: (summary: ImportSummary) => void;
  onProblem?: (problem: { line: number; reason: string }) => void;
}

export interface CustomerRecorder {
  recordCustomer(customerId: string, items: readonly BulkItem[]): Promise<BulkOutcome[]>;
}

/**
 * Streams items into the recorder: buffers a batch, groups it by customer (keeping each customer's
 * order), and appends customers concurrently. Memory stays bounded by the batch size.
 */
export async function runImport(
  items: AsyncIterable<RunnerItem>,
  recorder: CustomerRecorder,
  options: ImportRunnerOptions = {},
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 5_000;
  const concurrency = options.concurrency ?? 64;
  const maxReported = options.maxReported ?? 1_000;
  const started = Date.now();
  const summary: ImportSummary = {
    commands: 0,
    recorded: 0,
    events: 0,
    duplicates: 0,
    rejected: 0,
    problems: [],
    elapsedMs: 0,
  };
  const problem = (line: number, reason: string) => {
    summary.rejected++;
    if (summary.problems.length < maxReported) summary.problems.push({ line, reason });
    options.onProblem?.({ line, reason });
  };

  let batch = new Map<string, { line: number; item: BulkItem }[]>();
  let buffered = 0;
  const flush = async () => {
    const groups = [...batch.entries()];
    batch = new Map();
    buffered = 0;
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        const [customerId, entries] = groups[next++]!;
        const outcomes = await recorder.recordCustomer(
          customerId,
          entries.map((e) => e.item),
        );
        outcomes.forEach((outcome, i) => {
          if (outcome.status === 'recorded') {
            summary.recorded++;
            summary.events += outcome.events;
          } else if (outcome.status === 'duplicate') summary.duplicates++;
          else problem(entries[i]!.line, outcome.reason);
        });
        options.onProgress?.(summary);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
    summary.elapsedMs = Date.now() - started;
    options.onProgress?.(summary);
  };

  for await (const entry of items) {
    if ('error' in entry) {
      problem(entry.line, entry.error);
      continue;
    }
    summary.commands++;
    const { command, idempotencyKey, channel, actor } = entry.touchpoint;
    const item: BulkItem = {
      command,
      idempotencyKey,
      channel: channel ?? options.defaultChannel ?? 'import',
      actor: actor ?? options.defaultActor ?? { id: 'cli-import', role: 'admin' },
    };
    const group = batch.get(command.customerId);
    if (group) group.push({ line: entry.line, item });
    else batch.set(command.customerId, [{ line: entry.line, item }]);
    if (++buffered >= batchSize) await flush();
  }
  if (buffered > 0) await flush();
  summary.problems.sort((a, b) => a.line - b.line);
  summary.elapsedMs = Date.now() - started;
  return summary;
}
