import { API_ROLES } from '../src/auth/roles';
import { startTestEngine, type TestEngine } from './engine-test-app';
import { routeInventory, type RouteEntry } from './route-inventory';

/** A concrete URL for a route pattern: every `:param` becomes a plausible id. */
const urlOf = (route: RouteEntry): string => route.path.replace(/:(\w+)/g, (_, name: string) => `matrix-${name}`);

describe('roles: the whole route-by-role matrix, enumerated from the app', () => {
  let engine: TestEngine;
  let routes: RouteEntry[];
  beforeAll(async () => {
    engine = await startTestEngine();
    routes = routeInventory(engine.app);
  });
  afterAll(() => engine.close());

  it('finds every command route, and every route declares who may call it', () => {
    expect(routes.length).toBeGreaterThanOrEqual(19);
    expect(routes.filter((r) => r.roles === 'undeclared')).toEqual([]);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'POST', path: '/customers/:id/erasure', roles: ['admin'] }]));
  });

  it('touchpoints are recorded by agents and admins only; erasure by admins only', () => {
    const writes = routes.filter((r) => r.path.startsWith('/customers') && r.method !== 'GET');
    expect(writes.length).toBe(17);
    for (const route of writes) {
      const expected = route.path.endsWith('/erasure') ? ['admin'] : ['agent', 'admin'];
      expect({ route: `${route.method} ${route.path}`, roles: route.roles }).toEqual({ route: `${route.method} ${route.path}`, roles: expected });
    }
  });

  it('each role gets exactly what the route declares: 401 without a key, 403 outside the roles, through otherwise', async () => {
    const cells: string[] = [];
    for (const route of routes) {
      const request = { method: route.method as 'GET', url: urlOf(route), payload: route.method === 'GET' ? undefined : {} };
      const anonymous = await engine.request(null, request);
      cells.push(`${route.method} ${route.path} anonymous ${route.roles === 'public' ? anonymous.statusCode < 400 : anonymous.statusCode === 401}`);
      for (const role of API_ROLES) {
        const response = await engine.request(role, request);
        const allowed = route.roles === 'public' || (Array.isArray(route.roles) && route.roles.includes(role));
        const ok = allowed ? ![401, 403].includes(response.statusCode) : response.statusCode === 403;
        cells.push(`${route.method} ${route.path} ${role} ${ok}${ok ? '' : ` (got ${response.statusCode})`}`);
      }
    }
    expect(cells.filter((cell) => !cell.endsWith(' true'))).toEqual([]);
    expect(cells.length).toBe(routes.length * (API_ROLES.length + 1));
  });
});
