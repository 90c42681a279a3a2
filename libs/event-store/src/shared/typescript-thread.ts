import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread on a TypeScript file of this repository (its `.js` build once built). From sources
 * (jest, `npm run bench`, `start:dev`) the thread compiles the modules it loads with SWC through a
 * loader of a few lines: ~40 ms a thread, where `-r @swc-node/register` loads the TypeScript compiler
 * (~230 ms a thread, paid again by every store a test opens). Such a thread file imports packages and
 * relative modules only (no `@rapport/...` path aliases: the loader does not map them).
 */
export function startTypeScriptThread(file: string, options: WorkerOptions = {}): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, options);
  return new Worker(loaderOf(file), { ...options, eval: true });
}

const loaderOf = (file: string): string => `
const { readFileSync } = require('node:fs');
const Module = require('node:module');
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
