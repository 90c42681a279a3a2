import { purchase, registration } from '../../test/touchpoint-requests';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(body: string, name: string, labels = ''): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('/metrics: appended events, projection lag, scoring runs, SSE subscribers', () => {
  let engine: TestEngine;
  let baseUrl: string;
  const scrape = async (): Promise<string> => (await engine.request(null, { method: 'GET', url: '/metrics' })).body;

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    await engine.app.listen(0, '127.0.0.1');
    baseUrl = (await engine.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => engine.close());

  it('counts appended events by type as touchpoints are recorded', async () => {
    const before = await scrape();
    expect(sample(before, 'rapport_events_appended_total', 'type="CustomerRegistered"')).toBeUndefined();
    expect(
      (await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('met-1') })).statusCode,
    ).toBe(201);
    expect(
      (await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('met-2') })).statusCode,
    ).toBe(201);
    expect(
      (await engine.request('agent', { method: 'POST', url: '/customers/met-1/purchases', payload: purchase('o-1') }))
        .statusCode,
    ).toBe(201);
    const after = await scrape();
    expect(sample(after, 'rapport_events_appended_total', 'type="CustomerRegistered"')).toBe(2);
    expect(sample(after, 'rapport_events_appended_total', 'type="PurchaseRecorded"')).toBe(1);
  });

  it('an idempotent replay appends nothing and counts nothing', async () => {
    const send = () =>
      engine.request('agent', {
        method: 'POST',
        url: '/customers',
        payload: registration('met-3'),
        headers: { 'idempotency-key': 'met-3-once' },
      });
    await send();
    const once = sample(await scrape(), 'rapport_events_appended_total', 'type="CustomerRegistered"');
    expect((await send()).headers['idempotent-replayed']).toBe('true');
    expect(sample(await scrape(), 'rapport_events_appended_total', 'type="CustomerRegistered"')).toBe(once);
  });

  it('shows each projection caught up: state live, nothing behind, nothing parked', async () => {
    const projections = (
      (await engine.request('admin', { method: 'GET', url: '/projections' })).json() as {
        projections: { name: string }[];
      }
    ).projections;
    expect(projections.length).toBeGreaterThan(0);
    await waitUntil(async () => {
      const body = await scrape();
      return projections.every((p) => sample(body, 'rapport_projection_events_behind', `projection="${p.name}"`) === 0);
    }, 'projections to catch up');
    const body = await scrape();
    for (const { name } of projections) {
      expect(sample(body, 'rapport_projection_state', `projection="${name}",state="live"`)).toBe(1);
      expect(sample(body, 'rapport_projection_state', `projection="${name}",state="stopped"`)).toBe(0);
      expect(sample(body, 'rapport_projection_parked_events', `projection="${name}"`)).toBe(0);
      expect(sample(body, 'rapport_projection_seconds_behind', `projection="${name}"`)).toBe(0);
    }
  });

  it('times scoring runs and records the last success', async () => {
    expect(sample(await scrape(), 'rapport_scoring_last_success_timestamp_seconds')).toBe(0);
    const startedAt = Date.now() / 1000;
    expect((await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' })).statusCode).toBe(200);
    const body = await scrape();
    expect(sample(body, 'rapport_scoring_run_duration_seconds_count', 'outcome="succeeded"')).toBe(1);
    expect(sample(body, 'rapport_scoring_run_duration_seconds_sum', 'outcome="succeeded"')).toBeGreaterThan(0);
    expect(sample(body, 'rapport_scoring_last_success_timestamp_seconds')).toBeGreaterThanOrEqual(
      Math.floor(startedAt),
    );
  });

  it('counts open SSE subscribers and forgets those that disconnect', async () => {
    expect(sample(await scrape(), 'rapport_sse_subscribers')).toBe(0);
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/streams/all?from=1000000`, {
      headers: { authorization: `Bearer ${engine.keys.subscriber}` },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // the opening frame: the stream is registered
    expect(sample(await scrape(), 'rapport_sse_subscribers')).toBe(1);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    await waitUntil(async () => sample(await scrape(), 'rapport_sse_subscribers') === 0, 'the subscriber to be gone');
  });
});
