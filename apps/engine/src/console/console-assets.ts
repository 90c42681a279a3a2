import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The console's files, as served under `/console/`; `''` is the page itself. Every file is listed: no directory is exposed. */
export const CONSOLE_FILES = [
  'index.html',
  'styles.css',
  'app.js',
  'api.js',
  'dom.js',
  'charts.js',
  'console-math.js',
  'clv-backtest-math.js',
  'format.js',
  'i18n.js',
  'history-math.js',
  'audit-math.js',
  'kpi-math.js',
  'locales/en.json',
  'locales/zh-CN.json',
  'pages/overview.js',
  'pages/customers.js',
  'pages/customer.js',
  'pages/projections.js',
  'pages/clv-backtest.js',
  'pages/runs.js',
  'pages/history-pager.js',
  'pages/time-form.js',
  'pages/audit.js',
  'pages/kpis.js',
  'pages/cohorts.js',
  'pages/complaints.js',
  'pages/worklist.js',
  'worklist-math.js',
] as const;

/** Chart.js's UMD build, from node_modules, under this path. */
export const CHART_JS_PATH = 'vendor/chart.umd.min.js';
/** i18next's UMD build (sets window.i18next), from node_modules, under this path. */
export const I18NEXT_PATH = 'vendor/i18next.min.js';
/** The vendored libraries: served path → file under node_modules. */
export const VENDOR_FILES: Record<string, string> = {
  [CHART_JS_PATH]: join('chart.js', 'dist', 'chart.umd.min.js'),
  [I18NEXT_PATH]: join('i18next', 'dist', 'umd', 'i18next.min.js'),
};

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

// Own files change with every release and are not fingerprinted: always revalidate (cheap, by ETag).
const REVALIDATE = 'no-cache';
// The vendored library changes only with its package version: a day is safe, and the ETag covers the rest.
const VENDOR = 'public, max-age=86400';

/**
 * Finds `relative` in the repository from the working directory and from this file's directory, walking
 * up: the engine runs from source (tests, swc), from the webpack bundle in dist/, or from the repo root.
 */
export function findUp(relative: string, starts: string[] = [process.cwd(), __dirname]): string | null {
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, relative);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

function asset(file: string, cacheControl: string): ConsoleAsset {
  const body = readFileSync(file);
  const extension = file.slice(file.lastIndexOf('.'));
  return {
    body,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cacheControl,
  };
}

/** Reads every console file once, at start-up; a missing file stops the start with a clear message. */
export function loadConsoleAssets(): Map<string, ConsoleAsset> {
  const index = findUp(join('apps', 'engine', 'console', 'index.html'));
  if (!index)
    throw new Error(
      'console: apps/engine/console/index.html not found from the working directory; start the engine from the repository',
    );
  const root = dirname(index);
  const assets = new Map<string, ConsoleAsset>(
    CONSOLE_FILES.map((file) => [file, asset(join(root, file), REVALIDATE)]),
  );
  for (const [path, file] of Object.entries(VENDOR_FILES)) {
    const found = findUp(join('node_modules', file), [root, process.cwd(), __dirname]);
    if (!found) throw new Error(`console: node_modules/${file} not found; run npm install`);
    assets.set(path, asset(found, VENDOR));
  }
  return assets;
}
