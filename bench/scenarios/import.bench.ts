// import.cdnow (issue 7): CDNOW_master (69,659 purchases + 23,570 registrations = 93,229 events) imported
// end to end through the CLI's own path (a Nest standalone context of the CLI module: stream the file,
// parse, decide each command, encrypt, append one batch per customer to SQLite with synchronous=FULL).
// Baseline: raw better-sqlite3 inserts of the same number of event-shaped rows (same JSON payloads,
// 1,000 rows per transaction, synchronous=FULL), measured in the same run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CommandFactory } from 'nest-commander';
import { parseCdnow } from '../../apps/cli/src/import/cdnow-parser';
import { readLines } from '../../apps/cli/src/import/read-lines';
import { CliModule } from '../../apps/cli/src/cli.module';
import { BulkCommandRecorder } from '../../apps/cli/src/recording/bulk-command-recorder';
import { runImport } from '../../apps/cli/src/recording/import-runner';
import { validateEngineConfig } from '@rapport/application';
import type { Scenario } from '../scenario';

const MASTER = '/work/shared/datasets/cdnow/CDNOW_master.txt';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

/** The master file, or its first SCALE share of lines (customers stay whole enough: the file is sorted by customer). */
function inputFile(workDir: string): string {
  if (SCALE >= 1) return MASTER;
  const lines = readFileSync(MASTER, 'utf8').split('\n');
  const file = join(workDir, 'cdnow-scaled.txt');
  writeFileSync(file, lines.slice(0, Math.max(2, Math.round(lines.length * SCALE))).join('\n'));
  return file;
}

async function rawInserts(
  path: string,
  rows: { stream: string; revision: number; type: string; data: string; metadata: string }[],
): Promise<number> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL); CREATE UNIQUE INDEX er ON events (stream_id, revision); CREATE UNIQUE INDEX ei ON events (event_id);',
  );
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const many = db.transaction((chunk: typeof rows, offset: number) =>
    chunk.forEach((r, i) => insert.run(r.stream, r.revision, `e${offset + i}`, r.type, r.data, r.metadata)),
  );
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) many(rows.slice(i, i + 1000), i);
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}

export const importCdnow: Scenario = {
  name: 'import.cdnow',
  async run(workDir) {
    const file = inputFile(workDir);
    const config = validateEngineConfig({
      DATA_DIR: join(workDir, 'data'),
      SQLITE_SYNCHRONOUS: 'FULL',
      LOG_LEVEL: 'error',
    });
    const app = await CommandFactory.createWithoutRunning(CliModule.forRoot(config), { logger: ['error'] });
    const recorder = app.get(BulkCommandRecorder);
    const started = performance.now();
    const summary = await runImport(parseCdnow(readLines(file)), recorder);
    const elapsed = performance.now() - started;
    await app.close();
    if (summary.rejected > 0)
      throw new Error(`import refused ${summary.rejected} lines: ${JSON.stringify(summary.problems.slice(0, 3))}`);

    // The same number of rows, shaped like the stored events (payload sizes alike).
    const rows = [];
    const metadata = JSON.stringify({
      eventId: '00000000-0000-5000-8000-000000000000',
      occurredAt: '1997-01-01T00:00:00.000Z',
      recordedAt: new Date().toISOString(),
      actor: { id: 'cli-import', role: 'admin' },
      channel: 'import',
      correlationId: '00000000-0000-4000-8000-000000000000',
      causationId: null,
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    });
    const data = JSON.stringify({
      customerId: '00001',
      orderId: 'cdnow-00001-19970101-1',
      lines: [{ sku: 'CD', category: 'music', quantity: 1, unitPrice: 11.77 }],
      total: 11.77,
      currency: 'USD',
    });
    for (let i = 0; i < summary.events; i++)
      rows.push({ stream: `customer-${Math.floor(i / 4)}`, revision: i % 4, type: 'PurchaseRecorded', data, metadata });
    const baseline = await rawInserts(join(workDir, 'raw.sqlite'), rows);

    return {
      value: Math.round(elapsed),
      unit: 'ms',
      baseline: Math.round(baseline),
      baselineLabel: `raw better-sqlite3 inserts of the same ${summary.events} event rows, 1,000 per transaction, synchronous=FULL`,
      target: '< 15000 ms for CDNOW_master (69,659 purchases)',
      extra: {
        commands: summary.commands,
        events: summary.events,
        eventsPerSecond: Math.round(summary.events / (elapsed / 1000)),
        scale: SCALE,
      },
    };
  },
};
