import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// docs/cli.md "verifying an export by hand": the documented shell steps, run as written against a real export.
const ROOT = join(__dirname, '../../..');
jest.setTimeout(120_000);

function documentedSteps(): string {
  const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### verifying an export by hand'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error('docs/cli.md has no sh block under "verifying an export by hand"');
  return block[1];
}

describe('verifying an export signature from the docs alone', () => {
  let dir: string;
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: join(dir, 'data'), MASTER_KEY: '', EXPORT_SIGNING_KEY: '' },
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-export-doc-'));
    run('simulate', '--customers', '3', '--days', '60', '--quiet');
    run('export', '--out', join(dir, 'export.ndjson'), '--quiet');
    copyFileSync(join(dir, 'data', 'export-signing-key.pub.pem'), join(dir, 'export-signing-key.pub.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given an export, when the documented steps run, then the digests agree and OpenSSL verifies the signature', () => {
    const output = execFileSync('bash', ['-e', '-c', documentedSteps()], { cwd: dir }).toString().trim().split('\n');
    expect(output[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(output[1]).toBe(output[0]);
    expect(output[2]).toBe('Signature Verified Successfully');
  });

  it('given a trailer whose event count was changed, when the documented steps run, then OpenSSL refuses the signature', () => {
    const file = join(dir, 'export.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const trailer = JSON.parse(lines.at(-2) as string) as { events: number };
    lines[lines.length - 2] = JSON.stringify({ ...trailer, events: trailer.events + 1 });
    writeFileSync(file, lines.join('\n'));
    expect(() => execFileSync('bash', ['-e', '-c', documentedSteps()], { cwd: dir, stdio: 'pipe' })).toThrow();
  });
});
