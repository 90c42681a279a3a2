import 'reflect-metadata';
import { isDomainError, validateCommandValues, type CustomerCommand } from '@rapport/domain';
import type { RecordCustomerCommand } from '@rapport/application';
import fc from 'fast-check';
import { SyncValidationPipe } from '../bootstrap/sync-validation.pipe';
import type { DtoClass } from '../http/dto-json-schema';
import { RequestValidationError } from '../http/request-validation.error';
import { CallsController } from './calls/calls.controller';
import { ComplaintsController } from './complaints/complaints.controller';
import { CustomersController } from './customers/customers.controller';
import { ErasureController } from './erasure/erasure.controller';
import { PromisesController } from './promises/promises.controller';
import { PurchasesController } from './purchases/purchases.controller';
import { SurveysController } from './surveys/surveys.controller';
import { FollowUpsController } from '../worklist/follow-ups.controller';

// Every command route, walked through its controller: the HTTP validation (the engine's pipe, its
// compiled schema first) and the domain's value checks (what an import or a job meets) must accept
// and refuse the same inputs. Only the rules that weigh several fields together are the domain's
// alone (both answer 400 naming field and rule); each is named here.
const CROSS_FIELD_RULES = new Set([
  'purchase.total_mismatch',
  'followUp.no_assignee',
  'survey.score_required',
  'survey.score_not_allowed',
  'survey.score_out_of_range',
  'survey.comment_required',
  'profile.no_changes',
]);

/** Command fields a route fills in itself, from the path, the clock or the calling key. */
const ROUTE_FIELDS = ['customerId', 'occurredAt', 'completedBy', 'dismissedBy', 'reassignedBy'];

const CONTROLLERS = [
  CustomersController,
  CallsController,
  PurchasesController,
  PromisesController,
  ComplaintsController,
  SurveysController,
  ErasureController,
  FollowUpsController,
];

const pipe = new SyncValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
});
const NOW = new Date('2026-11-20T10:00:00Z');
const META = { actor: { id: 'agent-7', role: 'agent' as const }, correlationId: 'corr-1', causationId: null };

type Handler = (...args: unknown[]) => Promise<unknown>;
interface Route {
  name: string;
  params?: DtoClass;
  body: DtoClass;
  /** The command the controller sends for these raw values (its defaults and path fields added). */
  build: (params: Record<string, unknown>, body: unknown) => CustomerCommand;
}

/** Every route of the touchpoint controllers, with its path and body DTOs from the parameter types. */
function commandRoutes(): Route[] {
  const routes: Route[] = [];
  for (const Controller of CONTROLLERS) {
    let sent: CustomerCommand | undefined;
    const bus = {
      execute: (c: RecordCustomerCommand) => {
        sent = c.command;
        return Promise.resolve({});
      },
    };
    // The command routes need the bus and the clock only.
    const Construct = Controller as unknown as new (...deps: unknown[]) => Record<string, Handler>;
    const controller = new Construct(bus, { now: () => NOW });
    for (const method of Object.getOwnPropertyNames(Controller.prototype)) {
      const types = (Reflect.getMetadata('design:paramtypes', Controller.prototype, method) ?? []) as DtoClass[];
      const body = types.find((t) => typeof t === 'function' && t.name.endsWith('Dto'));
      if (!body) continue;
      const params = types.find((t) => typeof t === 'function' && t.name.endsWith('Params'));
      routes.push({
        name: `${Controller.name}.${method}`,
        params,
        body,
        build: (path, value) => {
          sent = undefined;
          const args = [...(params ? [path] : []), value, META, (r: unknown) => r];
          void (controller[method] as Handler)(...args);
          if (!sent) throw new Error(`${Controller.name}.${method} sent no command`);
          return sent;
        },
      });
    }
  }
  return routes;
}

const SWAGGER_PROPERTIES = 'swagger/apiModelProperties';
const SWAGGER_PROPERTY_LIST = 'swagger/apiModelPropertiesArray';

/** A value built from the OpenAPI examples of a DTO's properties (nested DTOs from theirs). */
function exampleOf(target: DtoClass): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  const names = (Reflect.getMetadata(SWAGGER_PROPERTY_LIST, target.prototype) ?? []) as string[];
  for (const name of names.map((n) => n.slice(1))) {
    const property = Reflect.getMetadata(SWAGGER_PROPERTIES, target.prototype, name) as {
      example?: unknown;
      type?: unknown;
    };
    const nested = Array.isArray(property.type) ? property.type[0] : property.type;
    if (property.example !== undefined) value[name] = property.example;
    else if (typeof nested === 'function' && nested.name.endsWith('Dto')) value[name] = exampleOf(nested as DtoClass);
  }
  return value;
}

const accepts = (value: unknown, type: 'param' | 'body', metatype: DtoClass): Promise<boolean> =>
  pipe.transform(structuredClone(value), { type, metatype: metatype as never }).then(
    () => true,
    () => false,
  );

/** The domain's verdict, or the rule it names. */
function domainVerdict(build: () => CustomerCommand): true | string {
  try {
    validateCommandValues(build());
    return true;
  } catch (error) {
    if (isDomainError(error)) return error.rule;
    // The controller cannot even build a command from it (e.g. lines that are no list).
    return 'unbuildable';
  }
}

const ROUTES = commandRoutes();

// Values at each rule's edges: lengths in UTF-16 units and in code points, blank text, integers
// JSON cannot carry exactly, dates that do not exist or have no zone, e-mails either grammar may doubt.
const EDGES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  1.5,
  11,
  2 ** 53,
  2 ** 53 + 2,
  -0.001,
  '',
  ' ',
  '\t\n',
  ' leading',
  'x',
  'a'.repeat(50),
  'a'.repeat(51),
  'a'.repeat(100),
  'a'.repeat(101),
  'a'.repeat(200),
  'a'.repeat(201),
  '😀'.repeat(100),
  '😀'.repeat(101),
  'a'.repeat(500),
  'a'.repeat(501),
  '😀'.repeat(300),
  'a'.repeat(1_000),
  'a'.repeat(1_001),
  '😀'.repeat(501),
  'a'.repeat(10_000),
  'a'.repeat(10_001),
  '😀'.repeat(5_001),
  'CNY',
  'cny',
  'EU',
  'c-1001',
  'bad id',
  '-dash-first',
  'a/b',
  '2026-11-20T09:30:00Z',
  '2026-02-30T09:30:00Z',
  '2026-11-20',
  '2026-11-20T09:30:00',
  '2026-11-20T09:30Z',
  '2026-11-20T24:00:00Z',
  '2026-11-20T09:30:00.123+08:00',
  '2026-11-20T09:30:00+0800',
  '2026-11-20T09:30:00.1234567890Z',
  '2026-11-20 09:30:00Z',
  '20261120T093000Z',
  'li.na@example.com',
  'li.na@localhost',
  'a@b.c',
  'a b@example.com',
  '"a b"@example.com',
  'not an email',
  'inbound',
  'resolved',
  'high',
  'nps',
  'feedback',
  [],
  {},
];

/** Purchase lines at the edge of how many one purchase may hold. */
const manyLines = (count: number): unknown[] =>
  Array.from({ length: count }, () => ({ sku: 'A', category: 'books', quantity: 1, unitPrice: 0 }));

const anyValue = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -20, max: 20 }) },
);

/** Every path to a value below the root, except the channel (the envelope's, not the command's). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return prefix.length > 0 ? [prefix] : [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value).filter((k) => k !== 'channel');
  const below = keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...prefix, k]));
  return prefix.length > 0 ? [prefix, ...below] : below;
}

type Edit = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'lines'; count: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 8, arbitrary: anyValue.map((value) => ({ kind: 'set' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 1_001).map((count) => ({ kind: 'lines' as const, count })) },
);

function applyEdit(root: unknown, path: (string | number)[], change: Edit): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (change.kind === 'set') parent[last] = change.value;
  else if (change.kind === 'lines') {
    if (last === 'lines') parent[last] = manyLines(change.count);
  } else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/** The example with up to three edits of the fields it declares, at any depth. */
const variantOf = (example: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.array(fc.tuple(fc.nat(), edit), { maxLength: 3 }).map((edits) =>
    edits.reduce<Record<string, unknown>>((value, [at, change]) => {
      const paths = pathsOf(value);
      return paths.length === 0
        ? value
        : (applyEdit(value, paths[at % paths.length] as (string | number)[], change) as Record<string, unknown>);
    }, example),
  );

describe('HTTP validation and the domain value checks: one set of rules', () => {
  it('walks every command route of the touchpoints', () => {
    expect(ROUTES.map((r) => r.name).length).toBeGreaterThanOrEqual(19);
  });

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    "given the %s example, then the command carries every field of the body and path, and only the route's own besides",
    (_name, route) => {
      const params = route.params ? exampleOf(route.params) : {};
      const body = exampleOf(route.body);
      const command = route.build(params, structuredClone(body)) as unknown as Record<string, unknown>;
      const given = [...Object.keys(params).map((k) => (k === 'id' ? 'customerId' : k)), ...Object.keys(body)];
      const fields = (value: Record<string, unknown>): string[] =>
        Object.entries(value).flatMap(([k, v]) =>
          k === 'changes' ? fields(v as Record<string, unknown>) : k === 'type' ? [] : [k],
        );
      // The channel goes to the envelope; the route adds the customer, the business time and, for a
      // follow-up, the calling key as the one who completed, dismissed or reassigned it.
      const added = fields(command).filter((k) => !given.includes(k));
      expect(fields(command)).toEqual(expect.arrayContaining(given.filter((k) => k !== 'channel')));
      expect(added.filter((k) => !ROUTE_FIELDS.includes(k))).toEqual([]);
      expect(() => validateCommandValues(command as unknown as CustomerCommand)).not.toThrow();
    },
  );

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    'given any edit of a %s request, then HTTP accepts exactly what the domain accepts',
    async (_name, route) => {
      const bodyExample = exampleOf(route.body);
      const paramsExample = route.params ? exampleOf(route.params) : {};
      const seen = { accepted: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(variantOf(paramsExample), variantOf(bodyExample), async (params, body) => {
          const http =
            (!route.params || (await accepts(params, 'param', route.params))) &&
            (await accepts(body, 'body', route.body));
          const domain = domainVerdict(() => route.build(params, structuredClone(body)));
          seen[http ? 'accepted' : 'refused']++;
          if (http && domain !== true && CROSS_FIELD_RULES.has(domain)) return;
          expect({ params, body, http, domain }).toEqual({ params, body, http, domain: http || expect.any(String) });
        }),
        { numRuns: 300 },
      );
      expect(seen.accepted).toBeGreaterThan(10);
      expect(seen.refused).toBeGreaterThan(10);
    },
  );
});
