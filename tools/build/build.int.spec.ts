import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version } from '../../package.json';

// The production build (SWC, `npm run build` / `npm start`) in a temp directory, then the built engine
// and CLI run from it: the way `npm start` and the Docker image run them.
const ROOT = join(__dirname, '../..');
jest.setTimeout(120_000);

describe('build output', () => {
  let dir: string;
  let out: string;
  const env = () => ({ ...process.env, NODE_PATH: join(ROOT, 'node_modules'), LOG_LEVEL: 'warn', MASTER_KEY: '' });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-build-'));
    out = join(dir, 'dist');
    execFileSync(process.execPath, [join(ROOT, 'tools/build/build.js'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the engine, the CLI and the non-TypeScript files the code loads (libs/**/*.json such as model weights, the console)', () => {
    expect(existsSync(join(out, 'apps/engine/src/main.js'))).toBe(true);
    expect(existsSync(join(out, 'apps/cli/src/main.js'))).toBe(true);
    const assets = readdirSync(join(ROOT, 'libs'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.json') && !f.includes('node_modules'),
    );
    expect(assets.filter((f) => !existsSync(join(out, 'libs', f)))).toEqual([]);
    expect(existsSync(join(out, 'apps/engine/console/index.html'))).toBe(true);
    // Worker threads start from their built files (a `.thread.ts` beside the code that starts it).
    const threads = readdirSync(join(ROOT, 'libs'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.thread.ts'),
    );
    expect(threads).toEqual(
      expect.arrayContaining([
        'event-store/src/sqlite/background-checkpoint.thread.ts',
        'scoring/src/scoring-part.thread.ts',
        'scoring/src/stage-models.thread.ts',
      ]),
    );
    expect(threads.filter((f) => !existsSync(join(out, 'libs', f.replace(/\.ts$/, '.js'))))).toEqual([]);
    expect(
      execFileSync(process.execPath, [join(out, 'apps/cli/src/main.js'), '--version'], {
        cwd: ROOT,
        env: env(),
      }).toString(),
    ).toBe(`${version}\n`);
  });

  it('starts a worker thread from its built file: the scoring stage models fitted on it equal those fitted inline', () => {
    // Buyers as BG/NBD assumes them (as stage-models-off-thread.int.spec.ts draws them), from the built libs/clv.
    const script = `
      const scoring = ${JSON.stringify(join(out, 'libs/scoring/src'))};
      const { fitStageModelsOffThread } = require(scoring + '/stage-models-off-thread.js');
      const { fitStageModels } = require(scoring + '/stage-models.js');
      const { sampleBeta, sampleGamma, seededRandom } = require(${JSON.stringify(join(out, 'libs/clv/src'))});
      const rand = seededRandom(11);
      const start = Date.UTC(2023, 0, 1) / 86400000;
      const buyers = Array.from({ length: 2000 }, (_, i) => {
        const days = [start + Math.floor(rand() * 300)];
        const meanGap = Math.min(365, 1 / sampleGamma(rand, 2, 60));
        const dropout = sampleBeta(rand, 1, 9);
        while (rand() >= dropout && days[days.length - 1] < start + 700)
          days.push(days[days.length - 1] + 1 + Math.floor(-Math.log(1 - rand()) * meanGap));
        return { id: 'b' + i, days };
      });
      const at = { asOfMs: Date.UTC(2025, 0, 1), knownAtMs: Date.UTC(2025, 0, 1) };
      fitStageModelsOffThread(buyers, at, 1).then((thread) =>
        process.stdout.write(JSON.stringify({ thread, inline: fitStageModels(buyers, at) })));
    `;
    const { thread, inline } = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: env() }).toString(),
    ) as { thread: unknown[]; inline: unknown[] };
    expect(inline.length).toBeGreaterThan(3);
    expect(thread).toEqual(inline);
  });

  it('the built engine starts, serves /health and the console, and prints no Node warning', async () => {
    const port = String(30_000 + (process.pid % 20_000));
    const engine = spawn(process.execPath, [join(out, 'apps/engine/src/main.js')], {
      cwd: ROOT,
      env: { ...env(), DATA_DIR: join(dir, 'data'), PORT: port, HOST: '127.0.0.1' },
    });
    let stderr = '';
    engine.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let health: Response | null = null;
      for (let i = 0; i < 300 && health === null; i += 1) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
        if (health === null) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/console/`)).status).toBe(200);
      expect(stderr).not.toMatch(/Warning|RapportEventStore/);
    } finally {
      engine.kill('SIGTERM');
      await new Promise((r) => engine.once('exit', r));
    }
  });
});
