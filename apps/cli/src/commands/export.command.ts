import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Inject } from '@nestjs/common';
import { loadSigningKey, signedExportLines } from '@rapport/audit';
import { CUSTOMER_STREAM_PREFIX, customerStreamId } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import { Command, CommandRunner, Option } from 'nest-commander';
import { EngineConfig } from '@rapport/application';
import { note, printResult, progressBar, type OutputOptions } from '../output/cli-output';

interface ExportOptions extends OutputOptions {
  customer?: string;
  out?: string;
}

@Command({
  name: 'export',
  description: 'Write a signed NDJSON export (hash chain + Ed25519 signature) of one customer or the whole store',
})
export class ExportCommand extends CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EngineConfig) private readonly config: EngineConfig,
  ) {
    super();
  }

  async run(_args: string[], options: ExportOptions): Promise<void> {
    if (!options.out) throw new Error('--out FILE is required');
    const { privateKey, source } = loadSigningKey(this.config.EXPORT_SIGNING_KEY, this.config.DATA_DIR);
    if (source === 'data-dir')
      note(
        options,
        `signing with the development key in ${this.config.DATA_DIR} (set EXPORT_SIGNING_KEY in production)`,
      );
    const head = await this.store.headPosition();
    const bar = progressBar(options, 'export', head, 'positions');
    const events: AsyncIterable<StoredEvent> = options.customer
      ? this.store.readStream(customerStreamId(options.customer))
      : this.store.readAll({ filter: { streamPrefixes: [CUSTOMER_STREAM_PREFIX] } });
    const out = createWriteStream(options.out);
    let count = 0;
    const counted = (async function* () {
      for await (const event of events) {
        count++;
        if (count % 1000 === 0) bar.update(event.position);
        yield event;
      }
    })();
    const lines = signedExportLines(counted, {
      privateKey,
      createdAt: new Date().toISOString(),
      scope: options.customer ? { customerId: options.customer } : {},
    });
    for await (const line of lines) if (!out.write(line)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    bar.update(head);
    bar.stop();
    if (options.customer && count === 0) {
      process.exitCode = 4;
      note(options, `customer ${options.customer} has no events`);
    }
    printResult(options, { out: options.out, events: count, customerId: options.customer ?? null }, () => [
      `exported ${count} events to ${options.out}`,
    ]);
  }

  @Option({ flags: '-c, --customer <id>', description: 'export one customer (default: the whole store)' })
  parseCustomer(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --out <file>', description: 'the NDJSON file to write', required: true })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the result as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '-q, --quiet', description: 'print only the result' })
  parseQuiet(): boolean {
    return true;
  }
}
