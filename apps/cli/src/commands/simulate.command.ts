import { Inject } from '@nestjs/common';
import { generatePopulation } from '@rapport/testing/generators';
import { Command, CommandRunner, Option } from 'nest-commander';
import {
  note,
  parseIsoTime,
  parsePositiveInt,
  printResult,
  progressBar,
  type OutputOptions,
} from '../output/cli-output';
import { BulkCommandRecorder } from '../recording/bulk-command-recorder';
import { runImport, type RunnerItem } from '../recording/import-runner';

interface SimulateOptions extends OutputOptions {
  customers?: number;
  days?: number;
  seed?: string;
  start?: string;
  followUpRate?: number;
}

/** Share of worklist follow-ups the simulated agents work (the rest are dismissed after 14 days). */
const DEFAULT_FOLLOW_UP_RATE = 0.6;

@Command({
  name: 'simulate',
  description:
    'Record a deterministic synthetic population (purchases, promises, complaints, surveys in English and Chinese, follow-ups worked or dismissed)',
})
export class SimulateCommand extends CommandRunner {
  constructor(@Inject(BulkCommandRecorder) private readonly recorder: BulkCommandRecorder) {
    super();
  }

  async run(_args: string[], options: SimulateOptions): Promise<void> {
    const config = {
      customers: options.customers ?? 100,
      days: options.days ?? 365,
      seed: options.seed ?? 'rapport',
      start: (options.start ?? '2024-01-01T00:00:00.000Z').slice(0, 10),
      followUpRate: options.followUpRate ?? DEFAULT_FOLLOW_UP_RATE,
    };
    note(
      options,
      `simulating ${config.customers} customers over ${config.days} days from ${config.start} (seed ${config.seed})`,
    );
    const { commands, customers } = generatePopulation(config);
    const bar = progressBar(options, 'simulate', commands.length, 'commands');
    const items = (async function* (): AsyncGenerator<RunnerItem> {
      let line = 0;
      for (const c of commands) yield { line: ++line, touchpoint: c };
    })();
    const summary = await runImport(items, this.recorder, {
      onProgress: (s) => bar.update(s.recorded + s.duplicates + s.rejected),
      onProblem: ({ line, reason }) => note(options, `command ${line}: ${reason}`),
    });
    bar.stop();
    const rhythms: Record<string, number> = {};
    for (const c of customers) rhythms[c.rhythm] = (rhythms[c.rhythm] ?? 0) + 1;
    printResult(options, { ...config, rhythms, ...summary }, () => [
      `simulated ${config.customers} customers (${Object.entries(rhythms)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}): ` +
        `${summary.recorded} commands recorded (${summary.events} events), ${summary.duplicates} already stored, ${summary.rejected} refused, in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
    ]);
    if (summary.rejected > 0) process.exitCode = 3;
  }

  @Option({ flags: '-n, --customers <n>', description: 'number of customers (default 100)' })
  parseCustomers(value: string): number {
    return parsePositiveInt('customers')(value);
  }

  @Option({ flags: '-d, --days <n>', description: 'days simulated (default 365)' })
  parseDays(value: string): number {
    return parsePositiveInt('days')(value);
  }

  @Option({
    flags: '-s, --seed <seed>',
    description: 'PRNG seed: the same seed gives the same population (default "rapport")',
  })
  parseSeed(value: string): string {
    return value;
  }

  @Option({ flags: '--start <date>', description: 'first simulated day, ISO date (default 2024-01-01)' })
  parseStart(value: string): string {
    return parseIsoTime('start')(value);
  }

  @Option({
    flags: '--follow-up-rate <r>',
    description: 'share of follow-ups agents work, 0 to 1 (default 0.6; 0: no follow-ups)',
  })
  parseFollowUpRate(value: string): number {
    const rate = Number(value);
    if (!(rate >= 0 && rate <= 1)) throw new Error(`--follow-up-rate must be a number from 0 to 1, found "${value}"`);
    return rate;
  }

  @Option({ flags: '--json', description: 'print the summary as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '-q, --quiet', description: 'print only the summary line' })
  parseQuiet(): boolean {
    return true;
  }
}
