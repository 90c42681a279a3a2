// `npm run bench [-- NAME...]`: runs every scenario in bench/scenarios (or those whose name starts
// with one of NAME), prints one JSON line each and writes bench/results.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ratioOf, type Scenario } from './scenario';

const SCENARIO_DIR = join(__dirname, 'scenarios');
const FILE_FLAG = '--scenario-file';

/** The scenarios of one file that the command line asks for (all when it names none). */
function scenariosOf(file: string, wanted: string[]): Scenario[] {
  return (Object.values(require(join(SCENARIO_DIR, file))) as Scenario[])
    .filter((s) => typeof s?.run === 'function')
    .filter(
      (s) =>
        wanted.length === 0 || wanted.some((w) => s.name === w || s.name.startsWith(`${w}.`) || s.name.startsWith(w)),
    );
}

/**
 * Each scenario file runs in a process of its own: a scenario inherits neither the heap, the garbage
 * nor the threads of the ones before it (a 100,000-customer scoring run left the as-of replay 20%
 * slower, and its memory in the rebuild's peak RSS). Scenarios of one file share a process on purpose
 * (http.purchase and http.trivial are measured in one run).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fileAt = args.indexOf(FILE_FLAG);
  const wanted = args.filter((arg, i) => !arg.startsWith('-') && (fileAt < 0 || i !== fileAt + 1));
  if (fileAt >= 0) return runFile(args[fileAt + 1]!, wanted);

  const results: ResultLine[] = [];
  for (const file of readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()) {
    if (scenariosOf(file, wanted).length === 0) continue;
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, FILE_FLAG, file, ...wanted], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const line of child.stdout.split('\n')) {
      if (!line.startsWith('{')) {
        if (line) console.log(line);
        continue;
      }
      console.log(line);
      results.push(JSON.parse(line) as ResultLine);
    }
    if (child.status !== 0) process.exitCode = 1;
  }
  writeFileSync(
    join(__dirname, 'results.json'),
    `${JSON.stringify({ scenarios: results.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio })) }, null, 2)}\n`,
  );
}

type ResultLine = { name: string; value: number; unit: string; baseline: number; ratio: number };

async function runFile(file: string, wanted: string[]): Promise<void> {
  for (const scenario of scenariosOf(file, wanted)) {
    const workDir = mkdtempSync(join(tmpdir(), `rapport-bench-${scenario.name}-`));
    try {
      const result = await scenario.run(workDir);
      console.log(JSON.stringify({ name: scenario.name, ...result, ratio: Number(ratioOf(result).toFixed(3)) }));
    } catch (error) {
      console.error(JSON.stringify({ name: scenario.name, error: String((error as Error).stack ?? error) }));
      process.exitCode = 1;
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  // Worker threads and servers a scenario leaves behind must not keep its process alive.
  process.exit();
}

void main();
