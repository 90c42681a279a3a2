import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { registration } from '../../test/touchpoint-requests';

describe('/health: stores and projection runner', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
  });
  afterAll(() => engine.close());

  it('checks the event, read and key stores and shows each projection, without a key', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('h-1') });
    const response = await engine.request(null, { method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      status: 'ok',
      degraded: false,
      info: {
        eventStore: { status: 'up' },
        readStore: { status: 'up' },
        keyStore: { status: 'up' },
        projections: { status: 'up', degraded: false, problems: [] },
      },
    });
    const projections = (await engine.request('admin', { method: 'GET', url: '/projections' })).json().projections as {
      name: string;
    }[];
    expect(Object.keys(body.info.projections.projections).sort()).toEqual(projections.map((p) => p.name).sort());
    expect(Object.values(body.info.projections.projections)).toEqual(
      expect.arrayContaining([expect.objectContaining({ parked: 0, lastError: null, runner: 'in-process' })]),
    );
  });

  it('the key-store probe stores no key', async () => {
    await engine.request(null, { method: 'GET', url: '/health' });
    const keyStore = engine.app.get<KeyStore>(KEY_STORE);
    expect(await keyStore.getKey('~health-probe')).toBeNull();
    expect(await keyStore.isDestroyed('~health-probe')).toBe(false);
  });

  // Last: it closes the key store.
  it('answers 503 naming the key store when it is down', async () => {
    await engine.app.get<KeyStore>(KEY_STORE).close();
    const response = await engine.request(null, { method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'error',
      error: { keyStore: { status: 'down' } },
      info: { eventStore: { status: 'up' } },
    });
  });
});
