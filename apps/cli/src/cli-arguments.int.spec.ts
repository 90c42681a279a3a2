import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { version } from '../../../package.json';
import { IMPORT_TOTALS_KEY } from '@rapport/application';

// The real CLI in a child process (stderr a pipe, not a terminal): arguments are read before any store opens.
const ROOT = join(__dirname, '../../..');

function rapport(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, MASTER_KEY: '', NO_COLOR: '', FORCE_COLOR: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

jest.setTimeout(60_000);

describe('rapport arguments', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-cli-args-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given --help, a command --help or --version, when run, then it answers and creates no data folder', async () => {
    const dataDir = join(dir, 'data');
    const help = await rapport(dataDir, '--help');
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('import [options] <file>') });
    expect(await rapport(dataDir, 'import', '--help')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: rapport import'),
    });
    expect(await rapport(dataDir, '--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('given an unknown command, then exit 2 with the usage, and no data folder', async () => {
    const dataDir = join(dir, 'data');
    const run = await rapport(dataDir, 'frobnicate');
    expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'frobnicate'") });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('given stderr is not a terminal, then the import log has no ANSI colours; its totals are kept for /metrics', async () => {
    const file = join(dir, 'one.ndjson');
    writeFileSync(file, '');
    const run = await rapport(join(dir, 'data'), 'import', file, '--format', 'ndjson');
    const log = run.stdout + run.stderr;
    expect(log).toContain('MASTER_KEY not set'); // the start-up warning is logged...
    expect(log.includes(`${String.fromCharCode(27)}[`)).toBe(false); // ...without colour codes
    // ...and the run's totals are left for the engine's /metrics
    const reads = new SqliteReadStore({ filename: join(dir, 'data', 'read-models.sqlite') });
    expect(await reads.getMeta(IMPORT_TOTALS_KEY)).toMatchObject({ runs: 1, commands: 0, refused: 0 });
    await reads.close();
  });
});
