import { Inject } from '@nestjs/common';
import { CUSTOMER_STREAM_PREFIX, customerStreamId } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type VerifyResult } from '@rapport/event-store';
import { Command, CommandRunner, Option } from 'nest-commander';
import { note, printResult, progressBar, type OutputOptions } from '../output/cli-output';

interface VerifyOptions extends OutputOptions {
  customer?: string;
}

@Command({ name: 'verify', description: "Recompute every customer stream's hash chain; exits 1 when one is broken" })
export class VerifyCommand extends CommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  async run(_args: string[], options: VerifyOptions): Promise<void> {
    const streams: string[] = [];
    if (options.customer) streams.push(customerStreamId(options.customer));
    else for await (const stream of this.store.listStreams(CUSTOMER_STREAM_PREFIX)) streams.push(stream);
    const bar = progressBar(options, 'verify', streams.length, 'streams');
    const broken: Extract<VerifyResult, { ok: false }>[] = [];
    let events = 0;
    for (const [i, stream] of streams.entries()) {
      const result = await this.store.verifyStream(stream);
      events += result.events;
      if (!result.ok) {
        broken.push(result);
        note(options, `${result.streamId}: broken at revision ${result.brokenAt} (${result.reason})`);
      }
      if (i % 100 === 0) bar.update(i + 1);
    }
    bar.update(streams.length);
    bar.stop();
    const result = {
      ok: broken.length === 0,
      streams: streams.length,
      events,
      broken: broken.map(({ streamId, brokenAt, reason }) => ({ streamId, brokenAt, reason })),
    };
    printResult(options, result, () =>
      result.ok
        ? [`ok: ${streams.length} streams, ${events} events, every hash chain intact`]
        : [
            `BROKEN: ${broken.length} of ${streams.length} streams`,
            ...broken.map((b) => `  ${b.streamId} at revision ${b.brokenAt}: ${b.reason}`),
          ],
    );
    if (!result.ok) process.exitCode = 1;
  }

  @Option({ flags: '-c, --customer <id>', description: 'verify one customer only' })
  parseCustomer(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the report as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '-q, --quiet', description: 'print only the summary' })
  parseQuiet(): boolean {
    return true;
  }
}
