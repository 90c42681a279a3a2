import type { OpenAPIObject } from '@nestjs/swagger';
import { MAX_PAGE_SIZE, RANGE_FIELDS } from '@rapport/analytics/customers.query';
import { LIFECYCLE_STAGES, VALUE_TIERS } from '@rapport/projections/customer-vocabulary';
import { RFM_SEGMENTS, SORTABLE_FIELDS } from '@rapport/scoring/analytics-customer';
import { GET_RESPONSE_SCHEMAS } from './open-api-response-schemas';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Parameter = { name: string; in: 'query'; required: false; description: string; schema: Record<string, unknown> };

/** Either scheme authenticates a request (the guard takes a key from either header). */
const SECURITY: Record<string, string[]>[] = [{ 'api-key': [] }, { bearer: [] }];
const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const PROBLEM_SCHEMAS = {
  FieldProblem: {
    type: 'object',
    required: ['field', 'rule', 'message'],
    properties: {
      field: { type: 'string', example: 'lines.0.quantity' },
      rule: { type: 'string', example: 'min' },
      message: { type: 'string' },
    },
  },
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details: the body of every error (content type application/problem+json).',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', format: 'uri', example: 'https://rapport.dev/problems/validation' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string' },
      instance: { type: 'string', example: '/customers/c-1/purchases' },
      rule: { type: 'string', description: 'the domain rule refused (e.g. `promise.not_open`)' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/FieldProblem' } },
    },
  },
};

const STANDARD_ERRORS: Record<string, string> = {
  '401': 'no API key, or an unknown one',
  '403': "the key's role may not call this route",
  '404': 'no such customer, order, promise, complaint, projection or run',
};

/**
 * What the decorators leave out of the generated document: the two ways to send a key (so Swagger UI's
 * "Try it out" authenticates), problem documents for every error, a schema for every JSON answer, and
 * the analyst query parameters of `/analytics/customers` (read as a free-form map by the controller).
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    securitySchemes: {
      'api-key': { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'the API key (`rk_<role>_...`)' },
      bearer: { type: 'http', scheme: 'bearer', description: 'the same API key as `Authorization: Bearer <key>`' },
    },
    schemas: { ...document.components?.schemas, ...PROBLEM_SCHEMAS },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) completeOperation(path, method, operation);
    }
  }
  const customers = document.paths['/analytics/customers']?.get;
  if (customers) customers.parameters = [...(customers.parameters ?? []), ...analystCustomerParameters()];
  return document;
}

function completeOperation(path: string, method: string, operation: Operation): void {
  const secured = operation.security !== undefined && operation.security.length > 0;
  if (secured) {
    operation.security = SECURITY;
    for (const status of ['401', '403'] as const)
      operation.responses[status] ??= { description: STANDARD_ERRORS[status] as string };
    if (path.includes('{')) operation.responses['404'] ??= { description: STANDARD_ERRORS['404'] as string };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!response || !('description' in response)) continue;
    if (Number(status) >= 400 && response.content === undefined)
      response.content = { 'application/problem+json': { schema: PROBLEM_REF } };
    const shape = method === 'get' && status === '200' ? GET_RESPONSE_SCHEMAS[path] : undefined;
    if (shape) {
      // The declared shape, keeping an example a controller gives.
      const example = (response.content?.['application/json']?.schema as { example?: unknown } | undefined)?.example;
      response.description ||= 'the answer';
      response.content = {
        ...response.content,
        'application/json': { schema: example === undefined ? shape : { ...shape, example } },
      };
    } else if (method === 'get' && status === '200' && response.content === undefined) {
      response.description ||= 'the answer';
      response.content = {
        'application/json': { schema: { type: 'object', description: 'see docs/api.md for the fields' } },
      };
    }
  }
}

function analystCustomerParameters(): Parameter[] {
  const list = (name: string, values: readonly string[] | null, description: string): Parameter => ({
    name,
    in: 'query',
    required: false,
    description: `${description}; several comma separated`,
    schema: values ? { type: 'string', example: values[0], enum: values } : { type: 'string', example: 'East' },
  });
  const range = RANGE_FIELDS.flatMap((field): Parameter[] => [
    { name: `${field}Min`, in: 'query', required: false, description: `${field} at least`, schema: { type: 'number' } },
    { name: `${field}Max`, in: 'query', required: false, description: `${field} at most`, schema: { type: 'number' } },
  ]);
  return [
    list('stage', LIFECYCLE_STAGES, 'lifecycle stage'),
    list('tier', VALUE_TIERS, 'value tier (80/20)'),
    list('segment', RFM_SEGMENTS, 'RFM segment'),
    list('region', null, 'region'),
    {
      name: 'sentimentDrop',
      in: 'query',
      required: false,
      description: 'only customers whose sentiment dropped (or not)',
      schema: { type: 'boolean' },
    },
    ...range,
    {
      name: 'sort',
      in: 'query',
      required: false,
      description: `field, or -field for descending; comma separated; one of ${SORTABLE_FIELDS.join(', ')}`,
      schema: { type: 'string', example: '-netRevenue' },
    },
    {
      name: 'limit',
      in: 'query',
      required: false,
      description: 'page size',
      schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 },
    },
    {
      name: 'cursor',
      in: 'query',
      required: false,
      description: 'the nextCursor of the previous page',
      schema: { type: 'string' },
    },
    {
      name: 'run',
      in: 'query',
      required: false,
      description: 'a scoring run id (run-000042); the current run by default',
      schema: { type: 'string' },
    },
    {
      name: 'asOf',
      in: 'query',
      required: false,
      description: 'the latest scoring run as of this date',
      schema: { type: 'string', format: 'date-time' },
    },
  ];
}
