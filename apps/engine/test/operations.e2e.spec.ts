import { startTestEngine, type TestEngine } from './engine-test-app';
import { registration } from './touchpoint-requests';

describe('operations: health, metrics, OpenAPI', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(() => engine.close());

  it('/health checks the stores without a key', async () => {
    const response = await engine.request(null, { method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      info: { eventStore: { status: 'up' }, readStore: { status: 'up' } },
    });
  });

  it('/metrics counts requests by route and status', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('m-1') });
    const metrics = await engine.request(null, { method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/rapport_http_requests_total\{method="POST",route="\/customers",status="201"\} 1/);
    expect(metrics.body).toContain('rapport_http_request_duration_seconds_bucket');
  });

  it('/docs serves the UI and every command body in the OpenAPI document has an example for each field', async () => {
    expect((await engine.request(null, { method: 'GET', url: '/docs' })).statusCode).toBe(200);
    const document = (await engine.request(null, { method: 'GET', url: '/docs-json' })).json();
    const commandRoutes = Object.entries(
      document.paths as Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
      >,
    )
      .filter(([path]) => path.startsWith('/customers'))
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([method]) => method === 'post' || method === 'patch')
          .map(([method, op]) => ({ path, method, op })),
      );
    expect(commandRoutes.length).toBeGreaterThanOrEqual(17);
    const schemas = document.components.schemas as Record<
      string,
      { properties: Record<string, { example?: unknown; $ref?: string; items?: unknown }> }
    >;
    for (const { path, method, op } of commandRoutes) {
      const ref = op.requestBody?.content['application/json']?.schema.$ref;
      if (!ref) continue; // routes of other areas without a JSON body
      const schema = schemas[ref.split('/').pop() as string];
      const missing = Object.entries(schema?.properties ?? {})
        .filter(([, p]) => p.example === undefined && !p.$ref && !(p as { allOf?: unknown }).allOf)
        .map(([name]) => name);
      expect({ route: `${method} ${path}`, missing }).toEqual({ route: `${method} ${path}`, missing: [] });
    }
  });
});
