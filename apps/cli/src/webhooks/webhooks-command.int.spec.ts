import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../../../engine/test/engine-test-app';

// The real CLI in a child process against a listening engine (the admin API it drives).
const ROOT = join(__dirname, '../../../..');
jest.setTimeout(60_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('rapport webhooks (against a running engine)', () => {
  let engine: TestEngine;
  let base: string;
  let cliData: string;

  beforeAll(async () => {
    engine = await startTestEngine({ SQLITE_SYNCHRONOUS: 'NORMAL' });
    await engine.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(engine.app.getHttpServer().address() as { port: number }).port}`;
    cliData = mkdtempSync(join(tmpdir(), 'rapport-cli-webhooks-'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(cliData, { recursive: true, force: true });
  });

  const rapport = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'webhooks', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            DATA_DIR: cliData,
            RAPPORT_URL: base,
            RAPPORT_API_KEY: engine.keys.admin,
            EXPORT_SIGNING_KEY: '',
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const json = (run: Run) => JSON.parse(run.stdout.trim().split('\n').at(-1)!);

  it('creates, lists, pauses, resumes, rotates, reads the log, replays and deletes a subscription', async () => {
    const created = await rapport(
      'create',
      'https://hooks.example.com/rapport',
      '--categories',
      'alerts,purchase',
      '--description',
      'crm',
      '--json',
    );
    expect(created.code).toBe(0);
    const { webhook, secret } = json(created);
    expect(secret).toMatch(/^whsec_/);
    expect(webhook).toMatchObject({
      url: 'https://hooks.example.com/rapport',
      categories: ['alerts', 'purchase'],
      status: 'active',
      description: 'crm',
    });

    const listed = await rapport('list');
    expect(listed.stdout).toContain(webhook.id);
    expect(listed.stdout).not.toContain(secret);

    expect(json(await rapport('pause', webhook.id, '--json')).status).toBe('paused');
    expect(json(await rapport('resume', webhook.id, '--json')).status).toBe('active');
    const rotated = await rapport('rotate-secret', webhook.id, '--grace-seconds', '60');
    expect(rotated.stdout).toMatch(/new signing secret \(shown once\): whsec_/);
    expect(json(await rapport('deliveries', webhook.id, '--state', 'parked', '--json')).items).toEqual([]);
    expect(json(await rapport('replay', webhook.id, '--json'))).toEqual({ replayed: 0, stillParked: 0 });
    expect((await rapport('delete', webhook.id)).code).toBe(0);
    expect(json(await rapport('list', '--json')).items.map((w: { id: string }) => w.id)).not.toContain(webhook.id);
  });

  it('a URL with credentials is refused by the engine: exit 1 and the problem names the field', async () => {
    const run = await rapport('create', 'https://user:pw@hooks.example.com/x', '--json');
    expect(run.code).toBe(1);
    expect(json(run).errors[0]).toMatchObject({ field: 'url', rule: 'url.no_credentials' });
  });

  it('an unknown action is a usage error (exit 2)', async () => {
    const run = await rapport('explode');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown action');
  });
});
