import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import { CLOCK, type Clock, ProjectionsService, DeadlineWatcher } from '@rapport/application';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

// The scoring clock: 2026-06-01, i.e. day 152 of `at(day)` (days count from 2026-01-01).
const NOW = new Date('2026-06-01T00:00:00.000Z');
const big = (orderId: string, day: number) =>
  purchase(orderId, day, { lines: [{ sku: 'S', category: 'c', quantity: 10, unitPrice: 10 }], total: 100 });

describe('read side over HTTP: projections, customer read models, analytics, scoring, deadlines', () => {
  let engine: TestEngine;
  let last = 0;
  const post = async (url: string, payload: object, role: 'agent' | 'admin' = 'agent') => {
    const response = await engine.request(role, { method: 'POST', url, payload });
    expect({ url, status: response.statusCode }).toEqual({ url, status: url.endsWith('/erasure') ? 200 : 201 });
    last = Math.max(last, response.json().position as number);
  };
  const get = (role: Parameters<TestEngine['request']>[0], url: string, headers: Record<string, string> = {}) =>
    engine.request(role, { method: 'GET', url, headers });
  const caughtUp = async () => {
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, last, 10_000);
  };
  const scoringRun = async () => {
    const response = await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    jest.spyOn(engine.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(NOW));
    // alice: five purchase days, the latest 2 days ago; bob: one purchase 450 days ago; carol: none; dave: one, then erased.
    await post('/customers', registration('alice', { occurredAt: at(1) }));
    for (const day of [100, 120, 130, 140, 150]) await post('/customers/alice/purchases', big(`a-${day}`, day));
    await post('/customers/alice/promises', {
      promiseId: 'p-late',
      description: 'call back about the refund',
      dueAt: at(110),
      withinPolicy: true,
      occurredAt: at(100),
    });
    await post('/customers/alice/promises', {
      promiseId: 'p-future',
      description: 'send the voucher',
      dueAt: at(200),
      withinPolicy: true,
      occurredAt: at(140),
    });
    await post('/customers/alice/surveys', {
      surveyId: 'nps-1',
      kind: 'nps',
      score: 9,
      comment: 'great service, thank you',
      occurredAt: at(150),
    });
    await post('/customers', registration('bob', { occurredAt: at(-310) }));
    await post('/customers/bob/purchases', purchase('b-1', -300));
    await post('/customers', registration('carol', { occurredAt: at(2) }));
    await post('/customers', registration('dave', { occurredAt: at(3) }));
    await post('/customers/dave/purchases', purchase('d-1', 140));
    await post('/customers/dave/promises', {
      promiseId: 'p-dave',
      description: 'deliver the parcel',
      dueAt: at(300),
      withinPolicy: true,
      occurredAt: at(140),
    });
    await post('/customers/dave/erasure', { reason: 'customer request' }, 'admin');
    await caughtUp();
  });
  afterAll(() => engine.close());

  it('read-your-writes: a query with min-position sees the write it names', async () => {
    await post('/customers/alice/calls', {
      callId: 'call-1',
      direction: 'inbound',
      durationSeconds: 60,
      topic: 'delivery',
      outcome: 'resolved',
      occurredAt: at(151),
    });
    const response = await get('analyst', `/customers/alice?min-position=${last}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().touchpoints.byType.call).toBe(1);
    expect((await get('analyst', '/customers/alice', { 'min-position': String(last) })).statusCode).toBe(200);
    const bad = await get('analyst', '/customers/alice?min-position=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].field).toBe('min-position');
  });

  it('the 360 view: analysts and agents read personal data redacted, auditors and admins decrypted; the read model keeps only ciphertext', async () => {
    const analyst = await get('analyst', '/customers/alice');
    expect(analyst.json()).toMatchObject({
      customerId: 'alice',
      registered: true,
      region: 'East China',
      personal: { name: '[redacted]', email: '[redacted]' },
      openPromises: 2,
    });
    expect(analyst.body).not.toContain('Name of alice');
    expect((await get('agent', '/customers/alice')).json().personal.name).toBe('[redacted]');
    for (const role of ['auditor', 'admin'] as const) {
      expect((await get(role, '/customers/alice')).json().personal).toEqual({
        name: 'Name of alice',
        email: 'alice@example.com',
        phone: '+86 138 0000 0000',
        address: '1 Road of alice',
      });
    }
    const projections = engine.app.get(ProjectionsService);
    const readStore = engine.app.get<ReadStore>(READ_STORE);
    const stored = JSON.stringify([
      await readStore.get(await projections.liveCollection('customer-profile'), 'alice'),
      await readStore.get(await projections.liveCollection('promise-fulfilment'), 'alice'),
    ]);
    expect(stored).not.toMatch(/Name of alice|alice@example\.com|call back about the refund/);
    expect(stored).toContain('pdref:v1:');
    expect((await get('subscriber', '/customers/alice')).statusCode).toBe(403);
    expect((await get('analyst', '/customers/nobody')).statusCode).toBe(404);
  });

  it('promises: descriptions redacted for analysts, decrypted for auditors, [erased] after erasure', async () => {
    const analyst = (await get('analyst', '/customers/alice/promises')).json();
    expect(
      analyst.promises.map((p: { promiseId: string; description: string; status: string }) => [
        p.promiseId,
        p.description,
        p.status,
      ]),
    ).toEqual([
      ['p-late', '[redacted]', 'overdue'],
      ['p-future', '[redacted]', 'open'],
    ]);
    const auditor = (await get('auditor', '/customers/alice/promises')).json();
    expect(auditor.promises.map((p: { description: string }) => p.description)).toEqual([
      'call back about the refund',
      'send the voucher',
    ]);
    expect((await get('auditor', '/customers/dave/promises')).json().promises[0].description).toBe('[erased]');
    const dave = (await get('auditor', '/customers/dave')).json();
    expect(dave).toMatchObject({ erased: true, personal: { name: '[erased]', email: '[erased]' } });
  });

  it('value, lifecycle facts and sentiment per customer', async () => {
    expect((await get('analyst', '/customers/alice/value')).json()).toMatchObject({
      customerId: 'alice',
      orders: 5,
      netRevenue: 500,
      purchaseDays: 5,
    });
    expect((await get('analyst', '/customers/bob/lifecycle')).json()).toMatchObject({ customerId: 'bob', orders: 1 });
    const sentiment = (await get('analyst', '/customers/alice/sentiment')).json();
    expect(sentiment.count).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(sentiment)).not.toContain('great service');
  });

  it('scoring with the fixed clock gives the expected tiers and stages, and records each overdue promise exactly once over two runs', async () => {
    const first = await scoringRun();
    expect(first).toMatchObject({
      run: {
        asOf: NOW.toISOString(),
        knownAt: NOW.toISOString(),
        trigger: 'on-demand',
        ranBy: { role: 'admin' },
        status: 'succeeded',
        population: { customers: 4 },
      },
      deadlines: { candidates: 1, recorded: 1 },
    });
    // Four customers are too few for a CLV fit: reported, and scoring goes on.
    expect(first.run.clvModel.status).toBe('failed');
    expect(first.run.clvModel.errors[0]).toMatch(/at least 20/);

    const page = (await get('analyst', '/analytics/customers?sort=customerId')).json();
    const scored = Object.fromEntries(
      page.items.map((c: { customerId: string; tier: string; stage: string }) => [c.customerId, [c.tier, c.stage]]),
    );
    expect(scored).toEqual({
      alice: ['A', 'maturity'],
      bob: ['B', 'departure'],
      carol: ['C', 'prospect'],
      dave: ['C', 'acquisition'],
    });

    await caughtUp();
    last = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    await caughtUp();
    const second = await scoringRun();
    expect(second.deadlines).toMatchObject({ candidates: 0, recorded: 0 });
    // Two watchers at once on a stale read model still store nothing twice.
    const watcher = engine.app.get(DeadlineWatcher);
    const concurrent = await Promise.all([watcher.run(NOW), watcher.run(NOW)]);
    expect(concurrent.reduce((n, r) => n + r.recorded, 0)).toBe(0);
    const overdue = (await storedEvents(engine, 'customer-alice')).filter((e) => e.type === 'PromiseBecameOverdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.metadata.actor).toEqual({ id: 'deadline-watcher', role: 'system' });
    expect(overdue[0]!.data).toMatchObject({ promiseId: 'p-late', dueAt: at(110) });
    // The stage history is dated in business time, from the events: not at the runs that saw it.
    const lifecycle = (await get('analyst', '/customers/alice/lifecycle')).json();
    expect(lifecycle.stage).toBe('maturity');
    expect(lifecycle.transitions.map((t: { to: string; at: string }) => [t.to, t.at])).toEqual([
      ['prospect', at(1)],
      ['acquisition', at(100)],
      ['growth', at(120)],
      ['maturity', at(150)],
    ]);
  });

  it('scoring asOf a past time scores what had occurred by then, keeps the run beside the current one, and records no deadline events', async () => {
    const overdueBefore = (await storedEvents(engine, 'customer-alice')).filter(
      (e) => e.type === 'PromiseBecameOverdue',
    ).length;
    const earlier = at(145);
    const response = await engine.request('admin', { method: 'POST', url: `/projections/scoring/run?asOf=${earlier}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      run: { asOf: earlier, status: 'succeeded' },
      deadlines: { candidates: 0, recorded: 0 },
    });
    const then = (await get('analyst', `/analytics/customers?sort=customerId&asOf=${earlier}`))
      .json()
      .items.find((c: { customerId: string }) => c.customerId === 'alice');
    expect(then).toMatchObject({ orders: 4, lastPurchaseAt: at(140), recencyDays: 5, scoredAt: earlier }); // the purchase of day 150 had not happened yet
    // The current answers still come from the run at the clock: the later as-of.
    const current = (await get('analyst', '/analytics/customers?sort=customerId'))
      .json()
      .items.find((c: { customerId: string }) => c.customerId === 'alice');
    expect(current).toMatchObject({ orders: 5, scoredAt: NOW.toISOString() });
    expect(
      (await storedEvents(engine, 'customer-alice')).filter((e) => e.type === 'PromiseBecameOverdue'),
    ).toHaveLength(overdueBefore);

    const listed = (await get('analyst', '/analytics/scoring/runs')).json();
    const runs = listed.runs;
    expect(runs.map((r: { asOf: string }) => r.asOf).slice(0, 1)).toEqual([earlier]);
    // The newest run is the earlier as-of: the current one is still the run at the clock.
    expect(runs.find((r: { id: string }) => r.id === listed.current).asOf).toBe(NOW.toISOString());
    const compared = (await get('analyst', `/analytics/scoring/runs/compare?a=${runs[0].id}&b=${runs[1].id}`)).json();
    expect(compared.movement).toMatchObject({ inBoth: 4, onlyInA: 0, onlyInB: 0 });

    for (const [query, field] of [
      ['asOf=yesterday', 'asOf'],
      ['asOf=2027-01-01T00:00:00Z', 'asOf'],
      ['asOf=1990-01-01T00:00:00Z', 'asOf'],
      ['knownAt=2027-01-01T00:00:00Z', 'knownAt'],
    ]) {
      const bad = await engine.request('admin', { method: 'POST', url: `/projections/scoring/run?${query}` });
      expect({ query, status: bad.statusCode, field: bad.json().errors?.[0]?.field }).toEqual({
        query,
        status: 400,
        field,
      });
    }
    expect((await get('analyst', '/analytics/customers?run=run-999999')).statusCode).toBe(404);
    expect((await get('analyst', '/analytics/segments?asOf=2000-01-01T00:00:00Z')).statusCode).toBe(404);
    await scoringRun(); // back to the fixed clock for the tests below
  });

  it('a stage history rebuilt from scratch equals the live one', async () => {
    const before = await Promise.all(
      ['alice', 'bob', 'dave'].map(async (id) => (await get('analyst', `/customers/${id}/lifecycle`)).json()),
    );
    expect(before[0].transitions.length).toBeGreaterThan(1);
    const rebuild = await engine.request('admin', {
      method: 'POST',
      url: '/projections/customer-value/rebuild?wait=true',
    });
    expect(rebuild.statusCode).toBe(202);
    await scoringRun();
    const after = await Promise.all(
      ['alice', 'bob', 'dave'].map(async (id) => (await get('analyst', `/customers/${id}/lifecycle`)).json()),
    );
    expect(after).toEqual(before);
  });

  it('analyst queries: filters, CSV export of the same query, segments, promises by agent, sentiment; bad parameters are 400 naming the field', async () => {
    const maturity = (
      await get('analyst', '/analytics/customers?stage=maturity,departure&sort=-netRevenue&limit=1')
    ).json();
    expect(maturity.items.map((c: { customerId: string }) => c.customerId)).toEqual(['alice']);
    const next = (
      await get(
        'analyst',
        `/analytics/customers?stage=maturity,departure&sort=-netRevenue&limit=1&cursor=${encodeURIComponent(maturity.nextCursor)}`,
      )
    ).json();
    expect(next.items.map((c: { customerId: string }) => c.customerId)).toEqual(['bob']);

    const csv = await get('analyst', '/analytics/customers?tier=C&sort=customerId', { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^customerId,region,stage,tier/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['carol', 'dave']);

    for (const [query, field] of [
      ['tier=Z', 'tier'],
      ['bogus=1', 'bogus'],
      ['sort=name', 'sort'],
      ['netRevenueMin=abc', 'netRevenueMin'],
    ]) {
      const bad = await get('analyst', `/analytics/customers?${query}`);
      expect({ query, status: bad.statusCode, type: bad.headers['content-type'] }).toEqual({
        query,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(bad.json().errors[0].field).toBe(field);
    }
    expect((await get('analyst', '/analytics/sentiment?limit=0')).json().errors[0].field).toBe('limit');

    const segments = (await get('analyst', '/analytics/segments')).json();
    expect(segments.byStageTier.maturity.A).toEqual({ customers: 1, netRevenue: 500 });
    const agents = (await get('analyst', '/analytics/promises')).json();
    expect(agents.agents.reduce((n: number, a: { made: number }) => n + a.made, 0)).toBe(3);
    const sentiment = (await get('analyst', '/analytics/sentiment')).json();
    expect(sentiment.populationTrend.length).toBeGreaterThanOrEqual(1);
    expect(sentiment.customersWithDrops.items).toEqual([]);
    expect((await get('agent', '/analytics/segments')).statusCode).toBe(403);
  });

  it('projection status, parked events, and a rebuild over HTTP that ends equal to the model before', async () => {
    const status = (await get('analyst', '/projections')).json().projections;
    expect(status.map((s: { name: string }) => s.name).sort()).toEqual(
      READ_MODEL_PROJECTIONS.map((p) => p.name).sort(),
    );
    for (const s of status) {
      expect(s).toMatchObject({
        version: expect.any(Number),
        checkpoint: expect.any(Number),
        eventsBehind: expect.any(Number),
        secondsBehind: expect.any(Number),
        parked: 0,
      });
      expect(['live', 'catching_up']).toContain(s.state);
    }
    expect((await get('agent', '/projections')).statusCode).toBe(403);
    expect((await get('admin', '/projections/customer-profile/parked')).json()).toEqual({
      projection: 'customer-profile',
      parked: [],
    });
    expect(
      (
        await engine.request('admin', {
          method: 'POST',
          url: '/projections/customer-profile/parked/replay',
          payload: {},
        })
      ).json(),
    ).toEqual({ replayed: [], stillFailing: [] });

    const before = await Promise.all(
      ['alice', 'bob', 'dave'].map(async (id) => (await get('auditor', `/customers/${id}`)).json()),
    );
    const collectionBefore = await engine.app.get(ProjectionsService).liveCollection('customer-profile');
    const rebuild = await engine.request('admin', {
      method: 'POST',
      url: '/projections/customer-profile/rebuild?wait=true',
    });
    expect(rebuild.statusCode).toBe(202);
    expect(rebuild.json().projection.collection).not.toBe(collectionBefore);
    const after = await Promise.all(
      ['alice', 'bob', 'dave'].map(async (id) => (await get('auditor', `/customers/${id}`)).json()),
    );
    expect(after).toEqual(before);
    expect((await engine.request('admin', { method: 'POST', url: '/projections/nothing/rebuild' })).statusCode).toBe(
      404,
    );
    expect(
      (await engine.request('analyst', { method: 'POST', url: '/projections/customer-profile/rebuild' })).statusCode,
    ).toBe(403);
  });

  it('with a population to fit, the scoring run fits BG/NBD + Gamma-Gamma and GET /analytics/models/clv serves the fit', async () => {
    for (let i = 0; i < 30; i++) {
      const id = `pop-${String(i).padStart(2, '0')}`;
      await post('/customers', registration(id, { occurredAt: at(1) }));
      // Active buyers every 15 days up to now, early buyers who stopped, one-time buyers: a population the models can identify.
      const days =
        i % 3 === 0
          ? Array.from({ length: Math.floor((140 - i) / 15) + 1 }, (_, k) => 10 + i + 15 * k)
          : i % 3 === 1
            ? [5 + i, 15 + i, 25 + i]
            : [20 + 3 * i];
      for (const [n, day] of days.entries())
        await post(
          `/customers/${id}/purchases`,
          purchase(`${id}-${n}`, day, {
            lines: [{ sku: 'S', category: 'c', quantity: 1 + (i % 4), unitPrice: 10 }],
            total: 10 * (1 + (i % 4)),
          }),
        );
    }
    await caughtUp();
    const run = await scoringRun();
    expect(['fitted', 'partial']).toContain(run.run.clvModel.status);
    const model = (await get('analyst', '/analytics/models/clv')).json();
    expect(model).toMatchObject({
      fittedAt: NOW.toISOString(),
      unit: 'days',
      population: 33,
      bgNbd: {
        params: { r: expect.any(Number), alpha: expect.any(Number), a: expect.any(Number), b: expect.any(Number) },
      },
    });
    expect(Number.isFinite(model.bgNbd.logLikelihood)).toBe(true);
    const alice = (await get('analyst', '/customers/alice/value')).json();
    expect(alice.scores.probabilityAlive).toBeGreaterThan(0);
    expect(alice.scores.probabilityAlive).toBeLessThanOrEqual(1);
    expect(alice.scores.expectedPurchases90).toBeGreaterThan(0);
  });
});

describe('PROJECTOR_ROLE', () => {
  it('only: a projector worker serves the projections but no command API; none: reads the shared store and refuses to operate', async () => {
    const worker = await startTestEngine({
      PROJECTOR_ROLE: 'only',
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
    });
    try {
      expect(
        (await worker.request('agent', { method: 'POST', url: '/customers', payload: registration('w1') })).statusCode,
      ).toBe(404);
      const status = (await worker.request('admin', { method: 'GET', url: '/projections' })).json().projections;
      expect(status.every((s: { runner: string }) => s.runner === 'in-process')).toBe(true);
    } finally {
      await worker.close();
    }
    const api = await startTestEngine({ PROJECTOR_ROLE: 'none' });
    try {
      expect(
        (await api.request('agent', { method: 'POST', url: '/customers', payload: registration('n1') })).statusCode,
      ).toBe(201);
      const status = (await api.request('admin', { method: 'GET', url: '/projections' })).json().projections;
      expect(status.every((s: { runner: string }) => s.runner === 'external')).toBe(true);
      expect(
        (await api.request('admin', { method: 'POST', url: '/projections/customer-profile/rebuild' })).statusCode,
      ).toBe(409);
    } finally {
      await api.close();
    }
  });
});
