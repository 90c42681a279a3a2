import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { customerStreamId } from '@rapport/domain';
import { startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { LONG_STREAM_CUSTOMER, seedConsoleData } from './browser-seed';

// Headless Chromium (playwright-core drives the system's browser; nothing is downloaded). Without a
// browser the suite says so and skips: set CHROMIUM_PATH, or install chromium (apt-get install -y chromium).
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `skipped: no Chromium at ${CHROMIUM}: the console's headless browser check did not run; set CHROMIUM_PATH or apt-get install -y chromium`,
  );
const describeWithBrowser = available ? describe : describe.skip;
/** Set to a folder to keep a full-page screenshot of every page in both languages. */
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];

const CATALOG_DIR = join(__dirname, '..', '..', 'console', 'locales');
const catalog = (language: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(CATALOG_DIR, `${language}.json`), 'utf8')) as Record<string, unknown>;
/** Catalog entries as [key, text], plural suffixes dropped from the key. */
function flat(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix.replace(/_(one|other)$/, ''), node]];
  return Object.entries(node as object).flatMap(([key, value]) => flat(value, prefix ? `${prefix}.${key}` : key));
}
const chinese = new Map(flat(catalog('zh-CN')));
/** English sentences (three words or more, no placeholder) that Chinese words differently: none may show on a Chinese page. */
const englishSentences = flat(catalog('en'))
  .filter(([key, text]) => chinese.get(key) !== text)
  .map(([, text]) => text)
  .filter((text) => !text.includes('{{') && text.trim().split(/\s+/).length >= 3);

const PAGES = [
  'overview',
  'customers',
  `customer/${LONG_STREAM_CUSTOMER}`,
  'kpis',
  'cohorts',
  'complaints',
  `audit?customer=${LONG_STREAM_CUSTOMER}`,
  'audit',
  'runs',
  'projections',
  'worklist',
];

// What the functions run in the page use of it (the project compiles without the DOM library).
interface PageElement {
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  documentElement: { lang: string };
};
declare const localStorage: { getItem(key: string): string | null };

type Playwright = typeof import('playwright-core');
type Browser = Awaited<ReturnType<Playwright['chromium']['launch']>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

describeWithBrowser(
  'console in headless Chromium: every page in English and in Chinese, without console errors',
  () => {
    let engine: TestEngine;
    let browser: Browser;
    let origin: string;
    let longStreamEvents: number;
    /** API routes the engine does not offer yet (Nest's "Cannot GET"): a page may say so, but nothing else may fail. */
    const notOffered = new Set<string>();

    beforeAll(async () => {
      engine = await startTestEngine();
      const seeded = await seedConsoleData(engine);
      longStreamEvents = (await storedEvents(engine, customerStreamId(LONG_STREAM_CUSTOMER))).length;
      expect(longStreamEvents).toBeGreaterThanOrEqual(seeded.longStreamEvents);
      if (seeded.scored) console.warn(`console check: the scoring run failed (${seeded.scored})`);
      await engine.app.listen(0, '127.0.0.1');
      origin = `http://127.0.0.1:${(engine.app.getHttpServer().address() as AddressInfo).port}`;
      const { chromium } = (await import('playwright-core')) as Playwright;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await engine?.close();
      if (notOffered.size)
        console.warn(
          `console check: the engine does not offer ${[...notOffered].join(', ')} yet; those panels said so`,
        );
    });

    /** A page in `language` signed in as admin, recording console errors and failed requests. */
    async function open(language: string): Promise<{ page: Page; errors: string[] }> {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
      // Runs in the page before its scripts, on every load: the language only the first time (a switch must stick).
      await context.addInitScript(
        `if (!localStorage.getItem('rapport.language')) localStorage.setItem('rapport.language', ${JSON.stringify(language)});` +
          `sessionStorage.setItem('rapport.apiKey', ${JSON.stringify(engine.keys.admin)});`,
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('response', async (response) => {
        if (response.status() !== 404) return;
        const body = await response.text().catch(() => '');
        if (/Cannot (GET|POST)/.test(body)) notOffered.add(new URL(response.url()).pathname);
      });
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const url = message.location().url ?? '';
        // The browser logs every 404 it fetched; a route the engine does not offer yet is told apart above.
        if (/status of 404/.test(message.text()) && [...notOffered].some((path) => url.includes(path))) return;
        errors.push(`${message.text()} ${url}`);
      });
      return { page, errors };
    }

    /** Goes to a route and waits until no panel is loading. */
    async function visit(page: Page, route: string): Promise<void> {
      await page.goto(`${origin}/console#/${route}`);
      await page.waitForLoadState('networkidle');
      await page.waitForFunction(
        () => !/Loading…|加载中…/.test(document.querySelector('#main')?.textContent ?? ''),
        undefined,
        { timeout: 20_000 },
      );
    }

    it.each([
      ['en', 'Overview', /[A-Za-z]/],
      ['zh-CN', '概览', /[\u4e00-\u9fff]/],
    ])(
      'renders every page in %s, translated, with no console error',
      async (language, overview, script) => {
        const { page, errors } = await open(language);
        for (const route of PAGES) {
          await visit(page, route);
          const text = await page.locator('#main').innerText();
          expect({ route, hasText: script.test(text) }).toEqual({ route, hasText: true });
          if (language === 'zh-CN')
            expect({ route, english: englishSentences.filter((sentence) => text.includes(sentence)) }).toEqual({
              route,
              english: [],
            });
          if (SCREENSHOTS)
            await page.screenshot({
              path: join(SCREENSHOTS, `${language}-${route.replace(/[^a-z0-9-]+/gi, '_')}.png`),
              fullPage: true,
            });
        }
        expect(await page.locator('#nav a[data-page="overview"]').innerText()).toBe(overview);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
        expect(errors).toEqual([]);
        await page.context().close();
      },
      120_000,
    );

    it('formats numbers and money per language: the same total reads differently in en and zh-CN', async () => {
      const shown: Record<string, string> = {};
      for (const language of ['en', 'zh-CN']) {
        const { page } = await open(language);
        await visit(page, 'overview');
        shown[language] = await page.locator('.kpi .value').nth(1).innerText();
        await page.context().close();
      }
      expect(shown['en']).toMatch(/^(¥|CN¥)/);
      expect(shown['zh-CN']).toMatch(/^¥/);
      expect(shown['en']).not.toBe('–');
    }, 60_000);

    it('complaints page: the breach summary counts the steps done late with none on record', async () => {
      const { page, errors } = await open('en');
      await visit(page, 'complaints');
      const summary = await page.locator('body').innerText();
      expect(summary).toMatch(/\d+ recorded late/);
      expect(summary).not.toMatch(/– recorded late/);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('switches language from the header and remembers it', async () => {
      const { page, errors } = await open('en');
      await visit(page, 'customers');
      await page.selectOption('#language', 'zh-CN');
      const chineseTitle = () => document.querySelector('#main h1')?.textContent === '客户';
      await page.waitForFunction(chineseTitle);
      await page.reload();
      await page.waitForFunction(chineseTitle);
      expect(await page.evaluate(() => localStorage.getItem('rapport.language'))).toBe('zh-CN');
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('auditor workspace: the newest events first, the oldest reachable, verify shows its result, the export downloads', async () => {
      const { page, errors } = await open('en');
      await visit(page, `audit?customer=${LONG_STREAM_CUSTOMER}`);
      const history = page.locator('section.panel', { hasText: 'The whole history, newest first' });
      const firstRevision = () => history.locator('tbody tr td.num').first().innerText();
      // The deadline watcher may append (an overdue promise, a breached SLA): the newest is the stream's last now.
      const streamLength = (await storedEvents(engine, customerStreamId(LONG_STREAM_CUSTOMER))).length;
      expect(streamLength).toBeGreaterThanOrEqual(longStreamEvents);
      expect(Number(await firstRevision())).toBe(streamLength - 1);
      await history.getByRole('button', { name: 'Oldest ⇥' }).click();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('tbody tr td.num')].some((cell) => cell.textContent === '0'),
      );
      expect(await history.locator('tbody tr').last().locator('td.num').first().innerText()).toBe('0');

      await page.getByRole('button', { name: 'Verify hash chain' }).click();
      await page.waitForSelector('[data-outcome]');
      expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('intact');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download signed export' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^rapport-export-customer-c-long-.*\.ndjson$/);
      const lines = readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n');
      expect(lines.length).toBeGreaterThan(longStreamEvents);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('auditor workspace without a customer: every stream verified by a followed job', async () => {
      const { page, errors } = await open('zh-CN');
      await visit(page, 'audit');
      await page.getByRole('button', { name: '校验全部事件流' }).click();
      await page.waitForSelector('[data-outcome]', { timeout: 20_000 });
      expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('intact');
      expect(await page.locator('dl.facts').innerText()).toMatch(/已校验事件流\s+\d+/);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('auditor workspace: a replay as of a past time applies only what had occurred by then', async () => {
      const { page, errors } = await open('en');
      const asOf = '2026-01-10T00:00:00.000Z';
      await visit(page, `audit?customer=${LONG_STREAM_CUSTOMER}&asOf=${encodeURIComponent(asOf)}`);
      const state = (
        await engine.request('auditor', {
          method: 'GET',
          url: `/audit/customers/${LONG_STREAM_CUSTOMER}/state?asOf=${asOf}`,
        })
      ).json() as { eventsApplied: number; eventsInStream: number };
      expect(state.eventsApplied).toBeLessThan(state.eventsInStream);
      await page.waitForSelector(`text=${state.eventsApplied} of ${state.eventsInStream} events applied.`);
      // The events the replay left out are marked in the history.
      expect(await page.locator('tr.outside').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);
  },
);
