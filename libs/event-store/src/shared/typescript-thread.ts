import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread on a TypeScript file of this repository (its `.js` build once built). From sources
 * (jest, `npm run bench`, `start:dev`) the thread compiles the modules it loads with SWC through a
 * loader of a few lines: ~40 ms a thread, where `-r @swc-node/register` loads the TypeScript compiler
 * (~230 ms a thread, paid again by every store a test opens). The `@rapport/...` path aliases map to
 * the sources as tsconfig.json says (the build rewrites them to relative requires).
 */
export function startTypeScriptThread(file: string, options: WorkerOptions = {}): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, options);
  // A thread inherits the process's flags: a `-r @swc-node/register` among them would load the TypeScript
  // compiler in every thread too (~0.3 s of CPU each), for modules the loader below compiles anyway.
  const execArgv = options.execArgv ?? withoutPreloads(process.execArgv);
  return new Worker(loaderOf(file), { ...options, execArgv, eval: true });
}

/** The flags, without `-r`/`--require` preloads of a TypeScript register hook. */
function withoutPreloads(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i += 1) {
    const flag = flags[i] as string;
    const preload = flag === '-r' || flag === '--require' ? flags[i + 1] : /^--require=(.*)$/.exec(flag)?.[1];
    if (preload !== undefined && /register/.test(preload)) {
      if (!flag.includes('=')) i += 1;
      continue;
    }
    kept.push(flag);
  }
  return kept;
}

const ROOT = join(__dirname, '..', '..', '..', '..');

let aliases: Record<string, string> | undefined;
/** `@rapport/<name>` → its source folder, from tsconfig.json's paths (read once). */
function aliasRoots(): Record<string, string> {
  if (aliases) return aliases;
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  aliases = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths))
    if (!alias.endsWith('/*') && target !== undefined) aliases[alias] = join(ROOT, target);
  return aliases;
}

const loaderOf = (file: string): string => `
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const aliases = ${JSON.stringify(aliasRoots())};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@rapport/')) {
    const slash = request.indexOf('/', 9);
    const name = slash < 0 ? request : request.slice(0, slash);
    if (aliases[name] !== undefined) request = aliases[name] + (slash < 0 ? '' : request.slice(slash));
  }
  return resolveFilename.call(this, request, ...rest);
};
const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
Module._extensions['.ts'] = (module, filename) => {
  const options = {
    filename,
    swcrc: false,
    sourceMaps: 'inline',
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  };
  module._compile(swc.transformSync(readFileSync(filename, 'utf8'), options).code, filename);
};
require(${JSON.stringify(file)});
`;
