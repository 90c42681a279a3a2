import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ProjectionsService } from '@rapport/application';
import { startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';

// Headless Chromium as in the console check; without a browser the suite says so and skips.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`skipped: no Chromium at ${CHROMIUM}: the worklist page check did not run`);
const describeWithBrowser = available ? describe : describe.skip;

interface PageElement {
  textContent: string | null;
}
declare const document: { querySelector(selector: string): PageElement | null };
type Playwright = typeof import('playwright-core');
type Browser = Awaited<ReturnType<Playwright['chromium']['launch']>>;

describeWithBrowser('console worklist page: completing a follow-up from the page links the call it logs', () => {
  let engine: TestEngine;
  let browser: Browser;
  let origin: string;
  const caughtUp = async () => {
    const last = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    for (const p of READ_MODEL_PROJECTIONS) await engine.app.get(ProjectionsService).waitFor(p.name, last, 10_000);
  };

  beforeAll(async () => {
    engine = await startTestEngine({ WORKLIST_INTERVAL_SECONDS: '0', SCORING_INTERVAL_SECONDS: '0' });
    const post = async (url: string, payload: object) =>
      expect((await engine.request('agent', { method: 'POST', url, payload })).statusCode).toBe(201);
    await post('/customers', registration('wl-1', { occurredAt: at(1) }));
    await post('/customers/wl-1/purchases', purchase('o-1', 2));
    await post('/customers/wl-1/follow-ups', {
      followUpId: 'fu-page',
      reasons: [{ code: 'manual', detail: 'call back about the delivery' }],
      dueAt: at(3),
      assignee: { agentId: 'agent-7', team: 'care' },
      priority: 'p1',
      occurredAt: at(2, 10),
    });
    await caughtUp();
    await engine.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(engine.app.getHttpServer().address() as AddressInfo).port}`;
    const { chromium } = (await import('playwright-core')) as Playwright;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('given an open follow-up, when the agent completes it from the page, then the call is logged and the completion names it', async () => {
    const context = await browser.newContext();
    await context.addInitScript(
      `localStorage.setItem('rapport.language', 'en'); sessionStorage.setItem('rapport.apiKey', ${JSON.stringify(engine.keys.agent)});`,
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/console#/worklist?agent=agent-7`);
    await page.waitForSelector('tr[data-follow-up="fu-page"]');
    expect(await page.locator('tr[data-follow-up="fu-page"]').innerText()).toContain('call back about the delivery');
    await page.locator('tr[data-follow-up="fu-page"] button').first().click();
    await page.locator('tr[data-follow-up="fu-page"] select[name="outcome"]').selectOption('resolved');
    await page.locator('tr[data-follow-up="fu-page"] form button[type="submit"]').click();
    // The page reloads the list; the follow-up leaves the open list.
    await page.waitForFunction(() => !document.querySelector('tr[data-follow-up="fu-page"]'), undefined, {
      timeout: 10_000,
    });
    await context.close();

    const events = await storedEvents(engine, 'customer-wl-1');
    const call = events.find((e) => e.type === 'CallLogged');
    const completed = events.find((e) => e.type === 'FollowUpCompleted');
    expect(call).toBeDefined();
    expect(completed?.data).toMatchObject({
      followUpId: 'fu-page',
      outcome: 'resolved',
      touchpointEventId: call!.metadata.eventId,
    });
    expect(errors).toEqual([]);
  }, 60_000);
});
