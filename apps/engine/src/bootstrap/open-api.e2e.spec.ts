import { startTestEngine, type TestEngine } from '../../test/engine-test-app';

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
interface Operation {
  security?: Record<string, string[]>[];
  responses: Responses;
  parameters?: { name: string; in: string }[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<
      string,
      { type: string; in?: string; name?: string; scheme?: string; bearerFormat?: string }
    >;
    schemas: Record<string, unknown>;
  };
}

const PUBLIC = ['/health', '/ping', '/metrics'];

describe('the OpenAPI document at /docs-json', () => {
  let engine: TestEngine;
  let doc: Document;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
  beforeAll(async () => {
    engine = await startTestEngine({ SCORING_INTERVAL_SECONDS: '0', DEADLINE_WATCH_INTERVAL_SECONDS: '0' });
    doc = (await engine.request(null, { method: 'GET', url: '/docs-json' })).json();
  });
  afterAll(() => engine.close());

  it('defines every security scheme it requires: the X-Api-Key header and the bearer key (no JWT)', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes['api-key']).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }));
    expect(schemes['bearer']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(schemes['bearer']?.bearerFormat).toBeUndefined();
    const required = new Set(operations().flatMap(({ op }) => (op.security ?? []).flatMap((s) => Object.keys(s))));
    expect([...required].filter((name) => !(name in schemes))).toEqual([]);
    const unsecured = operations()
      .filter(({ op }) => !op.security?.length)
      .map(({ path }) => path);
    expect([...new Set(unsecured)].sort()).toEqual([...PUBLIC].sort());
  });

  it('a key sent the way each scheme says is accepted ("Try it out")', async () => {
    const key = engine.keys.admin;
    expect(
      (await engine.request(null, { method: 'GET', url: '/projections', headers: { 'x-api-key': key } })).statusCode,
    ).toBe(200);
    expect(
      (await engine.request(null, { method: 'GET', url: '/projections', headers: { authorization: `Bearer ${key}` } }))
        .statusCode,
    ).toBe(200);
  });

  it('every error is a ProblemDetails; secured routes list 401 and 403, routes with an id 404; every GET 200 has a schema', () => {
    expect(doc.components.schemas['ProblemDetails']).toBeDefined();
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        // /health answers 503 with the health report itself, not a problem
        if (Number(status) >= 400 && path !== '/health')
          expect({ path, method, status, content: response.content }).toEqual({
            path,
            method,
            status,
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
          });
      }
      if (op.security?.length)
        expect({ path, method, statuses: Object.keys(op.responses) }).toEqual({
          path,
          method,
          statuses: expect.arrayContaining(['401', '403']),
        });
      if (op.security?.length && path.includes('{'))
        expect({ path, method, statuses: Object.keys(op.responses) }).toEqual({
          path,
          method,
          statuses: expect.arrayContaining(['404']),
        });
      if (method === 'get') {
        const ok = op.responses['200'];
        expect({ path, schema: ok?.content && Object.values(ok.content)[0]?.schema !== undefined }).toEqual({
          path,
          schema: true,
        });
      }
    }
  });

  it('lists the analyst query parameters of /analytics/customers', () => {
    const names = (doc.paths['/analytics/customers']?.['get']?.parameters ?? []).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'stage',
        'tier',
        'segment',
        'region',
        'sentimentDrop',
        'netRevenueMin',
        'netRevenueMax',
        'sort',
        'limit',
        'cursor',
      ]),
    );
  });
});
