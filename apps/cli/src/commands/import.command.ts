import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { parseCdnow } from '../import/cdnow-parser';
import { csvKindOf, parseCsv } from '../import/csv-parser';
import { detectFormat } from '../import/detect-format';
import { IMPORT_FORMATS, type ImportFormat, type ImportItem } from '../import/import-item';
import { parseNdjson } from '../import/ndjson-parser';
import { firstLine, readChunks, readLines } from '../import/read-lines';
import { note, parsePositiveInt, printResult, progressBar, type OutputOptions } from '../output/cli-output';
import { BulkCommandRecorder } from '../recording/bulk-command-recorder';
import { runImport } from '../recording/import-runner';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { addImportRun, IMPORT_TOTALS_KEY, type ImportTotals } from '@rapport/application';

interface ImportOptions extends OutputOptions {
  format?: ImportFormat;
  kind?: string;
  batchSize?: number;
}

@Command({
  name: 'import',
  arguments: '<file>',
  description:
    'Record the touchpoints of an NDJSON, CSV or CDNOW file (idempotent: importing twice stores nothing twice)',
})
export class ImportCommand extends CommandRunner {
  constructor(
    @Inject(BulkCommandRecorder) private readonly recorder: BulkCommandRecorder,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {
    super();
  }

  async run([file]: string[], options: ImportOptions): Promise<void> {
    if (!file || !existsSync(file)) throw new Error(`file not found: ${file}`);
    const format = options.format ?? detectFormat(file, firstLine(file));
    const size = statSync(file).size;
    const bar = progressBar(options, `import ${basename(file)}`, size, 'bytes');
    let bytesRead = 0;
    const onBytes = (bytes: number) => (bytesRead = bytes);
    const items: AsyncIterable<ImportItem> =
      format === 'cdnow'
        ? parseCdnow(readLines(file, onBytes))
        : format === 'ndjson'
          ? parseNdjson(readLines(file, onBytes))
          : parseCsv(readChunks(file, onBytes), csvKindOf(basename(file), options.kind));
    const summary = await runImport(items, this.recorder, {
      batchSize: options.batchSize,
      onProgress: (s) =>
        bar.update(bytesRead, {
          detail: `| ${s.recorded} recorded, ${s.duplicates} already stored, ${s.rejected} refused`,
        }),
      onProblem: ({ line, reason }) => note(options, `line ${line}: ${reason}`),
    });
    bar.update(size);
    bar.stop();
    // Totals for the engine's /metrics (rapport_import_*): this process has no metrics endpoint of its own.
    await this.readStore.setMeta(
      IMPORT_TOTALS_KEY,
      addImportRun(await this.readStore.getMeta<ImportTotals>(IMPORT_TOTALS_KEY), summary, new Date()),
    );
    const result = { file, format, ...summary };
    printResult(options, result, () => [
      `${file} (${format}): ${summary.commands} commands read, ${summary.recorded} recorded (${summary.events} events), ` +
        `${summary.duplicates} already stored, ${summary.rejected} refused, in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
    ]);
    if (summary.rejected > 0) process.exitCode = 3;
  }

  @Option({
    flags: '-f, --format <format>',
    description: `file format: ${IMPORT_FORMATS.join(', ')} (default: by extension, then content)`,
  })
  parseFormat(value: string): ImportFormat {
    if (!(IMPORT_FORMATS as readonly string[]).includes(value))
      throw new Error(`--format must be one of ${IMPORT_FORMATS.join(', ')}, found "${value}"`);
    return value as ImportFormat;
  }

  @Option({
    flags: '-k, --kind <kind>',
    description:
      'CSV only: the touchpoint kind (a command type such as RecordPurchase, or purchases, calls, surveys...)',
  })
  parseKind(value: string): string {
    return value;
  }

  @Option({ flags: '--batch-size <n>', description: 'commands buffered per flush (default 5000)' })
  parseBatchSize(value: string): number {
    return parsePositiveInt('batch-size')(value);
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
