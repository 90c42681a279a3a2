// `npm run bench [-- NAME...]`: runs every scenario in bench/scenarios (or those whose name starts
// with one of NAME), prints one JSON line each and writes bench/results.json.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ratioOf, type Scenario } from './scenario';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const scenarios = readdirSync(join(__dirname, 'scenarios'))
    .filter((file) => file.endsWith('.bench.ts'))
    .sort()
    .flatMap((file) => Object.values(require(join(__dirname, 'scenarios', file))) as Scenario[])
    .filter((s) => typeof s?.run === 'function')
    .filter((s) => wanted.length === 0 || wanted.some((w) => s.name === w || s.name.startsWith(`${w}.`) || s.name.startsWith(w)));

  const results = [];
  for (const scenario of scenarios) {
    const workDir = mkdtempSync(join(tmpdir(), `rapport-bench-${scenario.name}-`));
    try {
      const result = await scenario.run(workDir);
      const line = { name: scenario.name, ...result, ratio: Number(ratioOf(result).toFixed(3)) };
      results.push(line);
      console.log(JSON.stringify(line));
    } catch (error) {
      console.error(JSON.stringify({ name: scenario.name, error: String((error as Error).stack ?? error) }));
      process.exitCode = 1;
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  writeFileSync(
    join(__dirname, 'results.json'),
    `${JSON.stringify({ scenarios: results.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio })) }, null, 2)}\n`,
  );
}

void main();
