import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { publicKeyFromPem, verifyExport, DEV_PUBLIC_KEY_FILE } from '@rapport/audit';
import { startTestEngine, headPosition, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import type { ApiRole } from '../auth/roles';
import { EVENT_STORE_FILE } from '@rapport/application';

const PROBLEM = /^application\/problem\+json/;
const survey = (surveyId: string, comment: string, day: number) => ({
  surveyId,
  kind: 'nps',
  score: 9,
  comment,
  occurredAt: at(day),
});

async function* chunksOf(buffer: Buffer) {
  for (let i = 0; i < buffer.length; i += 1000) yield buffer.subarray(i, i + 1000);
}

describe('audit API', () => {
  let engine: TestEngine;
  const ok = async (role: ApiRole, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) => {
    const response = await engine.request(role, { method, url, ...(payload ? { payload } : {}) });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  };

  beforeAll(async () => {
    engine = await startTestEngine({ SQLITE_SYNCHRONOUS: 'NORMAL' });
    await ok('agent', '/customers', 'POST', registration('alice'));
    await ok('agent', '/customers/alice/purchases', 'POST', purchase('o-1', 3));
    await ok('agent', '/customers/alice/surveys', 'POST', survey('s-1', 'great service, very happy', 4));
    await ok('agent', '/customers', 'POST', registration('erin'));
    await ok('agent', '/customers/erin/surveys', 'POST', survey('s-2', 'my secret comment', 2));
    await ok('admin', '/customers/erin/erasure', 'POST', { reason: 'erasure request #1' });
  });
  afterAll(() => engine.close());

  describe('roles', () => {
    const routes: { method: string; url: string; payload?: object }[] = [
      { method: 'GET', url: '/audit/customers/alice/history' },
      { method: 'GET', url: '/audit/customers/alice/state' },
      { method: 'POST', url: '/audit/verify', payload: { customerId: 'alice' } },
      { method: 'GET', url: '/audit/verify/00000000-0000-4000-8000-000000000000' },
      { method: 'GET', url: '/audit/customers/alice/export' },
      { method: 'GET', url: '/audit/export' },
    ];
    it.each(routes)(
      '$method $url: 401 without a key, 403 for agent, analyst and subscriber',
      async ({ method, url, payload }) => {
        const options = { method: method as 'GET', url, ...(payload ? { payload } : {}) };
        const anonymous = await engine.request(null, options);
        expect({ status: anonymous.statusCode, type: anonymous.headers['content-type'] }).toEqual({
          status: 401,
          type: expect.stringMatching(PROBLEM),
        });
        for (const role of ['agent', 'analyst', 'subscriber'] as const) {
          const response = await engine.request(role, options);
          expect({ role, status: response.statusCode, type: response.headers['content-type'] }).toEqual({
            role,
            status: 403,
            type: expect.stringMatching(PROBLEM),
          });
        }
      },
    );
    it.each(['auditor', 'admin'] as const)('%s may read history and state', async (role) => {
      expect((await engine.request(role, { method: 'GET', url: '/audit/customers/alice/history' })).statusCode).toBe(
        200,
      );
      expect((await engine.request(role, { method: 'GET', url: '/audit/customers/alice/state' })).statusCode).toBe(200);
    });
  });

  describe('history', () => {
    it('lists the events in order with every metadata field and decrypted personal data', async () => {
      const body = (await ok('auditor', '/audit/customers/alice/history')).json();
      expect(body.events.map((e: { type: string }) => e.type)).toEqual([
        'CustomerRegistered',
        'PurchaseRecorded',
        'SurveyResponded',
      ]);
      expect(body.nextCursor).toBeNull();
      const [first, second] = body.events;
      expect(first).toMatchObject({
        streamId: 'customer-alice',
        revision: 0,
        position: expect.any(Number),
        data: { name: 'Name of alice', email: 'alice@example.com' },
      });
      expect(first.metadata).toEqual({
        eventId: expect.any(String),
        occurredAt: expect.any(String),
        recordedAt: expect.any(String),
        actor: { id: 'test-agent', role: 'agent' },
        channel: 'web',
        correlationId: expect.any(String),
        causationId: null,
        schemaVersion: 1,
        prevHash: '0'.repeat(64),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(second.metadata.prevHash).toBe(first.metadata.hash);
      expect(body.events[2].data.comment).toBe('great service, very happy');
    });

    it('pages by revision with a cursor', async () => {
      const page1 = (await ok('auditor', '/audit/customers/alice/history?limit=2')).json();
      expect(page1.events.map((e: { revision: number }) => e.revision)).toEqual([0, 1]);
      expect(page1.nextCursor).toBe(2);
      const page2 = (await ok('auditor', `/audit/customers/alice/history?limit=2&cursor=${page1.nextCursor}`)).json();
      expect(page2.events.map((e: { revision: number }) => e.revision)).toEqual([2]);
      expect(page2.nextCursor).toBeNull();
    });

    it('shows personal data as [erased] after erasure', async () => {
      const body = (await ok('admin', '/audit/customers/erin/history')).json();
      expect(body.events.map((e: { type: string }) => e.type)).toEqual([
        'CustomerRegistered',
        'SurveyResponded',
        'CustomerErased',
      ]);
      expect(body.events[0].data).toMatchObject({ name: '[erased]', email: '[erased]', region: 'East China' });
      expect(body.events[1].data.comment).toBe('[erased]');
      expect(JSON.stringify(body)).not.toContain('secret');
    });

    it('404 for an unknown customer, 400 naming a bad limit', async () => {
      const missing = await engine.request('auditor', { method: 'GET', url: '/audit/customers/nobody/history' });
      expect({ status: missing.statusCode, type: missing.headers['content-type'] }).toEqual({
        status: 404,
        type: expect.stringMatching(PROBLEM),
      });
      const bad = await engine.request('auditor', { method: 'GET', url: '/audit/customers/alice/history?limit=0' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'limit', rule: 'min' })]);
    });
  });

  describe('as-of state', () => {
    let knownBetween: string;
    beforeAll(async () => {
      await ok('agent', '/customers', 'POST', registration('bob', { occurredAt: at(1) }));
      await ok('agent', '/customers/bob/purchases', 'POST', purchase('o-late', 10));
      await sleep(20);
      knownBetween = new Date().toISOString();
      await sleep(20);
      // Recorded after `knownBetween`, but it happened earlier (business time day 5).
      await ok('agent', '/customers/bob/purchases', 'POST', purchase('o-backdated', 5));
    });

    const stateOf = async (query: string) => (await ok('auditor', `/audit/customers/bob/state${query}`)).json();

    it('without bounds: every event, through the decider and every per-customer read model', async () => {
      const state = await stateOf('');
      expect(state).toMatchObject({
        customerId: 'bob',
        asOf: null,
        knownAt: null,
        eventsApplied: 3,
        eventsInStream: 3,
        lastRevision: 2,
      });
      expect(state.decider).toMatchObject({ status: 'active', customerId: 'bob' });
      expect(Object.keys(state.decider.orders).sort()).toEqual(['o-backdated', 'o-late']);
      expect(Object.keys(state.readModels).sort()).toEqual([
        'complaints',
        'lifecycle',
        'profile',
        'promises',
        'sentiment',
        'value',
      ]);
      expect(state.readModels.value).toMatchObject({ customerId: 'bob', orders: 2 });
      expect(state.readModels.profile).toMatchObject({ customerId: 'bob', registered: true, region: 'East China' });
      expect(state.notIncluded).toContain('population');
    });

    it('knownAt excludes an event recorded later, even with an earlier business time', async () => {
      const state = await stateOf(`?knownAt=${knownBetween}`);
      expect(state).toMatchObject({ eventsApplied: 2, lastRevision: 1 });
      expect(Object.keys(state.decider.orders)).toEqual(['o-late']);
      expect(state.readModels.value).toMatchObject({ orders: 1 });
    });

    it('asOf keeps only what had happened by then, including what was recorded later', async () => {
      const state = await stateOf(`?asOf=${at(7)}`);
      expect(state).toMatchObject({ eventsApplied: 2, lastRevision: 2 });
      expect(Object.keys(state.decider.orders)).toEqual(['o-backdated']);
      const both = await stateOf(`?asOf=${at(7)}&knownAt=${knownBetween}`);
      expect(both.decider.orders).toEqual({});
      expect(both.readModels.value).toMatchObject({ orders: 0 });
      const before = await stateOf(`?asOf=${at(1, 0)}`);
      expect(before).toMatchObject({
        eventsApplied: 0,
        decider: { status: 'unknown' },
        readModels: { profile: null, value: null },
      });
    });

    it('reveals the profile as GET /customers/{id} does: the name to auditors and admins, [erased] once erased', async () => {
      const head = await headPosition(engine);
      const live = (await ok('auditor', `/customers/bob?min-position=${head}`)).json();
      for (const role of ['auditor', 'admin'] as const) {
        const { readModels } = (await ok(role, '/audit/customers/bob/state')).json();
        expect(readModels.profile.personal).toEqual({
          name: 'Name of bob',
          email: 'bob@example.com',
          phone: '+86 138 0000 0000',
          address: '1 Road of bob',
        });
        expect(readModels.profile.personal).toEqual(live.personal);
      }
      // Other roles see the live profile redacted, and may not ask for an as-of state at all.
      expect((await ok('analyst', `/customers/bob?min-position=${head}`)).json().personal.name).toBe('[redacted]');
      expect((await engine.request('analyst', { method: 'GET', url: '/audit/customers/bob/state' })).statusCode).toBe(
        403,
      );
      // Erased: before the erasure the profile still held sealed fields, which now read [erased]; after it, as live.
      const beforeErasure = (await ok('auditor', `/audit/customers/erin/state?asOf=${at(3)}`)).json();
      expect(beforeErasure.readModels.profile).toMatchObject({
        erased: false,
        personal: { name: '[erased]', email: '[erased]' },
      });
      const now = (await ok('admin', '/audit/customers/erin/state')).json();
      expect(now.readModels.profile).toMatchObject({
        erased: true,
        personal: (await ok('admin', `/customers/erin?min-position=${head}`)).json().personal,
      });
      expect(now.readModels.profile.personal.name).toBe('[erased]');
      expect(JSON.stringify([beforeErasure, now])).not.toMatch(/Name of erin|secret|pdref:/);
    });

    it('400 problem+json naming a bad date', async () => {
      const response = await engine.request('auditor', {
        method: 'GET',
        url: '/audit/customers/bob/state?asOf=yesterday&knownAt=2026-13-01',
      });
      expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        status: 400,
        type: expect.stringMatching(PROBLEM),
      });
      expect(
        response
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['asOf', 'knownAt']);
    });
  });

  describe('signed export', () => {
    const publicKey = () => publicKeyFromPem(readFileSync(join(engine.dataDir, DEV_PUBLIC_KEY_FILE), 'utf8'));

    it("a customer's export verifies offline, and any altered byte is detected", async () => {
      const response = await ok('auditor', '/audit/customers/alice/export');
      expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const file = response.rawPayload;
      expect(file.toString().trim().split('\n')).toHaveLength(3 + 2);
      expect(file.toString()).not.toContain('Name of alice'); // personal data stays encrypted
      await expect(verifyExport(chunksOf(file), { publicKey: publicKey() })).resolves.toMatchObject({
        ok: true,
        events: 3,
        streams: 1,
      });
      for (const at of [10, Math.floor(file.length / 2), file.length - 20]) {
        const altered = Buffer.from(file);
        altered[at] = altered[at]! ^ 0x04;
        await expect(verifyExport(chunksOf(altered), { publicKey: publicKey() })).resolves.toMatchObject({ ok: false });
      }
    });

    it('the whole-store export holds every event', async () => {
      const file = (await ok('admin', '/audit/export')).rawPayload;
      await expect(verifyExport(chunksOf(file), { publicKey: publicKey() })).resolves.toMatchObject({
        ok: true,
        events: await headPosition(engine),
      });
    });

    it('404 for a customer without events', async () => {
      expect(
        (await engine.request('auditor', { method: 'GET', url: '/audit/customers/nobody/export' })).statusCode,
      ).toBe(404);
    });
  });
});

describe('audit API: hash-chain verification', () => {
  it('passes on intact streams and names the first broken revision after a byte is altered in the SQLite file', async () => {
    let engine = await startTestEngine({ SQLITE_SYNCHRONOUS: 'NORMAL' });
    const dataDir = engine.dataDir;
    try {
      for (const id of ['v1', 'v2']) {
        await engine.request('agent', { method: 'POST', url: '/customers', payload: registration(id) });
        await engine.request('agent', {
          method: 'POST',
          url: `/customers/${id}/purchases`,
          payload: purchase(`o-${id}-a`, 2),
        });
        await engine.request('agent', {
          method: 'POST',
          url: `/customers/${id}/purchases`,
          payload: purchase(`o-${id}-tampered`, 3),
        });
        await engine.request('agent', {
          method: 'POST',
          url: `/customers/${id}/purchases`,
          payload: purchase(`o-${id}-c`, 4),
        });
      }
      const intact = await engine.request('auditor', {
        method: 'POST',
        url: '/audit/verify',
        payload: { customerId: 'v1' },
      });
      expect(intact.json()).toEqual({
        scope: 'customer',
        customerId: 'v1',
        ok: true,
        streams: 1,
        events: 4,
        broken: [],
      });
      await engine.app.close();

      // One byte in the stored JSON of customer v2's third event: "o-v2-tampered" becomes "o-v2-tamperee".
      const file = join(dataDir, EVENT_STORE_FILE);
      const bytes = readFileSync(file);
      const at = bytes.indexOf('o-v2-tampered');
      expect(at).toBeGreaterThan(0);
      bytes[at + 'o-v2-tampere'.length] = 'e'.charCodeAt(0);
      writeFileSync(file, bytes);

      engine = await startTestEngine({ DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: 'NORMAL' });
      const one = await engine.request('admin', {
        method: 'POST',
        url: '/audit/verify',
        payload: { customerId: 'v2' },
      });
      expect(one.json()).toMatchObject({
        ok: false,
        broken: [{ streamId: 'customer-v2', brokenAt: 2, reason: expect.any(String) }],
      });

      const started = await engine.request('auditor', { method: 'POST', url: '/audit/verify' });
      expect(started.statusCode).toBe(202);
      expect(started.headers.location).toBe(`/audit/verify/${started.json().jobId}`);
      let job = started.json();
      for (let i = 0; i < 100 && job.status === 'running'; i++) {
        await sleep(10);
        job = (await engine.request('auditor', { method: 'GET', url: `/audit/verify/${job.jobId}` })).json();
      }
      expect(job).toMatchObject({
        status: 'completed',
        progress: { streamsChecked: 2, streamsTotal: 2, eventsChecked: 7, percent: 100 },
        result: { ok: false, streams: 2, broken: [{ streamId: 'customer-v2', brokenAt: 2 }] },
      });
      expect((await engine.request('auditor', { method: 'GET', url: '/audit/verify/not-a-uuid' })).statusCode).toBe(
        400,
      );
      expect(
        (await engine.request('auditor', { method: 'GET', url: '/audit/verify/00000000-0000-4000-8000-000000000000' }))
          .statusCode,
      ).toBe(404);
    } finally {
      await engine.close();
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
