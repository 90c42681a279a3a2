import { startTestEngine, storedEvents, type TestEngine } from './engine-test-app';
import { purchase, registration } from './touchpoint-requests';

describe('two engines on one data dir: the store revision check decides, conflicts are retried', () => {
  let a: TestEngine;
  let b: TestEngine;
  beforeAll(async () => {
    a = await startTestEngine();
    b = await startTestEngine({ DATA_DIR: a.dataDir });
    await a.request('agent', { method: 'POST', url: '/customers', payload: registration('shared') });
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
  });

  it('interleaved writers without If-Match: every purchase lands once, revisions dense', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? a : b).request('agent', {
          method: 'POST',
          url: '/customers/shared/purchases',
          payload: purchase(`o-${i}`),
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(30).fill(201));
    const events = await storedEvents(a, 'customer-shared');
    expect(events).toHaveLength(31);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
  });

  it('a stale If-Match from the other engine is a 412, not a retry', async () => {
    const seen = await a.request('agent', {
      method: 'POST',
      url: '/customers/shared/purchases',
      payload: purchase('o-a'),
    });
    await b.request('agent', { method: 'POST', url: '/customers/shared/purchases', payload: purchase('o-b') });
    const stale = await a.request('agent', {
      method: 'POST',
      url: '/customers/shared/purchases',
      payload: purchase('o-c'),
      headers: { 'if-match': seen.headers.etag as string },
    });
    expect(stale.statusCode).toBe(412);
  });
});
