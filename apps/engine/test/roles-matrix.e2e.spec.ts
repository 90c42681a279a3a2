import { API_ROLES } from '../src/auth/roles';
import { startTestEngine, type TestEngine } from './engine-test-app';
import { routeInventory, type RouteEntry } from './route-inventory';

/** A concrete URL for a route pattern: every `:param` becomes a plausible id. */
const urlOf = (route: RouteEntry): string => route.path.replace(/:(\w+)/g, (_, name: string) => `matrix-${name}`);

describe('roles: the whole route-by-role matrix, enumerated from the app', () => {
  let engine: TestEngine;
  let routes: RouteEntry[];
  let base: string;
  beforeAll(async () => {
    engine = await startTestEngine();
    routes = routeInventory(engine.app);
    await engine.app.listen(0, '127.0.0.1');
    base = await engine.app.getUrl();
  });
  afterAll(() => engine.close());

  /** The status as soon as headers arrive (streaming routes never finish), over a real socket. */
  async function statusOf(route: RouteEntry, key: string | null): Promise<number> {
    const abort = new AbortController();
    const response = await fetch(`${base.replace('[::1]', '127.0.0.1')}${urlOf(route)}`, {
      method: route.method,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}',
      signal: abort.signal,
    });
    abort.abort();
    return response.status;
  }

  it('finds every command route, and every route declares who may call it', () => {
    expect(routes.length).toBeGreaterThanOrEqual(19);
    expect(routes.filter((r) => r.roles === 'undeclared')).toEqual([]);
    expect(routes).toEqual(
      expect.arrayContaining([{ method: 'POST', path: '/customers/:id/erasure', roles: ['admin'] }]),
    );
  });

  it('touchpoints are recorded by agents and admins only; erasure by admins only', () => {
    const writes = routes.filter((r) => r.path.startsWith('/customers') && r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(17);
    for (const route of writes) {
      const expected = route.path.endsWith('/erasure') ? ['admin'] : ['agent', 'admin'];
      expect({ route: `${route.method} ${route.path}`, roles: route.roles }).toEqual({
        route: `${route.method} ${route.path}`,
        roles: expected,
      });
    }
  });

  it('each role gets exactly what the route declares: 401 without a key, 403 outside the roles, through otherwise', async () => {
    const cells: string[] = [];
    for (const route of routes) {
      const anonymous = await statusOf(route, null);
      const anonymousOk = route.roles === 'public' ? ![401, 403].includes(anonymous) : anonymous === 401;
      cells.push(`${route.method} ${route.path} anonymous ${anonymousOk}${anonymousOk ? '' : ` (got ${anonymous})`}`);
      for (const role of API_ROLES) {
        const status = await statusOf(route, engine.keys[role]);
        const allowed = route.roles === 'public' || (Array.isArray(route.roles) && route.roles.includes(role));
        const ok = allowed ? ![401, 403].includes(status) : status === 403;
        cells.push(`${route.method} ${route.path} ${role} ${ok}${ok ? '' : ` (got ${status})`}`);
      }
    }
    expect(cells.filter((cell) => !cell.endsWith(' true'))).toEqual([]);
    expect(cells.length).toBe(routes.length * (API_ROLES.length + 1));
  }, 60_000);
});
