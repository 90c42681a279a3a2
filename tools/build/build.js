#!/usr/bin/env node
// Builds the engine and the CLI with SWC (seconds, where the webpack bundle took ~20 s): every
// TypeScript file of apps/, libs/ and projections/ to dist/ with the same layout, the @rapport/*
// aliases rewritten to relative requires, and the non-TypeScript files the code loads at run time
// (model weights, lexicons, the console's static files) copied beside them. Types are checked by
// `npm run typecheck`, not here.
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..');
// `--out DIR` builds elsewhere (the build's own test); dist/ by default.
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(root, 'dist');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));

if (process.argv.includes('--clean')) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const config = join(out, '.swcrc.build.json');
// SWC wants an absolute baseUrl to rewrite the aliases.
writeFileSync(
  config,
  JSON.stringify({ ...swcrc, jsc: { ...swcrc.jsc, baseUrl: root, paths: compilerOptions.paths } }, null, 2),
);

const swc = require.resolve('@swc/cli/bin/swc.js');
const started = Date.now();
execFileSync(
  process.execPath,
  [
    swc,
    'apps',
    'libs',
    'projections',
    '-d',
    out,
    '--config-file',
    config,
    '--copy-files',
    '--quiet',
    '--ignore',
    '**/*.spec.ts,**/test/**,**/specs/**',
  ],
  { cwd: root, stdio: 'inherit' },
);
process.stdout.write(`built ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
