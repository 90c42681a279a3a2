import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// The real CLI in a child process, against a temporary SQLite data directory.
const ROOT = join(__dirname, '../../..');
const SAMPLE = '/work/shared/datasets/cdnow/CDNOW_sample.txt';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function rapport(dataDir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: 'NORMAL', EXPORT_SIGNING_KEY: '' },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const json = (run: Run) => JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('rapport CLI', () => {
  let dir: string;
  let dataDir: string;
  const sampleSlice = () => {
    // The first 600 transactions of the CDNOW sample (its own layout: id, sample id, date, cds, dollars).
    const file = join(dir, 'cdnow-slice.txt');
    writeFileSync(file, readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 600).join('\n') + '\n');
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-cli-'));
    dataDir = join(dir, 'data');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports CDNOW as registrations plus purchases, and a second import stores nothing twice', async () => {
    const file = sampleSlice();
    const customers = new Set(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[0]),
    ).size;
    const first = await rapport(dataDir, 'import', file, '--json');
    expect(first.code).toBe(0);
    expect(json(first)).toMatchObject({
      format: 'cdnow',
      commands: 600 + customers,
      recorded: 600 + customers,
      duplicates: 0,
      rejected: 0,
    });
    const second = await rapport(dataDir, 'import', file, '--json');
    expect(json(second)).toMatchObject({ recorded: 0, duplicates: 600 + customers, rejected: 0 });
    const verify = await rapport(dataDir, 'verify', '--json');
    expect(verify.code).toBe(0);
    expect(json(verify)).toMatchObject({ ok: true, streams: customers, events: 600 + customers });
  }, 120_000);

  it('reports a bad line with its number and reason, imports the rest, and exits 3', async () => {
    const file = join(dir, 'touchpoints.ndjson');
    const at = '2024-03-01T10:00:00Z';
    writeFileSync(
      file,
      [
        JSON.stringify({
          type: 'RegisterCustomer',
          customerId: 'n1',
          occurredAt: at,
          name: 'Li Wei',
          acquisitionChannel: 'web',
          acquisitionCost: 10,
          region: 'East',
          city: 'Shanghai',
        }),
        '{"type": "RecordPurchase", oops',
        JSON.stringify({
          type: 'RecordSurveyResponse',
          customerId: 'n1',
          occurredAt: at,
          surveyId: 's1',
          kind: 'nps',
          score: 11,
        }),
        JSON.stringify({
          type: 'RecordSurveyResponse',
          customerId: 'n1',
          occurredAt: at,
          surveyId: 's2',
          kind: 'nps',
          score: 9,
          comment: '很满意',
        }),
      ].join('\n'),
    );
    const run = await rapport(dataDir, 'import', file);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('line 2: not valid JSON');
    expect(run.stderr).toMatch(/line 3: .*score/);
    expect(run.stdout).toMatch(/2 recorded .* 2 refused/);
  }, 60_000);

  it('exports signed NDJSON that verify-export accepts, and detects one flipped byte', async () => {
    const out = join(dir, 'export.ndjson');
    const exported = await rapport(dataDir, 'export', '--out', out, '--json');
    expect(exported.code).toBe(0);
    expect(json(exported).events).toBeGreaterThan(600);
    const ok = await rapport(dataDir, 'verify-export', out, '--json');
    expect(ok.code).toBe(0);
    expect(json(ok)).toMatchObject({ ok: true, trustedKey: 'given' });

    const bytes = readFileSync(out);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x04;
    const altered = join(dir, 'altered.ndjson');
    writeFileSync(altered, bytes);
    const bad = await rapport(dataDir, 'verify-export', altered);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('ALTERED');
  }, 120_000);

  it('rebuilds a read model with the engine projections, and replays a customer as of a business time', async () => {
    const rebuilt = await rapport(dataDir, 'rebuild', 'customer-value', '--json');
    expect(rebuilt.code).toBe(0);
    expect(json(rebuilt)).toMatchObject({
      rebuilt: [{ projection: 'customer-value', collection: expect.stringContaining('customer-value') }],
    });

    const whole = json(await rapport(dataDir, 'replay', '00004', '--json'));
    expect(whole).toMatchObject({
      customerId: '00004',
      eventsApplied: whole.eventsInStream,
      decider: { status: 'active', orders: { 'cdnow-00004-19970101-1': { paidCents: 2933 } } },
    });
    const early = json(await rapport(dataDir, 'replay', '00004', '--as-of', '1997-01-10', '--json'));
    expect(early).toMatchObject({ eventsApplied: 2, asOf: '1997-01-10T00:00:00.000Z' });
    expect(Object.keys((early.decider as { orders: object }).orders)).toEqual(['cdnow-00004-19970101-1']);
    const unknownBefore = json(await rapport(dataDir, 'replay', '00004', '--known-at', '2000-01-01', '--json'));
    expect(unknownBefore).toMatchObject({ eventsApplied: 0 });
  }, 120_000);

  it('verify names the stream and revision of a tampered store and exits 1', async () => {
    const db = new Database(join(dataDir, 'events.sqlite'));
    const row = db
      .prepare("SELECT position, data FROM events WHERE stream_id = 'customer-00004' AND revision = 1")
      .get() as { position: number; data: string };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      row.data.replace(/"total":[\d.]+/, '"total":1'),
      row.position,
    );
    db.close();
    const run = await rapport(dataDir, 'verify', '--json');
    expect(run.code).toBe(1);
    expect(json(run)).toMatchObject({ ok: false, broken: [{ streamId: 'customer-00004', brokenAt: 1 }] });
  }, 60_000);

  it('simulates a deterministic population through the same path (every command accepted; twice stores nothing twice)', async () => {
    const simDir = join(dir, 'sim');
    const first = await rapport(simDir, 'simulate', '--customers', '40', '--days', '120', '--seed', 'int', '--json');
    expect(first.code).toBe(0);
    const summary = json(first);
    expect(summary).toMatchObject({ customers: 40, rejected: 0 });
    expect(summary.recorded).toBeGreaterThan(100);
    const again = await rapport(simDir, 'simulate', '--customers', '40', '--days', '120', '--seed', 'int', '--json');
    expect(json(again)).toMatchObject({ recorded: 0, duplicates: summary.recorded });
  }, 120_000);
});
