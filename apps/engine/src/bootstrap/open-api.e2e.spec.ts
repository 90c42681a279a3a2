import { CURRENCY_PATTERN, EMAIL_PATTERN, ID_PATTERN, MAX_PURCHASE_LINES, TEXT_LIMITS } from '@rapport/domain';
import { ProjectionsService } from '@rapport/application';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';

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

interface ObjectSchema {
  properties?: Record<string, ObjectSchema>;
  required?: string[];
  items?: ObjectSchema;
}

/** The GET routes whose answers the document spells out field by field. */
const SHAPED_ROUTES = [
  '/customers/{id}',
  '/customers/{id}/value',
  '/customers/{id}/lifecycle',
  '/customers/{id}/promises',
  '/customers/{id}/complaints',
  '/customers/{id}/sentiment',
  '/analytics/customers',
  '/analytics/segments',
  '/analytics/promises',
  '/analytics/models/clv',
  '/analytics/scoring/runs',
  '/analytics/scoring/runs/{id}',
  '/projections',
  '/health',
];

describe('the OpenAPI document at /docs-json', () => {
  let engine: TestEngine;
  let doc: Document;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
  const okSchema = (path: string): ObjectSchema | undefined =>
    doc.paths[path]?.['get']?.responses['200']?.content?.['application/json']?.schema as ObjectSchema | undefined;
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

  it("states each request body's rules as the validation runs them (the same class-validator declarations)", () => {
    const purchase = doc.components.schemas['RecordPurchaseDto'] as ObjectSchema;
    expect(purchase.properties).toMatchObject({
      orderId: { type: 'string', pattern: ID_PATTERN.source, example: 'o-5001' },
      lines: { type: 'array', minItems: 1, maxItems: MAX_PURCHASE_LINES },
      total: { type: 'number', minimum: 0 },
      currency: { pattern: CURRENCY_PATTERN.source },
      occurredAt: { format: 'date-time' },
    });
    expect((doc.components.schemas['PurchaseLineDto'] as ObjectSchema).properties).toMatchObject({
      sku: { minLength: 1, maxLength: 200 },
      quantity: { type: 'integer', minimum: 1 },
    });
    expect((doc.components.schemas['RefundPurchaseDto'] as ObjectSchema).properties).toMatchObject({
      amount: { exclusiveMinimum: 0 },
      reason: { maxLength: 10_000 },
    });
    // The rules that call the domain's own predicates state what they check: non-blank text within
    // the domain's limit, a timestamp, the domain's e-mail pattern.
    expect((doc.components.schemas['LogCallDto'] as ObjectSchema).properties).toMatchObject({
      topic: { minLength: 1, maxLength: TEXT_LIMITS.term },
      durationSeconds: { type: 'integer', minimum: 0 },
      occurredAt: { format: 'date-time' },
    });
    expect((doc.components.schemas['RegisterCustomerDto'] as ObjectSchema).properties).toMatchObject({
      email: { format: 'email', pattern: EMAIL_PATTERN.source, maxLength: TEXT_LIMITS.email },
      region: { minLength: 1, maxLength: TEXT_LIMITS.label },
    });
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

  it('each listed GET route declares its answer field by field, not a bare object', () => {
    const shapes = SHAPED_ROUTES.map((path) => ({
      path,
      fields: Object.keys(okSchema(path)?.properties ?? {}).length > 0,
    }));
    expect(shapes).toEqual(SHAPED_ROUTES.map((path) => ({ path, fields: true })));
  });

  it('given a customer with touchpoints and a scoring run, every field of each real answer is declared, and every required one is there', async () => {
    let last = 0;
    const post = async (url: string, payload: object) => {
      const response = await engine.request('agent', { method: 'POST', url, payload });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 201 });
      last = Math.max(last, response.json().position as number);
    };
    await post('/customers', registration('ada', { occurredAt: at(1) }));
    for (const day of [10, 30, 50]) await post('/customers/ada/purchases', purchase(`ada-${day}`, day));
    await post('/customers/ada/promises', {
      promiseId: 'p-1',
      description: 'call back',
      dueAt: at(90),
      withinPolicy: true,
      occurredAt: at(60),
    });
    await post('/customers/ada/surveys', {
      surveyId: 's-1',
      kind: 'nps',
      score: 9,
      comment: 'great service',
      occurredAt: at(61),
    });
    await post('/customers/ada/complaints', {
      complaintId: 'c-1',
      category: 'delivery',
      severity: 'high',
      description: 'late',
      occurredAt: at(62),
    });
    const projections = engine.app.get(ProjectionsService);
    for (const p of READ_MODEL_PROJECTIONS) await projections.waitFor(p.name, last, 10_000);
    const run = await engine.request('admin', { method: 'POST', url: '/projections/scoring/run' });
    expect(run.statusCode).toBe(200);
    const runId = run.json().run.id as string;

    // Given each route's answer, when its keys (and its list items' keys) are compared with the schema,
    // then nothing is undeclared and nothing required is missing.
    const urls: Record<string, string> = {
      '/customers/{id}': '/customers/ada',
      '/customers/{id}/value': '/customers/ada/value',
      '/customers/{id}/lifecycle': '/customers/ada/lifecycle',
      '/customers/{id}/promises': '/customers/ada/promises',
      '/customers/{id}/complaints': '/customers/ada/complaints',
      '/customers/{id}/sentiment': '/customers/ada/sentiment',
      '/analytics/customers': '/analytics/customers',
      '/analytics/segments': '/analytics/segments',
      '/analytics/promises': '/analytics/promises',
      '/analytics/models/clv': '/analytics/models/clv',
      '/analytics/scoring/runs': '/analytics/scoring/runs',
      '/analytics/scoring/runs/{id}': `/analytics/scoring/runs/${runId}`,
      '/analytics/kpis': '/analytics/kpis?by=region',
      '/analytics/kpis/drivers': '/analytics/kpis/drivers',
      '/analytics/cohorts': '/analytics/cohorts',
      '/projections': '/projections',
      '/health': '/health',
    };
    const mismatches: object[] = [];
    const compare = (where: string, value: unknown, schema: ObjectSchema | undefined) => {
      if (schema?.items && Array.isArray(value))
        return value.forEach((item, i) => compare(`${where}[${i}]`, item, schema.items));
      if (!schema?.properties || value === null || typeof value !== 'object' || Array.isArray(value)) return;
      const keys = Object.keys(value);
      const undeclared = keys.filter((key) => !(key in schema.properties!));
      const missing = (schema.required ?? []).filter((key) => !keys.includes(key));
      if (undeclared.length || missing.length) mismatches.push({ where, undeclared, missing });
      for (const key of keys)
        compare(`${where}.${key}`, (value as Record<string, unknown>)[key], schema.properties[key]);
    };
    for (const path of SHAPED_ROUTES) {
      const response = await engine.request('admin', { method: 'GET', url: urls[path]! });
      expect({ path, status: response.statusCode }).toEqual({ path, status: 200 });
      compare(path, response.json(), okSchema(path));
    }
    expect(mismatches).toEqual([]);
  });
});
