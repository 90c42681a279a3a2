import { readdirSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';

const CONSOLE_DIR = join(__dirname, '..', '..', 'console');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name))
      : [relative(CONSOLE_DIR, join(dir, entry.name)).split('\\').join('/')],
  );
}

describe('console: the web console is served as static files, the data stays behind the API keys', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(() => engine.close());

  it('serves the page at /console without a key, as HTML with a content security policy', async () => {
    const response = await engine.request(null, { method: 'GET', url: '/console' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('<script type="module" src="/console/app.js">');
  });

  it('serves every file of the console folder with its content type, and nothing else', async () => {
    const expected: Record<string, string> = {
      html: 'text/html; charset=utf-8',
      css: 'text/css; charset=utf-8',
      js: 'text/javascript; charset=utf-8',
      json: 'application/json; charset=utf-8',
    };
    const files = filesUnder(CONSOLE_DIR);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const response = await engine.request(null, { method: 'GET', url: `/console/${file}` });
      expect({ file, status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        file,
        status: 200,
        type: expected[file.split('.').pop() as string],
      });
      expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    }
    expect((await engine.request(null, { method: 'GET', url: '/console/not-a-file.js' })).statusCode).toBe(404);
    expect((await engine.request(null, { method: 'GET', url: '/console/../package.json' })).statusCode).toBe(404);
  });

  it.each([
    ['Chart.js', '/console/vendor/chart.umd.min.js', 'Chart'],
    ['i18next', '/console/vendor/i18next.min.js', 'i18next'],
  ])('serves %s from node_modules, cacheable for a day', async (_name, url, marker) => {
    const response = await engine.request(null, { method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    expect(response.body).toContain(marker);
  });

  it('answers a revalidation with 304 and no body while the file is unchanged', async () => {
    const first = await engine.request(null, { method: 'GET', url: '/console/app.js' });
    const again = await engine.request(null, {
      method: 'GET',
      url: '/console/app.js',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const stale = await engine.request(null, {
      method: 'GET',
      url: '/console/app.js',
      headers: { 'if-none-match': '"something-else"' },
    });
    expect(stale.statusCode).toBe(200);
  });

  it('links only files it serves: every script, stylesheet and module import resolves', async () => {
    const page = (await engine.request(null, { method: 'GET', url: '/console' })).body;
    const targets = [...page.matchAll(/(?:src|href)="(\/console\/[^"]+)"/g)].map((m) => m[1] as string);
    for (const file of filesUnder(CONSOLE_DIR).filter((f) => f.endsWith('.js'))) {
      const source = (await engine.request(null, { method: 'GET', url: `/console/${file}` })).body;
      for (const match of source.matchAll(/^import [^;]*?from '([^']+)';/gms))
        targets.push(posix.join('/console', posix.dirname(file), match[1] as string));
    }
    expect(targets.length).toBeGreaterThan(20);
    for (const target of new Set(targets))
      expect({ target, status: (await engine.request(null, { method: 'GET', url: target })).statusCode }).toEqual({
        target,
        status: 200,
      });
  });

  it('gives the page no way around the keys: the data it calls still needs a key with a role', async () => {
    const anonymous = await engine.request(null, { method: 'GET', url: '/audit/customers/c-1/history' });
    expect(anonymous.statusCode).toBe(401);
    const analyst = await engine.request('analyst', { method: 'GET', url: '/audit/customers/c-1/history' });
    expect(analyst.statusCode).toBe(403);
  });
});
