import { Inject } from '@nestjs/common';
import { createProjectionDecoder } from '@rapport/application';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import { ProjectionRunner } from '@rapport/projection-engine';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { Command, CommandRunner, Option } from 'nest-commander';
import { note, printResult, progressBar, type OutputOptions, type Progress } from '../output/cli-output';

/**
 * Rebuilds read models offline with the registry's projections and the decoder the engine runs too:
 * each builds into a shadow collection beside the live one and is switched in once caught up, so
 * readers never see a half-built model. For a running engine, prefer `POST /projections/{name}/rebuild`.
 */
@Command({
  name: 'rebuild',
  arguments: '[projection]',
  description: `Rebuild one read model or all (${READ_MODEL_PROJECTIONS.map((p) => p.name).join(', ')})`,
})
export class RebuildCommand extends CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
  ) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    const names = READ_MODEL_PROJECTIONS.map((p) => p.name);
    if (name !== undefined && !names.includes(name))
      throw new Error(`unknown projection "${name}": one of ${names.join(', ')}`);
    const selected = name === undefined ? names : [name];
    const head = await this.eventStore.headPosition();
    let bar: Progress | undefined;
    let processed = 0;
    const runner = new ProjectionRunner({
      eventStore: this.eventStore,
      readStore: this.readStore,
      decoder: createProjectionDecoder(this.keyStore),
      projections: [...READ_MODEL_PROJECTIONS],
      onProgress: (progress) => {
        processed = progress.processed;
        bar?.update(progress.position, { detail: `| ${progress.processed} events applied` });
      },
      logger: { log: () => undefined, warn: (m) => note(options, m), error: (m) => process.stderr.write(`${m}\n`) },
    });
    const results: { projection: string; collection: string; events: number; elapsedMs: number }[] = [];
    for (const projection of selected) {
      const started = Date.now();
      processed = 0;
      bar = progressBar(options, `rebuild ${projection}`, head, 'positions');
      await runner.rebuild(projection);
      bar.update(head);
      bar.stop();
      const elapsedMs = Date.now() - started;
      results.push({ projection, collection: runner.liveCollection(projection), events: processed, elapsedMs });
    }
    await runner.stop();
    printResult(options, { head, rebuilt: results }, () =>
      results.map(
        (r) =>
          `rebuilt ${r.projection} into ${r.collection}: ${r.events} events in ${(r.elapsedMs / 1000).toFixed(1)} s`,
      ),
    );
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
