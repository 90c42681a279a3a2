import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { purchase, registration } from '../../test/touchpoint-requests';
import { addImportRun, IMPORT_TOTALS_KEY } from '@rapport/application';

const sample = (body: string, name: string, labels: string): number | undefined => {
  const line = body.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('/metrics: projection lag and event-store timings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-lag-'));
  const env = {
    DATA_DIR: dataDir,
    SCORING_INTERVAL_SECONDS: '0',
    DEADLINE_WATCH_INTERVAL_SECONDS: '0',
    MASTER_KEY: 'ab'.repeat(32),
  };
  let engine: TestEngine;
  afterAll(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a projector worker and an API process, when the last events are of types a projection does not handle, then neither shows events behind', async () => {
    const worker = await startTestEngine({ ...env, PROJECTOR_ROLE: 'only' });
    engine = await startTestEngine({ ...env, PROJECTOR_ROLE: 'none' });
    try {
      await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('lag-1') });
      // Purchases are no complaint-SLA events: its checkpoint stays at the registration's position.
      for (let i = 0; i < 3; i++)
        await engine.request('agent', {
          method: 'POST',
          url: '/customers/lag-1/purchases',
          payload: purchase(`o-${i}`),
        });
      for (const [name, app] of [
        ['worker', worker],
        ['api', engine],
      ] as const) {
        const scrape = async () => (await app.request(null, { method: 'GET', url: '/metrics' })).body;
        const valueCaughtUp = await eventually(
          async () => sample(await scrape(), 'rapport_projection_events_behind', 'projection="customer-value"') === 0,
        );
        const body = await scrape();
        expect({
          name,
          valueCaughtUp,
          complaintSla: sample(body, 'rapport_projection_events_behind', 'projection="complaint-sla"'),
        }).toEqual({ name, valueCaughtUp: true, complaintSla: 0 });
        // What the console's projections page shows, from GET /projections.
        const listed = (await app.request('admin', { method: 'GET', url: '/projections' })).json() as {
          projections: { name: string; eventsBehind: number; state: string }[];
        };
        expect({ name, complaintSla: listed.projections.find((p) => p.name === 'complaint-sla') }).toEqual({
          name,
          complaintSla: expect.objectContaining({ eventsBehind: 0, state: 'live' }),
        });
      }
    } finally {
      await worker.close();
    }
  });

  it('times appends and group commits of the event store, and counts SSE and export requests', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('lag-2') });
    await engine.request('auditor', { method: 'GET', url: '/audit/customers/lag-2/export' });
    await engine.request('analyst', { method: 'GET', url: '/analytics/customers', headers: { accept: 'text/csv' } });
    const body = (await engine.request(null, { method: 'GET', url: '/metrics' })).body;
    expect(
      sample(body, 'rapport_event_store_append_duration_seconds_count', 'store="sqlite",outcome="ok"'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'rapport_event_store_commit_duration_seconds_count', 'store="sqlite"')).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(body, 'rapport_exports_total', 'kind="audit-customer"')).toBe(1);
    expect(sample(body, 'rapport_exports_total', 'kind="analytics-csv"')).toBe(1);
  });

  it('shows the totals rapport import leaves in the read store', async () => {
    const store = engine.app.get<ReadStore>(READ_STORE);
    const run = { commands: 10, recorded: 7, events: 7, duplicates: 2, rejected: 1, elapsedMs: 1500 };
    await store.setMeta(
      IMPORT_TOTALS_KEY,
      addImportRun(addImportRun(null, run, new Date(0)), run, new Date('2026-12-03T00:00:00Z')),
    );
    await new Promise((r) => setTimeout(r, 1100)); // past the per-scrape reuse of the last read
    const body = (await engine.request(null, { method: 'GET', url: '/metrics' })).body;
    const value = (name: string) =>
      body
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
        ?.split(' ')[1];
    expect(
      ['runs', 'commands_recorded', 'commands_duplicate', 'commands_refused', 'seconds'].map((n) =>
        value(`rapport_import_${n}`),
      ),
    ).toEqual(['2', '14', '4', '2', '3']);
    expect(value('rapport_import_last_finished_timestamp_seconds')).toBe(
      String(Date.parse('2026-12-03T00:00:00Z') / 1000),
    );
  });
});
