import { Inject } from '@nestjs/common';
import { LazyModuleLoader } from '@nestjs/core';
import { AsOfReplayModule, AsOfStateService } from '@rapport/application';
import { Command, CommandRunner, Option } from 'nest-commander';
import { parseIsoTime, printResult, type OutputOptions } from '../output/cli-output';
import { readableState } from '../output/readable-state';

interface ReplayOptions extends OutputOptions {
  asOf?: string;
  knownAt?: string;
  redacted?: boolean;
}

/**
 * The engine's own as-of replay (`GET /audit/customers/{id}/state`): the customer's stream folded
 * through the decider and every per-customer projection's pure evolve, cut at business time
 * `--as-of` and recording time `--known-at`.
 */
@Command({
  name: 'replay',
  arguments: '<customer>',
  description:
    "Print a customer's state by replaying its stream (optionally as of a business time / as known at a recording time)",
})
export class ReplayCommand extends CommandRunner {
  constructor(@Inject(LazyModuleLoader) private readonly modules: LazyModuleLoader) {
    super();
  }

  async run([customerId]: string[], options: ReplayOptions): Promise<void> {
    // The as-of replay's module, loaded only for this command (its opener thread starts with it).
    const replay = await this.modules.load(() => AsOfReplayModule);
    const asOfState = replay.get(AsOfStateService);
    // The operator at the console is trusted like an auditor; --redacted shows what an analyst sees.
    const found = await asOfState.stateOf(
      customerId!,
      options.redacted ? 'analyst' : 'auditor',
      options.asOf,
      options.knownAt,
    );
    if (!found) {
      printResult(options, { customerId, found: false }, () => [`customer ${customerId} has no events`]);
      process.exitCode = 4;
      return;
    }
    const state = { ...found, decider: readableState(found.decider) };
    printResult(options, state, () => [
      `customer ${customerId}: ${state.eventsApplied} of ${state.eventsInStream} events applied` +
        `${state.asOf ? `, as of ${state.asOf}` : ''}${state.knownAt ? `, as known at ${state.knownAt}` : ''} (last revision ${state.lastRevision ?? '-'})`,
      '',
      'decider state:',
      JSON.stringify(state.decider, null, 2),
      ...Object.entries(state.readModels).flatMap(([name, doc]) => ['', `${name}:`, JSON.stringify(doc, null, 2)]),
      '',
      `not included: ${state.notIncluded}`,
    ]);
  }

  @Option({ flags: '--as-of <time>', description: 'business time: leave out what occurred later (ISO-8601)' })
  parseAsOf(value: string): string {
    return parseIsoTime('as-of')(value);
  }

  @Option({ flags: '--known-at <time>', description: 'recording time: leave out what was recorded later (ISO-8601)' })
  parseKnownAt(value: string): string {
    return parseIsoTime('known-at')(value);
  }

  @Option({ flags: '--redacted', description: 'show personal data as an analyst would ([redacted])' })
  parseRedacted(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print the state as one JSON line' })
  parseJson(): boolean {
    return true;
  }
}
